import type { TenantScope } from '../common/context/request-context.js';
import { sumInt8, type Tx } from '../db/database.js';
import { cashMovementTotals } from './cash-session.repository.js';

/**
 * The cash the session's sales put into the till (the cash part of their tenders, after rounding and
 * change; a voided sale's cash went back to the customer), less the cash its refunds paid back from it.
 */
export async function netCashSalesOfSession(tx: Tx, scope: TenantScope, sessionId: string): Promise<number> {
  const row = await tx
    .selectFrom('sale_payments as p')
    .innerJoin('sales as s', (j) =>
      j.onRef('s.tenant_id', '=', 'p.tenant_id').onRef('s.id', '=', 'p.sale_id'),
    )
    .select(sumInt8('p.applied').as('cash'))
    .where('p.tenant_id', '=', scope.tenantId)
    .where('s.cash_session_id', '=', sessionId)
    .where('s.status', '=', 'completed')
    .where('p.kind', '=', 'cash')
    .executeTakeFirstOrThrow();
  const refunds = await tx
    .selectFrom('refund_payments as p')
    .innerJoin('refunds as r', (j) =>
      j.onRef('r.tenant_id', '=', 'p.tenant_id').onRef('r.id', '=', 'p.refund_id'),
    )
    .select(sumInt8('p.amount').as('cash'))
    .where('p.tenant_id', '=', scope.tenantId)
    .where('r.cash_session_id', '=', sessionId)
    .where('p.kind', '=', 'cash')
    .executeTakeFirstOrThrow();
  return row.cash - refunds.cash;
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
