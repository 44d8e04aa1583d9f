import { sql } from 'kysely';
import type { MovementReason, StockLevel, StockMovement } from '@zakpos/contracts';
import { sumInt8, type Tx } from '../db/database.js';
import type { MovementRow } from './stock-ledger.js';

export interface LevelRow {
  product_id: string;
  sku: string;
  name: string;
  unit: 'each' | 'kg';
  active: boolean;
  on_hand: number | null;
  low_stock_threshold: number | null;
  updated_at: Date | null;
}

/** A page of the store's levels over every product (no row yet = nothing on hand), by SKU. */
export function listLevels(
  tx: Tx,
  tenantId: string,
  storeId: string,
  o: { afterSku?: string; productId?: string; limit: number },
): Promise<LevelRow[]> {
  let q = tx
    .selectFrom('products as p')
    .leftJoin('stock_levels as l', (join) =>
      join
        .onRef('l.tenant_id', '=', 'p.tenant_id')
        .onRef('l.product_id', '=', 'p.id')
        .on('l.store_id', '=', storeId),
    )
    .select(['p.id as product_id', 'p.sku', 'p.name', 'p.unit', 'p.active'])
    .select(['l.on_hand', 'l.low_stock_threshold', 'l.updated_at'])
    .where('p.tenant_id', '=', tenantId)
    .orderBy('p.sku')
    .limit(o.limit);
  if (o.afterSku !== undefined) q = q.where('p.sku', '>', o.afterSku);
  if (o.productId !== undefined) q = q.where('p.id', '=', o.productId);
  return q.execute();
}

/** A page of the store's products at or below their threshold, by SKU. */
export function listLowLevels(
  tx: Tx,
  tenantId: string,
  storeId: string,
  o: { afterSku?: string; limit: number },
): Promise<LevelRow[]> {
  let q = tx
    .selectFrom('stock_levels as l')
    .innerJoin('products as p', (join) =>
      join.onRef('p.tenant_id', '=', 'l.tenant_id').onRef('p.id', '=', 'l.product_id'),
    )
    .select(['p.id as product_id', 'p.sku', 'p.name', 'p.unit', 'p.active'])
    .select(['l.on_hand', 'l.low_stock_threshold', 'l.updated_at'])
    .where('l.tenant_id', '=', tenantId)
    .where('l.store_id', '=', storeId)
    .where('l.low_stock_threshold', 'is not', null)
    .where((eb) => eb('l.on_hand', '<=', eb.ref('l.low_stock_threshold')))
    .orderBy('p.sku')
    .limit(o.limit);
  if (o.afterSku !== undefined) q = q.where('p.sku', '>', o.afterSku);
  return q.execute();
}

/** Quantities sent to the store by transfers not yet received, per product. */
export async function incomingInTransit(
  tx: Tx,
  tenantId: string,
  storeId: string,
  productIds: string[],
): Promise<Map<string, number>> {
  if (productIds.length === 0) return new Map();
  const rows = await tx
    .selectFrom('transfer_lines as tl')
    .innerJoin('transfers as t', (join) =>
      join.onRef('t.tenant_id', '=', 'tl.tenant_id').onRef('t.id', '=', 'tl.transfer_id'),
    )
    .select(['tl.product_id', sumInt8('tl.quantity').as('quantity')])
    .where('t.tenant_id', '=', tenantId)
    .where('t.to_store_id', '=', storeId)
    .where('t.status', '=', 'in_transit')
    .where('tl.product_id', 'in', productIds)
    .groupBy('tl.product_id')
    .execute();
  return new Map(rows.map((r) => [r.product_id, r.quantity]));
}

/** Sets the threshold, creating the level row (on hand 0) when the product never had stock here. */
export async function upsertThreshold(
  tx: Tx,
  tenantId: string,
  storeId: string,
  productId: string,
  threshold: number | null,
): Promise<void> {
  await tx
    .insertInto('stock_levels')
    .values({ tenant_id: tenantId, store_id: storeId, product_id: productId, low_stock_threshold: threshold })
    .onConflict((oc) =>
      oc.columns(['tenant_id', 'store_id', 'product_id']).doUpdateSet({
        low_stock_threshold: (eb) => eb.ref('excluded.low_stock_threshold'),
        updated_at: sql`now()`,
      }),
    )
    .execute();
}

export function listMovements(
  tx: Tx,
  tenantId: string,
  storeId: string,
  o: { beforeSeq?: number; productId?: string; reason?: MovementReason; limit: number },
): Promise<MovementRow[]> {
  let q = tx
    .selectFrom('stock_movements')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('store_id', '=', storeId)
    .orderBy('seq', 'desc')
    .limit(o.limit);
  if (o.beforeSeq !== undefined) q = q.where('seq', '<', o.beforeSeq);
  if (o.productId !== undefined) q = q.where('product_id', '=', o.productId);
  if (o.reason !== undefined) q = q.where('reason', '=', o.reason);
  return q.execute();
}

export const toStockLevel = (row: LevelRow, inTransit: number): StockLevel => ({
  productId: row.product_id,
  sku: row.sku,
  name: row.name,
  unit: row.unit,
  active: row.active,
  onHand: row.on_hand ?? 0,
  lowStockThreshold: row.low_stock_threshold,
  inTransit,
  updatedAt: row.updated_at ? row.updated_at.toISOString() : null,
});

export const toMovement = (row: MovementRow): StockMovement => ({
  id: row.id,
  storeId: row.store_id,
  productId: row.product_id,
  quantity: row.quantity,
  reason: row.reason,
  reasonCode: row.reason_code,
  referenceType: row.reference_type,
  referenceId: row.reference_id,
  note: row.note,
  userId: row.user_id,
  createdAt: row.created_at.toISOString(),
});
