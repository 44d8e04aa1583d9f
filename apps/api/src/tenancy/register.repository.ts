import type { Insertable, Selectable, Updateable } from 'kysely';
import type { RegistersTable } from '../db/core.tables.js';
import type { Tx } from '../db/database.js';

export type RegisterRow = Selectable<RegistersTable>;

export function listRegisters(tx: Tx, tenantId: string, storeId: string): Promise<RegisterRow[]> {
  return tx
    .selectFrom('registers')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('store_id', '=', storeId)
    .orderBy('name')
    .orderBy('id')
    .execute();
}

export function findRegisterForUpdate(
  tx: Tx,
  tenantId: string,
  id: string,
): Promise<RegisterRow | undefined> {
  return tx
    .selectFrom('registers')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

/** The id of the store's register called `name`, if any. */
export async function registerIdByName(
  tx: Tx,
  tenantId: string,
  storeId: string,
  name: string,
): Promise<string | undefined> {
  const row = await tx
    .selectFrom('registers')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('store_id', '=', storeId)
    .where('name', '=', name)
    .executeTakeFirst();
  return row?.id;
}

export async function registerHasOpenCashSession(tx: Tx, tenantId: string, id: string): Promise<boolean> {
  const row = await tx
    .selectFrom('cash_sessions')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('register_id', '=', id)
    .where('closed_at', 'is', null)
    .executeTakeFirst();
  return row !== undefined;
}

export function insertRegister(tx: Tx, row: Insertable<RegistersTable>): Promise<RegisterRow> {
  return tx.insertInto('registers').values(row).returningAll().executeTakeFirstOrThrow();
}

export function updateRegister(
  tx: Tx,
  tenantId: string,
  id: string,
  changes: Updateable<RegistersTable>,
): Promise<RegisterRow> {
  return tx
    .updateTable('registers')
    .set(changes)
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}
