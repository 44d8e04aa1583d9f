import type { Role } from '@zakpos/contracts';
import type { RequestContext } from '../common/context/request-context.js';
import { DomainError } from '../common/errors/domain-error.js';

type Actor = Pick<RequestContext, 'role' | 'storeIds'>;

/** What decides who may manage a user: the role and the stores (empty for owners, who have every store). */
export interface UserAccess {
  role: Role;
  storeIds: readonly string[];
}

/** Owners see every user; managers see users sharing at least one of their stores. */
export function maySee(actor: Actor, user: UserAccess): boolean {
  if (actor.role === 'owner' || actor.storeIds === null) return true;
  return user.storeIds.some((id) => actor.storeIds!.includes(id));
}

/**
 * Refuses (403) unless the actor may turn `current` (null when creating) into `next`. Owners may do anything
 * (including granting the owner role); managers may only handle cashiers whose stores, before and after,
 * are all their own; nobody else manages users.
 */
export function assertMayManage(actor: Actor, current: UserAccess | null, next: UserAccess): void {
  if (actor.role === 'owner') return;
  if (actor.role !== 'manager') throw new DomainError('FORBIDDEN', 'only owners and managers manage users');
  for (const user of current ? [current, next] : [next]) {
    if (user.role !== 'cashier') throw new DomainError('FORBIDDEN', 'managers may only manage cashiers');
    if (actor.storeIds && !user.storeIds.every((id) => actor.storeIds!.includes(id))) {
      throw new DomainError('FORBIDDEN', 'managers may only manage users of their own stores');
    }
  }
}

/**
 * The role and stores a user will have after a change. Owners have no store list; a user leaving the owner
 * role must be given stores.
 */
export function nextAccess(
  current: UserAccess,
  change: { role?: Role; storeIds?: readonly string[] },
): UserAccess {
  const role = change.role ?? current.role;
  if (role === 'owner') {
    if (change.storeIds)
      throw DomainError.validation('storeIds', 'owners work in every store: omit storeIds');
    return { role, storeIds: [] };
  }
  const storeIds = change.storeIds ?? (current.role === 'owner' ? undefined : current.storeIds);
  if (!storeIds) throw DomainError.validation('storeIds', 'required for managers and cashiers');
  return { role, storeIds };
}

/** Whether a change takes away an active owner (then another active owner must remain). */
export function removesActiveOwner(
  current: UserAccess & { active: boolean },
  next: UserAccess & { active: boolean },
) {
  return current.role === 'owner' && current.active && !(next.role === 'owner' && next.active);
}
