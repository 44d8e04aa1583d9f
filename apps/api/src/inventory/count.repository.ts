import { type Selectable, sql } from 'kysely';
import type { StockCount, StockCountStatus, StockCountSummary } from '@zakpos/contracts';
import type { Tx } from '../db/database.js';
import type { StockCountsTable } from './inventory.tables.js';

export type CountRow = Selectable<StockCountsTable>;

export interface CountLineRow {
  product_id: string;
  sku: string;
  name: string;
  unit: 'each' | 'kg';
  expected: number;
  counted: number | null;
  variance: number | null;
  on_hand: number | null;
}

export function insertCount(
  tx: Tx,
  tenantId: string,
  c: { id: string; storeId: string; note: string | null; openedBy: string },
): Promise<CountRow> {
  return tx
    .insertInto('stock_counts')
    .values({
      tenant_id: tenantId,
      id: c.id,
      store_id: c.storeId,
      status: 'open',
      note: c.note,
      opened_by: c.openedBy,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * Puts products on the sheet with their on hand now as the expected quantity: the given ones,
 * or every active product plus any product with stock (positive or negative) in the store.
 */
export async function snapshotLines(
  tx: Tx,
  tenantId: string,
  c: { countId: string; storeId: string },
  productIds?: readonly string[],
): Promise<void> {
  await tx
    .insertInto('stock_count_lines')
    .columns(['tenant_id', 'count_id', 'product_id', 'expected'])
    .expression((eb) => {
      let q = eb
        .selectFrom('products as p')
        .leftJoin('stock_levels as l', (join) =>
          join
            .onRef('l.tenant_id', '=', 'p.tenant_id')
            .onRef('l.product_id', '=', 'p.id')
            .on('l.store_id', '=', c.storeId),
        )
        .select([
          sql<string>`${tenantId}::uuid`.as('tenant_id'),
          sql<string>`${c.countId}::uuid`.as('count_id'),
          'p.id as product_id',
          sql<number>`coalesce(l.on_hand, 0)`.as('expected'),
        ])
        .where('p.tenant_id', '=', tenantId);
      q = productIds
        ? q.where('p.id', 'in', productIds)
        : q.where((w) => w.or([w('p.active', '=', true), w('l.on_hand', '<>', 0)]));
      return q;
    })
    .execute();
}

export function findCount(tx: Tx, tenantId: string, id: string): Promise<CountRow | undefined> {
  return tx
    .selectFrom('stock_counts')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** The count, locked until the transaction ends: recording and completing cannot interleave. */
export function lockCount(tx: Tx, tenantId: string, id: string): Promise<CountRow | undefined> {
  return tx
    .selectFrom('stock_counts')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

/** Records counted quantities; a product not yet on the sheet joins it with its on hand now as expected. */
export async function recordCounted(
  tx: Tx,
  tenantId: string,
  c: { countId: string; storeId: string },
  lines: readonly { productId: string; counted: number }[],
): Promise<void> {
  const levels = await tx
    .selectFrom('stock_levels')
    .select(['product_id', 'on_hand'])
    .where('tenant_id', '=', tenantId)
    .where('store_id', '=', c.storeId)
    .where(
      'product_id',
      'in',
      lines.map((l) => l.productId),
    )
    .execute();
  const onHand = new Map(levels.map((l) => [l.product_id, l.on_hand]));
  await tx
    .insertInto('stock_count_lines')
    .values(
      lines.map((l) => ({
        tenant_id: tenantId,
        count_id: c.countId,
        product_id: l.productId,
        expected: onHand.get(l.productId) ?? 0,
        counted: l.counted,
        counted_at: sql<Date>`now()`,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['tenant_id', 'count_id', 'product_id']).doUpdateSet({
        counted: (eb) => eb.ref('excluded.counted'),
        counted_at: sql<Date>`now()`,
      }),
    )
    .execute();
}

/**
 * Fixes each counted line's variance as counted − on hand, with the levels locked (in product
 * order) so nothing moves them before the variance movements are posted. Returns the variances.
 */
export async function fixVariances(
  tx: Tx,
  tenantId: string,
  c: { countId: string; storeId: string },
): Promise<{ product_id: string; variance: number }[]> {
  const counted = (eb: Tx) =>
    eb
      .selectFrom('stock_count_lines')
      .select('product_id')
      .where('tenant_id', '=', tenantId)
      .where('count_id', '=', c.countId)
      .where('counted', 'is not', null);
  // A product that never had stock here gets its level row (on hand 0) so it can be locked too.
  await tx
    .insertInto('stock_levels')
    .columns(['tenant_id', 'store_id', 'product_id'])
    .expression(
      tx
        .selectFrom('stock_count_lines')
        .select([
          sql<string>`${tenantId}::uuid`.as('tenant_id'),
          sql<string>`${c.storeId}::uuid`.as('store_id'),
          'product_id',
        ])
        .where('tenant_id', '=', tenantId)
        .where('count_id', '=', c.countId)
        .where('counted', 'is not', null)
        .orderBy('product_id'),
    )
    .onConflict((oc) => oc.doNothing())
    .execute();
  await tx
    .selectFrom('stock_levels')
    .select('product_id')
    .where('tenant_id', '=', tenantId)
    .where('store_id', '=', c.storeId)
    .where('product_id', 'in', counted(tx))
    .orderBy('product_id')
    .forUpdate()
    .execute();
  return tx
    .updateTable('stock_count_lines as cl')
    .from('stock_levels as l')
    .set((eb) => ({ variance: eb('cl.counted', '-', eb.ref('l.on_hand')) }))
    .whereRef('l.tenant_id', '=', 'cl.tenant_id')
    .whereRef('l.product_id', '=', 'cl.product_id')
    .where('l.store_id', '=', c.storeId)
    .where('cl.tenant_id', '=', tenantId)
    .where('cl.count_id', '=', c.countId)
    .where('cl.counted', 'is not', null)
    .returning(['cl.product_id', 'cl.variance'])
    .execute() as Promise<{ product_id: string; variance: number }[]>;
}

export function markCompleted(tx: Tx, tenantId: string, id: string, userId: string): Promise<CountRow> {
  return tx
    .updateTable('stock_counts')
    .set({ status: 'completed', completed_by: userId, completed_at: sql<Date>`now()` })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function linesOfCount(tx: Tx, tenantId: string, count: CountRow): Promise<CountLineRow[]> {
  return tx
    .selectFrom('stock_count_lines as cl')
    .innerJoin('products as p', (join) =>
      join.onRef('p.tenant_id', '=', 'cl.tenant_id').onRef('p.id', '=', 'cl.product_id'),
    )
    .leftJoin('stock_levels as l', (join) =>
      join
        .onRef('l.tenant_id', '=', 'cl.tenant_id')
        .onRef('l.product_id', '=', 'cl.product_id')
        .on('l.store_id', '=', count.store_id),
    )
    .select([
      'cl.product_id',
      'p.sku',
      'p.name',
      'p.unit',
      'cl.expected',
      'cl.counted',
      'cl.variance',
      'l.on_hand',
    ])
    .where('cl.tenant_id', '=', tenantId)
    .where('cl.count_id', '=', count.id)
    .orderBy('p.sku')
    .execute();
}

export function listCounts(
  tx: Tx,
  tenantId: string,
  storeId: string,
  o: { status?: StockCountStatus; beforeSeq?: number; limit: number },
): Promise<CountRow[]> {
  let q = tx
    .selectFrom('stock_counts')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('store_id', '=', storeId)
    .orderBy('seq', 'desc')
    .limit(o.limit);
  if (o.status !== undefined) q = q.where('status', '=', o.status);
  if (o.beforeSeq !== undefined) q = q.where('seq', '<', o.beforeSeq);
  return q.execute();
}

export const toCountSummary = (row: CountRow): StockCountSummary => ({
  id: row.id,
  storeId: row.store_id,
  status: row.status,
  note: row.note,
  openedBy: row.opened_by,
  openedAt: row.opened_at.toISOString(),
  completedBy: row.completed_by,
  completedAt: row.completed_at ? row.completed_at.toISOString() : null,
});

export const toCount = (row: CountRow, lines: readonly CountLineRow[]): StockCount => ({
  ...toCountSummary(row),
  lines: lines.map((l) => ({
    productId: l.product_id,
    sku: l.sku,
    name: l.name,
    unit: l.unit,
    expected: l.expected,
    counted: l.counted,
    // Open: a preview of what completing now would post.
    variance:
      row.status === 'completed' ? l.variance : l.counted === null ? null : l.counted - (l.on_hand ?? 0),
  })),
});
