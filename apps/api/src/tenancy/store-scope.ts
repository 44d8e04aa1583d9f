import type { RequestContext } from '../common/context/request-context.js';
import { DomainError } from '../common/errors/domain-error.js';

type Scope = Pick<RequestContext, 'storeIds'>;

/** True when the caller may work in the store (owners: every store). */
export function inStoreScope(ctx: Scope, storeId: string): boolean {
  return ctx.storeIds === null || ctx.storeIds.includes(storeId);
}

/** A store of the caller's tenant outside the caller's stores: refused, not hidden (same tenant, no leak). */
export function assertStoreInScope(ctx: Scope, storeId: string): void {
  if (!inStoreScope(ctx, storeId)) throw new DomainError('FORBIDDEN', 'not one of your stores');
}
