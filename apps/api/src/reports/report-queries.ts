import type { ReportName } from '@zakpos/contracts';
import { type RawBuilder, sql } from 'kysely';

/** What every report covers: the tenant, its stores and a range of dates in each store's own time zone. */
export interface ReportRange {
  tenantId: string;
  storeIds: string[];
  /** YYYY-MM-DD, both included. */
  from: string;
  to: string;
}

/*
 * Each report is one SQL statement whose columns are the report row's fields, in order. Amounts are summed
 * in PostgreSQL and cast back to int8 (a sum of bigints is numeric). Every table is reached by its
 * tenant-leading keys: sales and refunds by (tenant_id, store_id, created_at) within each store's local
 * day bounds (migration 0018), their lines, taxes and payments by primary key.
 */

/** The stores, each with its range as instants: local midnight of `from` to local midnight after `to`. */
const stores = (p: ReportRange) => sql`(
  select id, time_zone as tz,
    (${p.from}::date)::timestamp at time zone time_zone as lo,
    (${p.to}::date + 1)::timestamp at time zone time_zone as hi
  from stores
  where tenant_id = ${p.tenantId} and id = any(${p.storeIds}::uuid[])
)`;

/*
 * Each store's rows are read in a LATERAL subquery kept apart by OFFSET 0: its bounds are then parameters
 * of one index range per store. Pulled up into a plain join, the bounds are expressions the planner can
 * only guess at, and it would rather scan the whole table.
 */
const storeRows = (
  p: ReportRange,
  table: 'sales' | 'refunds',
  at: string,
  where: RawBuilder<unknown>,
) => sql`(
  select x.*, ${sql.ref(`x.${at}`)} at time zone st.tz as local_at
  from ${stores(p)} st
  cross join lateral (
    select * from ${sql.table(table)} t
    where t.tenant_id = ${p.tenantId} and t.store_id = st.id
      and ${sql.ref(`t.${at}`)} >= st.lo and ${sql.ref(`t.${at}`)} < st.hi and ${where}
    offset 0
  ) x
)`;

/** Completed sales of the range, with their local time. */
const salesIn = (p: ReportRange) => storeRows(p, 'sales', 'created_at', sql`t.status = 'completed'`);

/** Refunds made in the range, with their local time. */
const refundsIn = (p: ReportRange) => storeRows(p, 'refunds', 'created_at', sql`true`);

/** Sales voided in the range (by the time of the void), with the local time of the void. */
const voidsIn = (p: ReportRange) => storeRows(p, 'sales', 'voided_at', sql`t.status = 'voided'`);

const day = (alias: string) => sql`to_char(${sql.ref(`${alias}.local_at`)}, 'YYYY-MM-DD')`;
const hour = (alias: string) => sql`extract(hour from ${sql.ref(`${alias}.local_at`)})::int`;

/** Sales and refunds side by side, keyed by `saleKey` / `refundKey`, for the sales figures columns. */
const salesAndRefunds = (
  p: ReportRange,
  saleKey: RawBuilder<unknown>,
  refundKey: RawBuilder<unknown>,
) => sql`(
  select ${saleKey} as k, 1 as sale, s.line_discount + s.cart_discount as discount, s.net, s.tax, s.gross,
    0 as refund, 0 as refund_net, 0 as refund_tax, 0 as refund_gross
  from ${salesIn(p)} s
  union all
  select ${refundKey}, 0, 0, 0, 0, 0, 1, r.net, r.tax, r.gross
  from ${refundsIn(p)} r
)`;

const salesFigures = sql`
  sum(u.sale)::int8 as "salesCount", sum(u.discount)::int8 as "discount", sum(u.net)::int8 as "net",
  sum(u.tax)::int8 as "tax", sum(u.gross)::int8 as "gross", sum(u.refund)::int8 as "refundCount",
  sum(u.refund_net)::int8 as "refundNet", sum(u.refund_tax)::int8 as "refundTax",
  sum(u.refund_gross)::int8 as "refundGross", (sum(u.net) - sum(u.refund_net))::int8 as "netAfterRefunds"`;

/** Sale lines and refund lines side by side, keyed by `saleKey` / `refundKey`. */
const linesAndRefundLines = (
  p: ReportRange,
  saleKey: RawBuilder<unknown>,
  refundKey: RawBuilder<unknown>,
) => sql`(
  select ${saleKey} as k, l.quantity, l.line_discount + l.cart_discount as discount, l.net, l.tax, l.gross,
    l.cost, 0 as refunded_quantity, 0 as refund_net, 0 as refund_gross
  from ${salesIn(p)} s
  join sale_lines l on l.tenant_id = ${p.tenantId} and l.sale_id = s.id
  union all
  select ${refundKey}, 0, 0, 0, 0, 0, 0, rl.quantity, rl.net, rl.gross
  from ${refundsIn(p)} r
  join refund_lines rl on rl.tenant_id = ${p.tenantId} and rl.refund_id = r.id
  left join sale_lines sl on sl.tenant_id = ${p.tenantId} and sl.sale_id = rl.sale_id
    and sl.line_no = rl.sale_line_no
  left join products rp on rp.tenant_id = ${p.tenantId} and rp.id = rl.product_id
)`;

const lineFigures = sql`
  sum(u.quantity)::int8 as "quantity", sum(u.discount)::int8 as "discount", sum(u.net)::int8 as "net",
  sum(u.tax)::int8 as "tax", sum(u.gross)::int8 as "gross", sum(u.cost)::int8 as "cost",
  (sum(u.net) - sum(u.cost))::int8 as "margin", sum(u.refunded_quantity)::int8 as "refundedQuantity",
  sum(u.refund_net)::int8 as "refundNet", sum(u.refund_gross)::int8 as "refundGross",
  (sum(u.net) - sum(u.refund_net))::int8 as "netAfterRefunds"`;

const queries: Record<ReportName, (p: ReportRange) => RawBuilder<Record<string, unknown>>> = {
  'sales-by-day': (p) => sql`
    select u.k as "date", ${salesFigures}
    from ${salesAndRefunds(p, day('s'), day('r'))} u
    group by u.k order by u.k`,

  'sales-by-hour': (p) => sql`
    select u.k as "hour", ${salesFigures}
    from ${salesAndRefunds(p, hour('s'), hour('r'))} u
    group by u.k order by u.k`,

  'sales-by-cashier': (p) => sql`
    select u.k as "cashierId", c.name as "cashierName", ${salesFigures}
    from ${salesAndRefunds(p, sql`s.cashier_id`, sql`r.cashier_id`)} u
    join users c on c.tenant_id = ${p.tenantId} and c.id = u.k
    group by u.k, c.name order by c.name, u.k`,

  'sales-by-product': (p) => sql`
    select u.k as "productId", pr.sku, pr.name, ${lineFigures}
    from ${linesAndRefundLines(p, sql`l.product_id`, sql`rl.product_id`)} u
    join products pr on pr.tenant_id = ${p.tenantId} and pr.id = u.k
    group by u.k, pr.sku, pr.name order by pr.name, u.k`,

  // A refund with a receipt counts in the category its sale line had; one without, in the product's own.
  'sales-by-category': (p) => sql`
    select u.k as "categoryId", c.name as "categoryName", ${lineFigures}
    from ${linesAndRefundLines(
      p,
      sql`l.category_id`,
      sql`case when rl.sale_id is null then rp.category_id else sl.category_id end`,
    )} u
    left join categories c on c.tenant_id = ${p.tenantId} and c.id = u.k
    group by u.k, c.name order by c.name nulls last, u.k`,

  'sales-by-payment-method': (p) => sql`
    select u.kind, u.method_code as "methodCode", m.name as "methodName",
      sum(u.n)::int8 as "paymentCount", sum(u.amount)::int8 as "amount",
      sum(u.refund_n)::int8 as "refundCount", sum(u.refunded)::int8 as "refunded",
      (sum(u.amount) - sum(u.refunded))::int8 as "netAmount"
    from (
      select sp.kind, sp.method_code, 1 as n, sp.applied as amount, 0 as refund_n, 0 as refunded
      from ${salesIn(p)} s
      join sale_payments sp on sp.tenant_id = ${p.tenantId} and sp.sale_id = s.id
      union all
      select rp.kind, rp.method_code, 0, 0, 1, rp.amount
      from ${refundsIn(p)} r
      join refund_payments rp on rp.tenant_id = ${p.tenantId} and rp.refund_id = r.id
    ) u
    left join payment_methods m on m.tenant_id = ${p.tenantId} and m.code = u.method_code
    group by u.kind, u.method_code, m.name order by u.kind, u.method_code nulls first`,

  tax: (p) => sql`
    select u.code, u.rate_ppm as "ratePpm", sum(u.taxable_net)::int8 as "taxableNet",
      sum(u.tax)::int8 as "tax", sum(u.refund_taxable_net)::int8 as "refundTaxableNet",
      sum(u.refund_tax)::int8 as "refundTax",
      (sum(u.taxable_net) - sum(u.refund_taxable_net))::int8 as "netTaxableNet",
      (sum(u.tax) - sum(u.refund_tax))::int8 as "netTax"
    from (
      select t.code, t.rate_ppm, t.taxable_net, t.tax, 0 as refund_taxable_net, 0 as refund_tax
      from ${salesIn(p)} s
      join sale_line_taxes t on t.tenant_id = ${p.tenantId} and t.sale_id = s.id
      union all
      select t.code, t.rate_ppm, 0, 0, t.taxable_net, t.tax
      from ${refundsIn(p)} r
      join refund_line_taxes t on t.tenant_id = ${p.tenantId} and t.refund_id = r.id
    ) u
    group by u.code, u.rate_ppm order by u.code, u.rate_ppm`,

  'gross-margin': (p) => sql`
    select u.k as "date", sum(u.net)::int8 as "net", sum(u.cost)::int8 as "cost",
      (sum(u.net) - sum(u.cost))::int8 as "margin", sum(u.refund_net)::int8 as "refundNet",
      sum(u.restocked)::int8 as "restockedValue",
      (sum(u.net) - sum(u.refund_net))::int8 as "netAfterRefunds",
      (sum(u.cost) - sum(u.restocked))::int8 as "costAfterRefunds",
      (sum(u.net) - sum(u.refund_net) - sum(u.cost) + sum(u.restocked))::int8 as "marginAfterRefunds"
    from (
      select ${day('s')} as k, s.net, s.cost, 0 as refund_net, 0 as restocked from ${salesIn(p)} s
      union all
      select ${day('r')}, 0, 0, r.net, r.restocked_value from ${refundsIn(p)} r
    ) u
    group by u.k order by u.k`,

  refunds: (p) => sql`
    select ${day('r')} as "date", count(*)::int8 as "refundCount",
      count(*) filter (where r.sale_id is null)::int8 as "withoutReceiptCount",
      sum(r.extended)::int8 as "extended", sum(r.discount)::int8 as "discount", sum(r.net)::int8 as "net",
      sum(r.tax)::int8 as "tax", sum(r.gross)::int8 as "gross", sum(r.cash_rounding)::int8 as "cashRounding",
      sum(r.paid)::int8 as "paid", sum(r.restocked_value)::int8 as "restockedValue"
    from ${refundsIn(p)} r
    group by 1 order by 1`,

  discounts: (p) => sql`
    select u.k as "date", sum(u.sale)::int8 as "salesCount", sum(u.discounted)::int8 as "discountedSales",
      sum(u.lines)::int8 as "discountedLines", sum(u.line_discount)::int8 as "lineDiscount",
      sum(u.cart_discount)::int8 as "cartDiscount",
      (sum(u.line_discount) + sum(u.cart_discount))::int8 as "discount",
      sum(u.approved)::int8 as "approvedDiscounts", sum(u.refund_discount)::int8 as "refundDiscount",
      (sum(u.line_discount) + sum(u.cart_discount) - sum(u.refund_discount))::int8 as "discountAfterRefunds"
    from (
      select ${day('s')} as k, 1 as sale, (s.line_discount + s.cart_discount > 0)::int as discounted,
        l.lines, s.line_discount, s.cart_discount,
        (s.discount_approved_by is not null)::int + l.approved as approved, 0 as refund_discount
      from ${salesIn(p)} s
      cross join lateral (
        select count(*) filter (where line_discount > 0) as lines,
          count(*) filter (where approved_by is not null) as approved
        from sale_lines
        where tenant_id = ${p.tenantId} and sale_id = s.id
      ) l
      union all
      select ${day('r')}, 0, 0, 0, 0, 0, 0, r.discount from ${refundsIn(p)} r
    ) u
    group by u.k order by u.k`,

  voids: (p) => sql`
    select ${day('v')} as "date", v.voided_by as "voidedById", vb.name as "voidedByName",
      count(*)::int8 as "voidCount", sum(v.net)::int8 as "net", sum(v.tax)::int8 as "tax",
      sum(v.gross)::int8 as "gross"
    from ${voidsIn(p)} v
    join users vb on vb.tenant_id = ${p.tenantId} and vb.id = v.voided_by
    group by 1, 2, 3 order by 1, 3, 2`,
};

/** The report's statement over the range. */
export function reportStatement(report: ReportName, range: ReportRange): RawBuilder<Record<string, unknown>> {
  return queries[report](range);
}
