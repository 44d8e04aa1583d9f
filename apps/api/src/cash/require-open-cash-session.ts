import type { TenantScope } from '../common/context/request-context.js';
import type { Tx } from '../db/database.js';
import { noOpenCashSession } from './cash.errors.js';
import { type CashSessionRow, findOpenCashSession } from './cash-session.repository.js';

/**
 * The register's open cash session, or a 409 NO_OPEN_CASH_SESSION: the step a checkout (or a cash refund)
 * takes first. The row is locked FOR SHARE until the caller's unit of work ends, so sales run side by
 * side but a close waits for them, and its expected cash includes every sale that took this session.
 */
export async function requireOpenCashSession(
  tx: Tx,
  scope: TenantScope,
  registerId: string,
): Promise<CashSessionRow> {
  const session = await findOpenCashSession(tx, scope.tenantId, registerId, 'share');
  if (!session) throw noOpenCashSession();
  return session;
}
