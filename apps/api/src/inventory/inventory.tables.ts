import type { ColumnType, Generated } from 'kysely';

/** Kysely row types of 0003_inventory.sql. Quantities are thousandths (1000 = one unit or one kg). */

export type MovementReason = 'adjustment' | 'transfer_out' | 'transfer_in' | 'sale' | 'refund';
export type AdjustmentReasonCode =
  'received' | 'damaged' | 'lost' | 'theft' | 'expired' | 'correction' | 'count';
export type MovementReferenceType = 'adjustment' | 'transfer' | 'count' | 'sale' | 'refund';

/** `on_hand` is written only by the movement trigger: the API role has no privilege on it. */
export interface StockLevelsTable {
  tenant_id: string;
  store_id: string;
  product_id: string;
  on_hand: ColumnType<number, never, never>;
  low_stock_threshold: number | null;
  updated_at: Generated<Date>;
}

/** Append-only: the API role may select and insert, never update or delete. */
export interface StockMovementsTable {
  tenant_id: string;
  id: string;
  seq: ColumnType<number, never, never>;
  store_id: string;
  product_id: string;
  quantity: number;
  reason: MovementReason;
  reason_code: AdjustmentReasonCode | null;
  reference_type: MovementReferenceType | null;
  reference_id: string | null;
  note: string | null;
  user_id: string | null;
  created_at: Generated<Date>;
}

export interface TransfersTable {
  tenant_id: string;
  id: string;
  seq: ColumnType<number, never, never>;
  from_store_id: string;
  to_store_id: string;
  status: 'in_transit' | 'received';
  note: string | null;
  sent_by: string | null;
  sent_at: Generated<Date>;
  received_by: string | null;
  received_at: Date | null;
}

export interface TransferLinesTable {
  tenant_id: string;
  transfer_id: string;
  product_id: string;
  quantity: number;
}

export interface StockCountsTable {
  tenant_id: string;
  id: string;
  seq: ColumnType<number, never, never>;
  store_id: string;
  status: 'open' | 'completed';
  note: string | null;
  opened_by: string | null;
  opened_at: Generated<Date>;
  completed_by: string | null;
  completed_at: Date | null;
}

export interface StockCountLinesTable {
  tenant_id: string;
  count_id: string;
  product_id: string;
  expected: number;
  counted: number | null;
  counted_at: Date | null;
  variance: number | null;
}

/** One alert per store, product and UTC day (0021_outbox_relay.sql). */
export interface LowStockAlertsTable {
  tenant_id: string;
  store_id: string;
  product_id: string;
  /** yyyy-mm-dd */
  day: string;
  on_hand: number;
  threshold: number;
  event_id: string;
  created_at: Generated<Date>;
}

export interface InventoryTables {
  low_stock_alerts: LowStockAlertsTable;
  stock_levels: StockLevelsTable;
  stock_movements: StockMovementsTable;
  transfers: TransfersTable;
  transfer_lines: TransferLinesTable;
  stock_counts: StockCountsTable;
  stock_count_lines: StockCountLinesTable;
}
