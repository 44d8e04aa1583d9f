import type { RequestContext } from '../common/context/request-context.js';
import { DomainError } from '../common/errors/domain-error.js';
import type { Tx } from '../db/database.js';
import { assertStoreInScope } from '../tenancy/store-scope.js';
import { type CashSessionRow, findCashSession } from './cash-session.repository.js';

/** The register, or 404; 403 outside the caller's stores, and for a register session on another register. */
export async function loadRegister(
  tx: Tx,
  ctx: RequestContext,
  registerId: string,
  opts: { lock?: 'share' } = {},
) {
  const q = tx
    .selectFrom('registers')
    .select(['id', 'store_id', 'active'])
    .where('tenant_id', '=', ctx.tenantId)
    .where('id', '=', registerId);
  const register = await (opts.lock === 'share' ? q.forShare() : q).executeTakeFirst();
  if (!register) throw DomainError.notFound('register');
  assertRegisterAccess(ctx, register.store_id, register.id);
  return register;
}

/** The cash session, or 404; 403 as for its register. */
export async function loadSession(
  tx: Tx,
  ctx: RequestContext,
  id: string,
  opts: { lock?: boolean } = {},
): Promise<CashSessionRow> {
  const row = await findCashSession(tx, ctx.tenantId, id, opts);
  if (!row) throw DomainError.notFound('cash session');
  assertRegisterAccess(ctx, row.store_id, row.register_id);
  return row;
}

export function assertRegisterAccess(ctx: RequestContext, storeId: string, registerId: string): void {
  assertStoreInScope(ctx, storeId);
  if (ctx.registerId !== null && ctx.registerId !== registerId) {
    throw new DomainError('FORBIDDEN', 'a register session works on its own register only');
  }
}
