import type { TenantScope } from '../common/context/request-context.js';
import type { Tx } from '../db/database.js';
import { cashMovementTotals } from './cash-session.repository.js';

/**
 * The cash the session's sales put into the till minus the cash its refunds took out (the cash part of
 * the tenders, after rounding and change). No sales exist yet, so it is 0: the checkout extends THIS
 * function, and the expected cash at closing (and the X and Z reports) follow.
 */
export async function netCashSalesOfSession(
  _tx: Tx,
  _scope: TenantScope,
  _sessionId: string,
): Promise<number> {
  return 0;
}

export interface ExpectedCash {
  cashIn: number;
  cashOut: number;
  netCashSales: number;
  /** float + cash in − cash out + cash sales − cash refunds */
  expected: number;
}

/** What the till of a session should hold now. */
export async function expectedCash(
  tx: Tx,
  scope: TenantScope,
  session: { id: string; opening_float: number },
): Promise<ExpectedCash> {
  const { cashIn, cashOut } = await cashMovementTotals(tx, scope.tenantId, session.id);
  const netCashSales = await netCashSalesOfSession(tx, scope, session.id);
  return { cashIn, cashOut, netCashSales, expected: session.opening_float + cashIn - cashOut + netCashSales };
}
