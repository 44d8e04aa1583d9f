import { type Insertable, sql, type Updateable } from 'kysely';
import type { Role } from '@zakpos/contracts';
import type { UsersTable } from '../db/core.tables.js';
import type { Tx } from '../db/database.js';

/** A user as this module reads it: never the password or PIN hash, only whether a PIN is set. */
export interface UserRecord {
  id: string;
  email: string;
  name: string;
  role: Role;
  active: boolean;
  has_pin: boolean;
  password_changed_at: Date;
  created_at: Date;
  storeIds: string[];
}

type UserRow = Omit<UserRecord, 'storeIds'>;

const hasPin = sql<boolean>`pin_hash is not null`.as('has_pin');
const columns = ['id', 'email', 'name', 'role', 'active', 'password_changed_at', 'created_at'] as const;

export interface UserFilter {
  /** Only users sharing one of these stores (a manager's view); null = every user. */
  visibleStores: readonly string[] | null;
  role?: Role;
  storeId?: string;
  active?: boolean;
  afterEmail?: string;
  limit: number;
}

/** Users by email (the citext order), with their stores. */
export async function listUsers(tx: Tx, tenantId: string, f: UserFilter): Promise<UserRecord[]> {
  if (f.visibleStores && f.visibleStores.length === 0) return [];
  let query = tx
    .selectFrom('users')
    .select([...columns, hasPin])
    .where('tenant_id', '=', tenantId);
  if (f.role) query = query.where('role', '=', f.role);
  if (f.active !== undefined) query = query.where('active', '=', f.active);
  if (f.afterEmail !== undefined) query = query.where('email', '>', f.afterEmail);
  for (const stores of [f.visibleStores, f.storeId ? [f.storeId] : null]) {
    if (!stores) continue;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('user_stores')
          .select('user_stores.user_id')
          .where('user_stores.tenant_id', '=', tenantId)
          .whereRef('user_stores.user_id', '=', 'users.id')
          .where('user_stores.store_id', 'in', stores),
      ),
    );
  }
  const rows = await query.orderBy('email').limit(f.limit).execute();
  return withStores(tx, tenantId, rows);
}

export async function findUser(
  tx: Tx,
  tenantId: string,
  id: string,
  lock = false,
): Promise<UserRecord | undefined> {
  let query = tx
    .selectFrom('users')
    .select([...columns, hasPin])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id);
  if (lock) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row ? (await withStores(tx, tenantId, [row]))[0] : undefined;
}

async function withStores(tx: Tx, tenantId: string, rows: UserRow[]): Promise<UserRecord[]> {
  if (rows.length === 0) return [];
  const links = await tx
    .selectFrom('user_stores')
    .select(['user_id', 'store_id'])
    .where('tenant_id', '=', tenantId)
    .where(
      'user_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('store_id')
    .execute();
  return rows.map((row) => ({
    ...row,
    storeIds: links.filter((l) => l.user_id === row.id).map((l) => l.store_id),
  }));
}

export async function insertUser(
  tx: Tx,
  row: Insertable<UsersTable>,
  storeIds: readonly string[],
): Promise<void> {
  await tx.insertInto('users').values(row).execute();
  await setUserStores(tx, row.tenant_id, row.id, storeIds);
}

export async function updateUser(
  tx: Tx,
  tenantId: string,
  id: string,
  changes: Updateable<UsersTable>,
): Promise<void> {
  if (Object.values(changes).every((v) => v === undefined)) return;
  await tx.updateTable('users').set(changes).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
}

export async function setUserStores(tx: Tx, tenantId: string, userId: string, storeIds: readonly string[]) {
  await tx
    .deleteFrom('user_stores')
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', userId)
    .execute();
  if (storeIds.length === 0) return;
  await tx
    .insertInto('user_stores')
    .values(storeIds.map((storeId) => ({ tenant_id: tenantId, user_id: userId, store_id: storeId })))
    .execute();
}

/** Whether any ZakPOS account (of any tenant) uses this email, through the global login index. */
export async function emailInUse(tx: Tx, email: string): Promise<boolean> {
  const { rows } = await sql<{ user_id: string }>`select user_id from auth_lookup_email(${email})`.execute(
    tx,
  );
  return rows.length > 0;
}

/** Points the global login index's entry for this email at the user. Raises a unique violation when taken. */
export async function claimEmail(tx: Tx, email: string, userId: string): Promise<void> {
  await sql`select auth_claim_email(${email}, ${userId})`.execute(tx);
}

/**
 * Serialises changes that could remove an owner: the tenant row, locked without blocking inserts that
 * reference it (FOR NO KEY UPDATE does not conflict with the FOR KEY SHARE of foreign keys).
 */
export async function lockOwnership(tx: Tx, tenantId: string): Promise<void> {
  await tx.selectFrom('tenants').select('id').where('id', '=', tenantId).forNoKeyUpdate().execute();
}

export async function countActiveOwners(tx: Tx, tenantId: string): Promise<number> {
  const row = await tx
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('tenant_id', '=', tenantId)
    .where('role', '=', 'owner')
    .where('active', '=', true)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Ends every refresh-token session of the user (they must log in again). */
export async function revokeRefreshTokens(tx: Tx, tenantId: string, userId: string): Promise<void> {
  await tx
    .updateTable('refresh_tokens')
    .set({ revoked_at: sql<Date>`now()` })
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .execute();
}
