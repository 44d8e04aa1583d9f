import type { Selectable, Updateable } from 'kysely';
import type { TenantsTable } from '../db/core.tables.js';
import type { Tx } from '../db/database.js';

export type TenantRow = Selectable<TenantsTable>;

export function findTenant(tx: Tx, tenantId: string): Promise<TenantRow | undefined> {
  return tx.selectFrom('tenants').selectAll().where('id', '=', tenantId).executeTakeFirst();
}

/** Locks the tenant row for the rest of the transaction (serialises concurrent settings changes). */
export function findTenantForUpdate(tx: Tx, tenantId: string): Promise<TenantRow | undefined> {
  return tx.selectFrom('tenants').selectAll().where('id', '=', tenantId).forNoKeyUpdate().executeTakeFirst();
}

export function updateTenant(
  tx: Tx,
  tenantId: string,
  changes: Updateable<TenantsTable>,
): Promise<TenantRow> {
  return tx
    .updateTable('tenants')
    .set(changes)
    .where('id', '=', tenantId)
    .returningAll()
    .executeTakeFirstOrThrow();
}
