import type { CashReport } from '@zakpos/contracts';
import { sql } from 'kysely';
import type { TenantScope } from '../common/context/request-context.js';
import type { Tx } from '../db/database.js';
import type { CashSessionRow } from './cash-session.repository.js';
import { expectedCash } from './expected-cash.js';

type Tender = CashReport['salesByTender'][number];
type Tax = CashReport['taxes'][number];

/**
 * The figures of a cash session, in SQL over what it recorded: its completed sales, their tenders and
 * taxes, the refunds made on its register meanwhile, the voids, the cash moved in and out, and the cash
 * the till should hold (the same `expectedCash` the closing compares the count with).
 */
export async function cashReportOf(
  tx: Tx,
  scope: TenantScope,
  session: CashSessionRow,
  z: { number: number } | null,
): Promise<CashReport> {
  const t = scope.tenantId;
  const id = session.id;
  const [sales] = (
    await sql<CashReport['sales']>`
      select count(*)::int as count, coalesce(sum(extended), 0)::int8 as extended,
             coalesce(sum(line_discount + cart_discount), 0)::int8 as discount, coalesce(sum(net), 0)::int8 as net,
             coalesce(sum(tax), 0)::int8 as tax, coalesce(sum(gross), 0)::int8 as gross,
             coalesce(sum(cash_rounding), 0)::int8 as "cashRounding"
        from sales where tenant_id = ${t} and cash_session_id = ${id} and status = 'completed'`.execute(tx)
  ).rows;
  const salesByTender = (
    await sql<Tender>`
      select p.kind, p.method_code as "methodCode", count(*)::int as count, sum(p.applied)::int8 as amount
        from sale_payments p join sales s on s.tenant_id = p.tenant_id and s.id = p.sale_id
       where p.tenant_id = ${t} and s.cash_session_id = ${id} and s.status = 'completed'
       group by p.kind, p.method_code order by p.kind, p.method_code nulls first`.execute(tx)
  ).rows;
  const taxes = (
    await sql<Tax>`
      select x.code, x.rate_ppm as "ratePpm", sum(x.taxable_net)::int8 as "taxableNet", sum(x.tax)::int8 as tax
        from sale_line_taxes x join sales s on s.tenant_id = x.tenant_id and s.id = x.sale_id
       where x.tenant_id = ${t} and s.cash_session_id = ${id} and s.status = 'completed'
       group by x.code, x.rate_ppm order by x.code, x.rate_ppm`.execute(tx)
  ).rows;
  const [refunds] = (
    await sql<CashReport['refunds']>`
      select count(*)::int as count, coalesce(sum(net), 0)::int8 as net, coalesce(sum(tax), 0)::int8 as tax,
             coalesce(sum(gross), 0)::int8 as gross, coalesce(sum(paid), 0)::int8 as paid
        from refunds where tenant_id = ${t} and cash_session_id = ${id}`.execute(tx)
  ).rows;
  const refundsByTender = (
    await sql<Tender>`
      select p.kind, p.method_code as "methodCode", count(*)::int as count, sum(p.amount)::int8 as amount
        from refund_payments p join refunds r on r.tenant_id = p.tenant_id and r.id = p.refund_id
       where p.tenant_id = ${t} and r.cash_session_id = ${id}
       group by p.kind, p.method_code order by p.kind, p.method_code nulls first`.execute(tx)
  ).rows;
  const refundTaxes = (
    await sql<Tax>`
      select x.code, x.rate_ppm as "ratePpm", sum(x.taxable_net)::int8 as "taxableNet", sum(x.tax)::int8 as tax
        from refund_line_taxes x join refunds r on r.tenant_id = x.tenant_id and r.id = x.refund_id
       where x.tenant_id = ${t} and r.cash_session_id = ${id}
       group by x.code, x.rate_ppm order by x.code, x.rate_ppm`.execute(tx)
  ).rows;
  const [voids] = (
    await sql<CashReport['voids']>`
      select count(*)::int as count, coalesce(sum(gross), 0)::int8 as gross
        from sales where tenant_id = ${t} and cash_session_id = ${id} and status = 'voided'`.execute(tx)
  ).rows;
  const byReason = (
    await sql<CashReport['cashMovements']['byReason'][number]>`
      select kind, reason_code as "reasonCode", count(*)::int as count, sum(amount)::int8 as amount
        from cash_movements where tenant_id = ${t} and session_id = ${id}
       group by kind, reason_code order by kind, reason_code`.execute(tx)
  ).rows;
  const currency = (
    await tx.selectFrom('tenants').select('currency').where('id', '=', t).executeTakeFirstOrThrow()
  ).currency;
  const expected = await expectedCash(tx, scope, session);
  const cashOf = (rows: Tender[]) => rows.find((r) => r.kind === 'cash')?.amount ?? 0;
  const closed = session.closed_at !== null;
  return {
    kind: z ? 'Z' : 'X',
    number: z?.number ?? null,
    cashSessionId: session.id,
    storeId: session.store_id,
    registerId: session.register_id,
    currency,
    openedAt: session.opened_at.toISOString(),
    closedAt: session.closed_at?.toISOString() ?? null,
    // A Z is taken at the closing; an X when it is read.
    generatedAt: (session.closed_at ?? new Date()).toISOString(),
    sales: sales!,
    salesByTender,
    taxes,
    refunds: refunds!,
    refundsByTender,
    refundTaxes,
    voids: voids!,
    cashMovements: { cashIn: expected.cashIn, cashOut: expected.cashOut, byReason },
    cash: {
      openingFloat: session.opening_float,
      sales: cashOf(salesByTender),
      refunds: cashOf(refundsByTender),
      cashIn: expected.cashIn,
      cashOut: expected.cashOut,
      expected: closed ? session.expected_total! : expected.expected,
      counted: closed ? session.counted_total : null,
      overShort: closed ? session.over_short : null,
    },
  };
}
