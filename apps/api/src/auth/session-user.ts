import type { AuthUser, Role } from '@zakpos/contracts';
import type { Tx } from '../db/database.js';
import { type CredentialRow, isAssignedToStore, type RegisterRow, userStoreIds } from './auth.repository.js';

/** Roles that may open a session on a register. */
export const REGISTER_ROLES: ReadonlySet<Role> = new Set<Role>(['cashier', 'manager', 'owner']);

export type SessionUserResult =
  | { ok: true; user: AuthUser; sessionVersion: number }
  | { ok: false; reason: 'inactive' | 'register_unusable' | 'role' | 'store' };

/**
 * Who a session is for, as the access token will say it. A register-bound session is limited to the
 * register's store, and only while the user may still work there.
 */
export async function sessionUser(
  tx: Tx,
  user: CredentialRow,
  register: RegisterRow | null,
): Promise<SessionUserResult> {
  if (!user.active) return { ok: false, reason: 'inactive' };
  const base = { id: user.id, tenantId: user.tenant_id, role: user.role, name: user.name, email: user.email };
  if (!register) {
    const storeIds = user.role === 'owner' ? null : await userStoreIds(tx, user.tenant_id, user.id);
    return { ok: true, user: { ...base, storeIds }, sessionVersion: user.session_version };
  }
  if (!register.usable) return { ok: false, reason: 'register_unusable' };
  if (!REGISTER_ROLES.has(user.role)) return { ok: false, reason: 'role' };
  if (user.role !== 'owner' && !(await isAssignedToStore(tx, user.tenant_id, user.id, register.store_id))) {
    return { ok: false, reason: 'store' };
  }
  return { ok: true, user: { ...base, storeIds: [register.store_id] }, sessionVersion: user.session_version };
}
