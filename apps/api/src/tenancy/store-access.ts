import type { RequestContext } from '../common/context/request-context.js';
import { DomainError } from '../common/errors/domain-error.js';
import type { Tx } from '../db/database.js';
import { assertStoreInScope } from './store-scope.js';

/** What inventory and sales need to know of a store. */
export interface StoreForStock {
  id: string;
  oversellPolicy: 'allow_negative' | 'refuse';
}

/**
 * The tenant's store, or 404 (another tenant's store is invisible under row-level security).
 * With `scoped` (the default), a store outside the caller's stores is refused with 403.
 */
export async function loadStore(
  tx: Tx,
  scope: Pick<RequestContext, 'tenantId' | 'storeIds'>,
  storeId: string,
  { scoped = true, field }: { scoped?: boolean; field?: string } = {},
): Promise<StoreForStock> {
  const row = await tx
    .selectFrom('stores')
    .select(['id', 'oversell_policy'])
    .where('tenant_id', '=', scope.tenantId)
    .where('id', '=', storeId)
    .executeTakeFirst();
  if (!row) {
    throw new DomainError(
      'NOT_FOUND',
      `store ${storeId} not found`,
      field ? { [field]: ['store not found'] } : undefined,
    );
  }
  if (scoped) assertStoreInScope(scope, storeId);
  return { id: row.id, oversellPolicy: row.oversell_policy };
}
