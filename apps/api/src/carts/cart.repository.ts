import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Tx } from '../db/database.js';
import type { CartLinesTable, CartsTable } from './carts.tables.js';

export type CartRow = Selectable<CartsTable>;
export type CartLineRow = Selectable<CartLinesTable>;

export function findCart(tx: Tx, tenantId: string, id: string): Promise<CartRow | undefined> {
  return tx
    .selectFrom('carts')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/**
 * Takes the next version of the cart if, and only if, it is still at `version`: PostgreSQL decides between
 * concurrent writers (the second waits for the first's row lock, then sees the new version and matches
 * nothing). The row stays locked for the rest of the unit of work. Undefined: absent or stale.
 */
export function bumpCartVersion(
  tx: Tx,
  tenantId: string,
  id: string,
  version: number,
  changes: Updateable<CartsTable> = {},
): Promise<CartRow | undefined> {
  return tx
    .updateTable('carts')
    .set((eb) => ({ ...changes, version: eb('version', '+', 1), updated_at: new Date() }))
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst();
}

export function updateCartRow(
  tx: Tx,
  tenantId: string,
  id: string,
  changes: Updateable<CartsTable>,
): Promise<CartRow> {
  return tx
    .updateTable('carts')
    .set(changes)
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function insertCart(tx: Tx, row: Insertable<CartsTable>): Promise<CartRow> {
  return tx.insertInto('carts').values(row).returningAll().executeTakeFirstOrThrow();
}

export function cartLines(tx: Tx, tenantId: string, cartIds: readonly string[]): Promise<CartLineRow[]> {
  if (cartIds.length === 0) return Promise.resolve([]);
  return tx
    .selectFrom('cart_lines')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('cart_id', 'in', [...cartIds])
    .orderBy('cart_id')
    .orderBy('position')
    .execute();
}

/** The cart's row is locked by `bumpCartVersion`, so the caller's next position is free. */
export async function insertCartLine(tx: Tx, row: Insertable<CartLinesTable>): Promise<void> {
  await tx.insertInto('cart_lines').values(row).execute();
}

export async function updateCartLineRow(
  tx: Tx,
  tenantId: string,
  cartId: string,
  id: string,
  changes: Updateable<CartLinesTable>,
): Promise<void> {
  await tx
    .updateTable('cart_lines')
    .set(changes)
    .where('tenant_id', '=', tenantId)
    .where('cart_id', '=', cartId)
    .where('id', '=', id)
    .execute();
}

export async function deleteCartLine(tx: Tx, tenantId: string, cartId: string, id: string): Promise<number> {
  const res = await tx
    .deleteFrom('cart_lines')
    .where('tenant_id', '=', tenantId)
    .where('cart_id', '=', cartId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(res.numDeletedRows);
}

export interface StoreCartsSearch {
  storeId: string;
  status: 'open' | 'parked';
  after?: { updatedAt: Date; id: string } | undefined;
  limit: number;
}

export function storeCarts(tx: Tx, tenantId: string, s: StoreCartsSearch): Promise<CartRow[]> {
  let q = tx
    .selectFrom('carts')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('store_id', '=', s.storeId)
    .where('status', '=', s.status);
  if (s.after) {
    const { updatedAt, id } = s.after;
    q = q.where(
      (eb) => eb.tuple(eb.ref('updated_at'), eb.ref('id')),
      '>',
      (eb) => eb.tuple(updatedAt, id),
    );
  }
  return q.orderBy('updated_at').orderBy('id').limit(s.limit).execute();
}
