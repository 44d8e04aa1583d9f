import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { reportNames } from '@zakpos/contracts';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { DB } from '../db/schema.js';
import { createTenant, type TestTenant } from '../test/fixtures.js';
import { insertSale, type ReportWorld, reportWorld } from '../test/report-data.js';
import { createTestApp } from '../test/test-app.js';
import { reportStatement } from './report-queries.js';

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

const nodes = (n: PlanNode): PlanNode[] => [n, ...(n.Plans ?? []).flatMap(nodes)];

/**
 * The plans of the reports' statements as the app role runs them, under row-level security, over a
 * history of 20k sales (3 lines each), 2k refunds and some voids spread over 400 days: a week's report reads
 * sales and refunds through their (tenant, store, time) indexes and their lines by primary key.
 */
describe('report plans', () => {
  let app: NestFastifyApplication;
  let su: pg.Client;
  let appRole: pg.Pool;
  let t: TestTenant;
  let w: ReportWorld;

  beforeAll(async () => {
    app = await createTestApp();
    su = new pg.Client({ connectionString: inject('db').superuserUrl });
    await su.connect();
    appRole = new pg.Pool({ connectionString: inject('db').appUrl, max: 1 });
    t = await createTenant(app);
    w = await reportWorld(su, t);
    await insertSale(su, w, {
      store: 0,
      at: '2026-03-01 12:00 Europe/Paris',
      receipt: 1_000_000,
      lines: [{ product: 0, units: 1, price: 100, cost: 10, tax: { code: 'VAT', ratePpm: 200_000 } }],
      payments: [{ kind: 'card', amount: 120, applied: 120 }],
    });
    const hash = 'e'.repeat(64);
    await su.query(
      'create temp table gen (id uuid, i int, store_id uuid, register_id uuid, session_id uuid, at timestamptz)',
    );
    await su.query(
      `insert into gen
         select gen_random_uuid(), i, ($1::uuid[])[1 + i % 2], ($2::uuid[])[1 + i % 2], ($3::uuid[])[1 + i % 2],
           '2025-01-01'::timestamptz + (i % 400) * interval '1 day' + (i % 600) * interval '1 minute'
         from generate_series(1, 20000) i`,
      [t.storeIds, t.registerIds, w.sessions],
    );
    await su.query(
      `insert into sales (tenant_id, id, store_id, register_id, cash_session_id, receipt_number, cashier_id,
         currency, pricing, extended, line_discount, cart_discount, net, tax, gross, cash_rounding, tendered,
         change, cost, request_hash, created_at, status, voided_at, voided_by)
       select $1, g.id, g.store_id, g.register_id, g.session_id, g.i, $2, (select currency from tenants where id = $1),
         'exclusive', 300, 0, 0, 300, 30, 330, 0, 330, 0, 30, $3, g.at,
         case when g.i % 100 = 0 then 'voided' else 'completed' end,
         case when g.i % 100 = 0 then g.at end, case when g.i % 100 = 0 then $2::uuid end
       from gen g`,
      [t.tenantId, t.cashier.id, hash],
    );
    await su.query(
      `insert into sale_lines (tenant_id, sale_id, line_no, product_id, name, quantity, unit_price, unit_cost,
         extended, line_discount, cart_discount, net, tax, gross, cost)
       select $1, g.id, n, $2, 'Widget', 1000, 100, 10, 100, 0, 0, 100, 10, 110, 10
       from gen g cross join generate_series(1, 3) n`,
      [t.tenantId, w.productIds[0]],
    );
    await su.query(
      `insert into sale_line_taxes (tenant_id, sale_id, line_no, code, rate_ppm, taxable_net, tax)
       select $1, g.id, n, 'VAT', 100000, 100, 10 from gen g cross join generate_series(1, 3) n`,
      [t.tenantId],
    );
    await su.query(
      `insert into sale_payments (tenant_id, sale_id, payment_no, kind, amount, applied)
       select $1, g.id, 1, 'card', 330, 330 from gen g`,
      [t.tenantId],
    );
    await su.query(
      `insert into refunds (tenant_id, id, sale_id, store_id, register_id, cash_session_id, receipt_number,
         cashier_id, currency, pricing, reason, extended, discount, net, tax, gross, cash_rounding, paid,
         restocked_value, request_hash, created_at)
       select $1, g.id, g.id, g.store_id, g.register_id, g.session_id, g.i, $2,
         (select currency from tenants where id = $1), 'exclusive', 'r', 100, 0, 100, 10, 110, 0, 110, 10, $3,
         g.at + interval '1 hour'
       from gen g where g.i % 10 = 5`,
      [t.tenantId, t.cashier.id, hash],
    );
    await su.query(
      `insert into refund_lines (tenant_id, refund_id, line_no, sale_id, sale_line_no, product_id, name,
         quantity, unit_price, restock, extended, discount, net, tax, gross)
       select $1, g.id, 1, g.id, 1, $2, 'Widget', 1000, 100, true, 100, 0, 100, 10, 110
       from gen g where g.i % 10 = 5`,
      [t.tenantId, w.productIds[0]],
    );
    await su.query(
      `insert into refund_line_taxes (tenant_id, refund_id, line_no, code, rate_ppm, taxable_net, tax)
       select $1, g.id, 1, 'VAT', 100000, 100, 10 from gen g where g.i % 10 = 5`,
      [t.tenantId],
    );
    await su.query(
      `insert into refund_payments (tenant_id, refund_id, payment_no, kind, amount)
       select $1, g.id, 1, 'card', 110 from gen g where g.i % 10 = 5`,
      [t.tenantId],
    );
    await su.query(
      'analyze sales, sale_lines, sale_line_taxes, sale_payments, refunds, refund_lines, refund_line_taxes, refund_payments',
    );
  }, 60_000);
  afterAll(async () => {
    await appRole.end();
    await su.end();
    await app.close();
  });

  it.each(reportNames)(
    '%s reads sales and their lines by index, never by a sequential scan',
    async (report) => {
      const compiler = new Kysely<DB>({ dialect: new PostgresDialect({ pool: appRole }) });
      const statement = reportStatement(report, {
        tenantId: t.tenantId,
        storeIds: [...t.storeIds],
        from: '2026-03-01',
        to: '2026-03-07',
      }).compile(compiler);
      const client = await appRole.connect();
      try {
        await client.query('begin');
        await client.query("select set_config('app.tenant_id', $1, true)", [t.tenantId]);
        const { rows } = await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
          `explain (format json) ${statement.sql}`,
          [...statement.parameters],
        );
        const plan = nodes(rows[0]!['QUERY PLAN'][0].Plan);
        const seqScans = plan.filter((n) => n['Node Type'] === 'Seq Scan').map((n) => n['Relation Name']);
        // The big tables. A refund's taxes and tenders (a tenth of the sales here) may be hashed whole
        // when that is cheaper than a lookup per refund: the planner's right call, not a missing index.
        const history = [
          'sales',
          'sale_lines',
          'sale_line_taxes',
          'sale_payments',
          'refunds',
          'refund_lines',
        ];
        expect(
          seqScans.filter((r) => history.includes(r!)),
          JSON.stringify(plan.map((n) => [n['Node Type'], n['Relation Name'], n['Index Name']])),
        ).toEqual([]);
        const indexes = plan.map((n) => n['Index Name']).filter(Boolean);
        const timeIndex = { voids: 'sales_store_voided', refunds: 'refunds_store_time' }[report as string];
        expect(indexes).toContain(timeIndex ?? 'sales_store_time');
      } finally {
        await client.query('rollback');
        client.release();
      }
    },
  );
});
