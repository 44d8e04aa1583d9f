import type { AccessClaims } from '../auth/token.service.js';
import type { Tx } from '../db/database.js';

/** Every socket of a tenant's users. */
export const tenantRoom = (tenantId: string): string => `tenant:${tenantId}`;

/** Every socket whose user may see the store. */
export const storeRoom = (tenantId: string, storeId: string): string => `store:${tenantId}:${storeId}`;

/** Every socket of one user (an export's progress goes to whoever asked for it). */
export const userRoom = (tenantId: string, userId: string): string => `user:${tenantId}:${userId}`;

/**
 * The rooms a socket joins, from its verified token only: its tenant's, its user's, and one per store the
 * token lets it see (an owner's full session names no stores: every store of the tenant, as it is at connect).
 */
export async function roomsOf(tx: Tx, claims: AccessClaims): Promise<string[]> {
  const storeIds =
    claims.storeIds ??
    (await tx.selectFrom('stores').select('id').where('tenant_id', '=', claims.tenantId).execute()).map(
      (s) => s.id,
    );
  return [
    tenantRoom(claims.tenantId),
    userRoom(claims.tenantId, claims.userId),
    ...storeIds.map((id) => storeRoom(claims.tenantId, id)),
  ];
}
