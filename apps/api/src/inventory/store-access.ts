import type { RequestContext } from '../common/context/request-context.js';
import { DomainError } from '../common/errors/domain-error.js';
import type { Tx } from '../db/database.js';

export interface InventoryStore {
  id: string;
  oversellPolicy: 'allow_negative' | 'refuse';
}

type Scope = Pick<RequestContext, 'storeIds'>;

export const canActInStore = (ctx: Scope, storeId: string): boolean =>
  ctx.storeIds === null || ctx.storeIds.includes(storeId);

export function assertStoreScope(ctx: Scope, storeId: string): void {
  if (!canActInStore(ctx, storeId)) throw new DomainError('FORBIDDEN', 'not one of your stores');
}

/**
 * The tenant's store, or 404 (another tenant's store is invisible under row-level security).
 * With `scoped`, a store outside the caller's stores is refused with 403.
 */
export async function loadStore(
  tx: Tx,
  ctx: Scope,
  storeId: string,
  { scoped = true, field }: { scoped?: boolean; field?: string } = {},
): Promise<InventoryStore> {
  const row = await tx
    .selectFrom('stores')
    .select(['id', 'oversell_policy'])
    .where('id', '=', storeId)
    .executeTakeFirst();
  if (!row) {
    throw new DomainError(
      'NOT_FOUND',
      `store ${storeId} not found`,
      field ? { [field]: ['store not found'] } : undefined,
    );
  }
  if (scoped) assertStoreScope(ctx, storeId);
  return { id: row.id, oversellPolicy: row.oversell_policy };
}
