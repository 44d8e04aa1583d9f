import type { RequestContext } from '../common/context/request-context.js';
import { DomainError } from '../common/errors/domain-error.js';
import type { Tx } from '../db/database.js';
import { assertStoreInScope } from '../tenancy/store-scope.js';

/**
 * The stores a report covers: those asked for (403 outside the caller's stores, 404 for a store the tenant
 * does not have), or by default every store the caller may see.
 */
export async function reportStores(
  tx: Tx,
  ctx: RequestContext,
  asked: string | string[] | undefined,
): Promise<string[]> {
  const ids = asked === undefined ? undefined : [...new Set(typeof asked === 'string' ? [asked] : asked)];
  for (const id of ids ?? []) assertStoreInScope(ctx, id);
  const wanted = ids ?? ctx.storeIds;
  let q = tx.selectFrom('stores').select('id').where('tenant_id', '=', ctx.tenantId);
  if (wanted !== null) {
    if (wanted.length === 0) return [];
    q = q.where('id', 'in', wanted);
  }
  const found = (await q.orderBy('id').execute()).map((s) => s.id);
  if (ids && found.length !== ids.length) throw DomainError.notFound('store');
  return found;
}
