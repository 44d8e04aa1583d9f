import { sql } from 'kysely';
import type { Role } from '@zakpos/contracts';
import type { Tx } from '../db/database.js';

/** What a credential check needs of a user. */
export interface CredentialRow {
  id: string;
  tenant_id: string;
  email: string;
  name: string;
  role: Role;
  password_hash: string;
  pin_hash: string | null;
  active: boolean;
  session_version: number;
}

export interface RegisterRow {
  id: string;
  store_id: string;
  /** The register and its store are both active. */
  usable: boolean;
}

/** Which tenant and user an email belongs to, through the global login index (SECURITY DEFINER). */
export async function lookupEmail(
  tx: Tx,
  email: string,
): Promise<{ tenantId: string; userId: string } | undefined> {
  const { rows } = await sql<{
    tenant_id: string;
    user_id: string;
  }>`select tenant_id, user_id from auth_lookup_email(${email})`.execute(tx);
  const row = rows[0];
  return row ? { tenantId: row.tenant_id, userId: row.user_id } : undefined;
}

/** Puts an email in the login index for a user of the current tenant; raises unique_violation when taken. */
export async function claimEmail(tx: Tx, email: string, userId: string): Promise<void> {
  await sql`select auth_claim_email(${email}, ${userId}::uuid)`.execute(tx);
}

const credentialColumns = [
  'id',
  'tenant_id',
  'email',
  'name',
  'role',
  'password_hash',
  'pin_hash',
  'active',
  'session_version',
] as const;

/** The user, row-locked so concurrent attempts on one account count failures one after another. */
export function findUserForUpdate(
  tx: Tx,
  tenantId: string,
  userId: string,
): Promise<CredentialRow | undefined> {
  return tx
    .selectFrom('users')
    .select(credentialColumns)
    .where('tenant_id', '=', tenantId)
    .where('id', '=', userId)
    .forUpdate()
    .executeTakeFirst();
}

export function findUser(tx: Tx, tenantId: string, userId: string): Promise<CredentialRow | undefined> {
  return tx
    .selectFrom('users')
    .select(credentialColumns)
    .where('tenant_id', '=', tenantId)
    .where('id', '=', userId)
    .executeTakeFirst();
}

export async function userStoreIds(tx: Tx, tenantId: string, userId: string): Promise<string[]> {
  const rows = await tx
    .selectFrom('user_stores')
    .select('store_id')
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', userId)
    .orderBy('store_id')
    .execute();
  return rows.map((r) => r.store_id);
}

export async function isAssignedToStore(
  tx: Tx,
  tenantId: string,
  userId: string,
  storeId: string,
): Promise<boolean> {
  const row = await tx
    .selectFrom('user_stores')
    .select('store_id')
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', userId)
    .where('store_id', '=', storeId)
    .executeTakeFirst();
  return row !== undefined;
}

export async function findRegister(
  tx: Tx,
  tenantId: string,
  registerId: string,
): Promise<RegisterRow | undefined> {
  const row = await tx
    .selectFrom('registers as r')
    .innerJoin('stores as s', (j) =>
      j.onRef('s.tenant_id', '=', 'r.tenant_id').onRef('s.id', '=', 'r.store_id'),
    )
    .select(['r.id', 'r.store_id', 'r.active as register_active', 's.active as store_active'])
    .where('r.tenant_id', '=', tenantId)
    .where('r.id', '=', registerId)
    .executeTakeFirst();
  return row && { id: row.id, store_id: row.store_id, usable: row.register_active && row.store_active };
}

export async function setPasswordHash(
  tx: Tx,
  tenantId: string,
  userId: string,
  passwordHash: string,
): Promise<void> {
  await tx
    .updateTable('users')
    .set({ password_hash: passwordHash, password_changed_at: sql<Date>`now()` })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', userId)
    .execute();
}

export async function setPinHash(tx: Tx, tenantId: string, userId: string, pinHash: string): Promise<void> {
  await tx
    .updateTable('users')
    .set({ pin_hash: pinHash })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', userId)
    .execute();
}
