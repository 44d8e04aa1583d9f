import type { Selectable } from 'kysely';
import { randomUUID } from 'node:crypto';
import type { TenantScope } from '../common/context/request-context.js';
import type { Tx } from '../db/database.js';
import { insufficientStock, refusedMovement } from './inventory.errors.js';
import type {
  AdjustmentReasonCode,
  MovementReason,
  MovementReferenceType,
  StockMovementsTable,
} from './inventory.tables.js';

export type MovementRow = Selectable<StockMovementsTable>;

export interface NewMovement {
  storeId: string;
  productId: string;
  /** Signed thousandths, never zero. */
  quantity: number;
  reason: MovementReason;
  reasonCode?: AdjustmentReasonCode | null;
  referenceType: MovementReferenceType;
  referenceId: string;
  note?: string | null;
  /** The input field to name when the store's oversell policy refuses this movement. */
  field?: string;
}

/**
 * The one way stock changes: append movements to the ledger. The database trigger applies each to
 * its stock level and refuses, for the whole transaction, one that would take a 'refuse' store
 * below zero (INSUFFICIENT_STOCK). Returns the rows in the order given.
 */
export async function postMovements(
  tx: Tx,
  scope: TenantScope,
  movements: readonly NewMovement[],
): Promise<MovementRow[]> {
  if (movements.length === 0) return [];
  const withIds = movements.map((m) => ({ ...m, id: randomUUID() }));
  // Levels are locked in this order by the trigger: one global order (store, product) means two
  // transactions moving the same products cannot deadlock.
  const ordered = [...withIds].sort(
    (a, b) => compare(a.storeId, b.storeId) || compare(a.productId, b.productId),
  );
  const rows: MovementRow[] = [];
  try {
    for (let start = 0; start < ordered.length; start += CHUNK) {
      const chunk = ordered.slice(start, start + CHUNK);
      rows.push(
        ...(await tx
          .insertInto('stock_movements')
          .values(
            chunk.map((m) => ({
              tenant_id: scope.tenantId,
              id: m.id,
              store_id: m.storeId,
              product_id: m.productId,
              quantity: m.quantity,
              reason: m.reason,
              reason_code: m.reasonCode ?? null,
              reference_type: m.referenceType,
              reference_id: m.referenceId,
              note: m.note ?? null,
              user_id: scope.userId ?? null,
            })),
          )
          .returningAll()
          .execute()),
      );
    }
  } catch (e) {
    const refused = refusedMovement(e);
    if (!refused) throw e;
    const culprit = withIds.find((m) => m.storeId === refused.storeId && m.productId === refused.productId);
    throw insufficientStock(refused, culprit?.field);
  }
  const byId = new Map(rows.map((r) => [r.id, r]));
  return withIds.map((m) => byId.get(m.id)!);
}

/** Rows per INSERT: 11 parameters each stays well under PostgreSQL's 65,535 bind parameters. */
const CHUNK = 1000;

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
