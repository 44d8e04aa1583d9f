import type { Insertable, Selectable, Updateable } from 'kysely';
import type { StoresTable } from '../db/core.tables.js';
import type { Tx } from '../db/database.js';

export type StoreRow = Selectable<StoresTable>;

/** Stores of the tenant, by code; `only` limits them to a manager's or cashier's stores. */
export function listStores(tx: Tx, tenantId: string, only: readonly string[] | null): Promise<StoreRow[]> {
  if (only && only.length === 0) return Promise.resolve([]);
  let query = tx.selectFrom('stores').selectAll().where('tenant_id', '=', tenantId);
  if (only) query = query.where('id', 'in', only);
  return query.orderBy('code').execute();
}

export function findStore(tx: Tx, tenantId: string, id: string): Promise<StoreRow | undefined> {
  return tx
    .selectFrom('stores')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export function findStoreForUpdate(tx: Tx, tenantId: string, id: string): Promise<StoreRow | undefined> {
  return tx
    .selectFrom('stores')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

/** The id of the store using `code`, if any. */
export async function storeIdByCode(tx: Tx, tenantId: string, code: string): Promise<string | undefined> {
  const row = await tx
    .selectFrom('stores')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('code', '=', code)
    .executeTakeFirst();
  return row?.id;
}

/** Which of `ids` are stores of the tenant. */
export async function existingStoreIds(
  tx: Tx,
  tenantId: string,
  ids: readonly string[],
): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await tx
    .selectFrom('stores')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('id', 'in', ids)
    .execute();
  return new Set(rows.map((r) => r.id));
}

export function insertStore(tx: Tx, row: Insertable<StoresTable>): Promise<StoreRow> {
  return tx.insertInto('stores').values(row).returningAll().executeTakeFirstOrThrow();
}

export function updateStore(
  tx: Tx,
  tenantId: string,
  id: string,
  changes: Updateable<StoresTable>,
): Promise<StoreRow> {
  return tx
    .updateTable('stores')
    .set(changes)
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}
