import type { Selectable } from 'kysely';
import type { Tx } from '../db/database.js';
import type { RefreshTokensTable } from './auth.tables.js';

export type RefreshTokenRow = Selectable<RefreshTokensTable>;

export interface NewRefreshToken {
  tenantId: string;
  id: string;
  userId: string;
  familyId: string;
  tokenHash: string;
  registerId: string | null;
  expiresAt: Date;
  ip: string | null;
  userAgent: string | null;
}

export async function insertRefreshToken(tx: Tx, t: NewRefreshToken): Promise<void> {
  await tx
    .insertInto('refresh_tokens')
    .values({
      tenant_id: t.tenantId,
      id: t.id,
      user_id: t.userId,
      family_id: t.familyId,
      token_hash: t.tokenHash,
      register_id: t.registerId,
      expires_at: t.expiresAt,
      ip: t.ip,
      user_agent: t.userAgent,
    })
    .execute();
}

/** Locks the row: of two concurrent refreshes of one token, the second sees the first's rotation. */
export function findByHashForUpdate(
  tx: Tx,
  tenantId: string,
  tokenHash: string,
): Promise<RefreshTokenRow | undefined> {
  return tx
    .selectFrom('refresh_tokens')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('token_hash', '=', tokenHash)
    .forUpdate()
    .executeTakeFirst();
}

export async function markRotated(
  tx: Tx,
  tenantId: string,
  id: string,
  replacedBy: string,
  at: Date,
): Promise<void> {
  await tx
    .updateTable('refresh_tokens')
    .set({ rotated_at: at, replaced_by: replacedBy })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
}

export async function revokeFamily(tx: Tx, tenantId: string, familyId: string, at: Date): Promise<number> {
  const result = await tx
    .updateTable('refresh_tokens')
    .set({ revoked_at: at })
    .where('tenant_id', '=', tenantId)
    .where('family_id', '=', familyId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function revokeAllOfUser(tx: Tx, tenantId: string, userId: string, at: Date): Promise<number> {
  const result = await tx
    .updateTable('refresh_tokens')
    .set({ revoked_at: at })
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export function findById(tx: Tx, tenantId: string, id: string): Promise<RefreshTokenRow | undefined> {
  return tx
    .selectFrom('refresh_tokens')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
}
