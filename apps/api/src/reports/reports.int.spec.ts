import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { RequestContext } from '../common/context/request-context.js';
import { Database } from '../db/database.js';
import { checkedInject } from '../test/contract-check.js';
import { createTenant, type TestTenant } from '../test/fixtures.js';
import { createTestApp } from '../test/test-app.js';
import { ReportService } from './report.service.js';
import { insertSale, type ReportWorld, reportWorld } from '../test/report-data.js';

const VAT20 = { code: 'VAT20', ratePpm: 200_000 };
const VAT10 = { code: 'VAT10', ratePpm: 100_000 };

describe('reports', () => {
  let app: NestFastifyApplication;
  let su: pg.Client;
  let t: TestTenant;
  let w: ReportWorld;

  const get = (url: string, token = t.owner.token, headers: Record<string, string> = {}) =>
    checkedInject(app, { method: 'GET', url, headers: { authorization: `Bearer ${token}`, ...headers } });
  const rows = async (report: string, extra = '') => {
    const res = await get(`/reports/${report}?from=2026-03-01&to=2026-03-02${extra}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().rows as Record<string, unknown>[];
  };

  beforeAll(async () => {
    app = await createTestApp();
    su = new pg.Client({ connectionString: inject('db').superuserUrl });
    await su.connect();
    t = await createTenant(app);
    w = await reportWorld(su, t);
    // The 1st at 23:30 in Paris (22:30 UTC): the 1st. A line discount, cash with change.
    const s1 = await insertSale(su, w, {
      store: 0,
      at: '2026-03-01 23:30 Europe/Paris',
      receipt: 1,
      lines: [{ product: 0, units: 2, price: 1000, cost: 400, lineDiscount: 200, tax: VAT20 }],
      payments: [{ kind: 'cash', amount: 3000, applied: 2160 }],
      discountApprovedBy: undefined,
    });
    // The 1st at 23:50 in New York (04:50 UTC on the 2nd): the 1st. A cart discount, card + voucher.
    await insertSale(su, w, {
      store: 1,
      at: '2026-03-01 23:50 America/New_York',
      receipt: 1,
      lines: [{ product: 1, units: 1, price: 500, cost: 200, cartDiscount: 50, tax: VAT10 }],
      payments: [
        { kind: 'card', amount: 300, applied: 300 },
        { kind: 'other', amount: 195, applied: 195 },
      ],
      discountApprovedBy: t.manager.id,
    });
    // The 2nd at 00:10 in Paris (23:10 UTC on the 1st), voided at 10:00.
    const s3 = await insertSale(su, w, {
      store: 0,
      at: '2026-03-02 00:10 Europe/Paris',
      receipt: 2,
      lines: [{ product: 0, units: 1, price: 1000, cost: 400, tax: VAT20 }],
      payments: [{ kind: 'card', amount: 1200, applied: 1200 }],
    });
    await su.query(
      `update sales set status = 'voided', voided_at = '2026-03-02 10:00 Europe/Paris', voided_by = $3
        where tenant_id = $1 and id = $2`,
      [t.tenantId, s3, t.manager.id],
    );
    await insertSale(su, w, {
      store: 0,
      at: '2026-03-02 12:00 Europe/Paris',
      receipt: 3,
      lines: [{ product: 1, units: 3, price: 500, cost: 200, tax: VAT10 }],
      payments: [{ kind: 'cash', amount: 1650, applied: 1650 }],
    });
    // One of the two widgets of the first sale comes back on the 2nd, restocked, paid in cash.
    const r1 = randomUUID();
    await su.query(
      `insert into refunds (tenant_id, id, sale_id, store_id, register_id, cash_session_id, receipt_number,
         cashier_id, currency, pricing, reason, extended, discount, net, tax, gross, cash_rounding, paid,
         restocked_value, request_hash, created_at)
       values ($1, $2, $3, $4, $5, $6, 4, $7, (select currency from tenants where id = $1), 'exclusive',
         'broken', 1000, 100, 900, 180, 1080, 0, 1080, 400, $8, '2026-03-02 15:00 Europe/Paris')`,
      [t.tenantId, r1, s1, t.storeIds[0], t.registerIds[0], w.sessions[0], t.cashier.id, 'b'.repeat(64)],
    );
    await su.query(
      `insert into refund_lines (tenant_id, refund_id, line_no, sale_id, sale_line_no, product_id, name, sku,
         quantity, unit_price, restock, extended, discount, net, tax, gross)
       values ($1, $2, 1, $3, 1, $4, 'Widget, "Deluxe"', 'W-1', 1000, 1000, true, 1000, 100, 900, 180, 1080)`,
      [t.tenantId, r1, s1, w.productIds[0]],
    );
    await su.query(
      `insert into refund_line_taxes (tenant_id, refund_id, line_no, code, rate_ppm, taxable_net, tax)
       values ($1, $2, 1, 'VAT20', 200000, 900, 180)`,
      [t.tenantId, r1],
    );
    await su.query(
      `insert into refund_payments (tenant_id, refund_id, payment_no, kind, amount) values ($1, $2, 1, 'cash', 1080)`,
      [t.tenantId, r1],
    );
  });
  afterAll(async () => {
    await su.end();
    await app.close();
  });

  const zeroRefunds = { refundCount: 0, refundNet: 0, refundTax: 0, refundGross: 0 };

  it('sales by day: each sale on its own store-local date, voided sales out, refunds beside', async () => {
    expect(await rows('sales-by-day')).toEqual([
      {
        date: '2026-03-01',
        salesCount: 2,
        discount: 250,
        net: 2250,
        tax: 405,
        gross: 2655,
        ...zeroRefunds,
        netAfterRefunds: 2250,
      },
      {
        date: '2026-03-02',
        salesCount: 1,
        discount: 0,
        net: 1500,
        tax: 150,
        gross: 1650,
        refundCount: 1,
        refundNet: 900,
        refundTax: 180,
        refundGross: 1080,
        netAfterRefunds: 600,
      },
    ]);
    // One store: New York's sale only.
    expect(await rows('sales-by-day', `&storeId=${t.storeIds[1]}`)).toEqual([
      {
        date: '2026-03-01',
        salesCount: 1,
        discount: 50,
        net: 450,
        tax: 45,
        gross: 495,
        ...zeroRefunds,
        netAfterRefunds: 450,
      },
    ]);
    // Both stores named by a repeated parameter: the same as the default.
    expect(await rows('sales-by-day', `&storeId=${t.storeIds[0]}&storeId=${t.storeIds[1]}`)).toEqual(
      await rows('sales-by-day'),
    );
    // A one-day range: the sale at 23:30 in Paris is not the 2nd's.
    const res = await get('/reports/sales-by-day?from=2026-03-02&to=2026-03-02');
    expect(res.json().rows.map((r: { salesCount: number }) => r.salesCount)).toEqual([1]);
  });

  it('sales by hour: the hour in the store’s time zone', async () => {
    const byHour = await rows('sales-by-hour');
    expect(byHour.map((r) => [r.hour, r.salesCount, r.refundCount])).toEqual([
      [12, 1, 0],
      [15, 0, 1],
      [23, 2, 0],
    ]);
  });

  it('sales by product and by category, with cost and margin', async () => {
    expect(await rows('sales-by-product')).toEqual([
      {
        productId: w.productIds[1],
        sku: 'P-1',
        name: 'Plain',
        quantity: 4000,
        discount: 50,
        net: 1950,
        tax: 195,
        gross: 2145,
        cost: 800,
        margin: 1150,
        refundedQuantity: 0,
        refundNet: 0,
        refundGross: 0,
        netAfterRefunds: 1950,
      },
      {
        productId: w.productIds[0],
        sku: 'W-1',
        name: 'Widget, "Deluxe"',
        quantity: 2000,
        discount: 200,
        net: 1800,
        tax: 360,
        gross: 2160,
        cost: 800,
        margin: 1000,
        refundedQuantity: 1000,
        refundNet: 900,
        refundGross: 1080,
        netAfterRefunds: 900,
      },
    ]);
    const byCategory = await rows('sales-by-category');
    expect(byCategory.map((r) => [r.categoryId, r.categoryName, r.net, r.refundNet])).toEqual([
      [w.categoryId, 'Gadgets', 1800, 900],
      [null, null, 1950, 0],
    ]);
  });

  it('sales by cashier, by payment method (cash net of change, split tenders), tax', async () => {
    expect(
      (await rows('sales-by-cashier')).map((r) => [r.cashierId, r.salesCount, r.net, r.refundCount]),
    ).toEqual([[t.cashier.id, 3, 3750, 1]]);
    expect(await rows('sales-by-payment-method')).toEqual([
      {
        kind: 'card',
        methodCode: null,
        methodName: null,
        paymentCount: 1,
        amount: 300,
        refundCount: 0,
        refunded: 0,
        netAmount: 300,
      },
      {
        kind: 'cash',
        methodCode: null,
        methodName: null,
        paymentCount: 2,
        amount: 3810,
        refundCount: 1,
        refunded: 1080,
        netAmount: 2730,
      },
      {
        kind: 'other',
        methodCode: 'voucher',
        methodName: 'Voucher',
        paymentCount: 1,
        amount: 195,
        refundCount: 0,
        refunded: 0,
        netAmount: 195,
      },
    ]);
    expect(await rows('tax')).toEqual([
      {
        code: 'VAT10',
        ratePpm: 100000,
        taxableNet: 1950,
        tax: 195,
        refundTaxableNet: 0,
        refundTax: 0,
        netTaxableNet: 1950,
        netTax: 195,
      },
      {
        code: 'VAT20',
        ratePpm: 200000,
        taxableNet: 1800,
        tax: 360,
        refundTaxableNet: 900,
        refundTax: 180,
        netTaxableNet: 900,
        netTax: 180,
      },
    ]);
  });

  it('gross margin, refunds, discounts and voids by day', async () => {
    expect(await rows('gross-margin')).toEqual([
      {
        date: '2026-03-01',
        net: 2250,
        cost: 1000,
        margin: 1250,
        refundNet: 0,
        restockedValue: 0,
        netAfterRefunds: 2250,
        costAfterRefunds: 1000,
        marginAfterRefunds: 1250,
      },
      {
        date: '2026-03-02',
        net: 1500,
        cost: 600,
        margin: 900,
        refundNet: 900,
        restockedValue: 400,
        netAfterRefunds: 600,
        costAfterRefunds: 200,
        marginAfterRefunds: 400,
      },
    ]);
    expect(await rows('refunds')).toEqual([
      {
        date: '2026-03-02',
        refundCount: 1,
        withoutReceiptCount: 0,
        extended: 1000,
        discount: 100,
        net: 900,
        tax: 180,
        gross: 1080,
        cashRounding: 0,
        paid: 1080,
        restockedValue: 400,
      },
    ]);
    expect(await rows('discounts')).toEqual([
      {
        date: '2026-03-01',
        salesCount: 2,
        discountedSales: 2,
        discountedLines: 1,
        lineDiscount: 200,
        cartDiscount: 50,
        discount: 250,
        approvedDiscounts: 1,
        refundDiscount: 0,
        discountAfterRefunds: 250,
      },
      {
        date: '2026-03-02',
        salesCount: 1,
        discountedSales: 0,
        discountedLines: 0,
        lineDiscount: 0,
        cartDiscount: 0,
        discount: 0,
        approvedDiscounts: 0,
        refundDiscount: 100,
        discountAfterRefunds: -100,
      },
    ]);
    expect(await rows('voids')).toEqual([
      {
        date: '2026-03-02',
        voidedById: t.manager.id,
        voidedByName: expect.any(String),
        voidCount: 1,
        net: 1000,
        tax: 200,
        gross: 1200,
      },
    ]);
  });

  it('CSV: the same rows, RFC 4180 quoting, by format=csv or Accept: text/csv', async () => {
    const url = '/reports/sales-by-product?from=2026-03-01&to=2026-03-02';
    const json = (await get(url)).json().rows as Record<string, unknown>[];
    for (const res of [
      await get(`${url}&format=csv`),
      await get(url, t.owner.token, { accept: 'text/csv' }),
    ]) {
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toBe(
        'attachment; filename="sales-by-product_2026-03-01_2026-03-02.csv"',
      );
      const lines = res.body.split('\r\n');
      expect(lines.at(-1)).toBe('');
      const columns = Object.keys(json[0]!);
      expect(lines[0]).toBe(columns.join(','));
      expect(lines[2]).toContain(',"Widget, ""Deluxe""",');
      expect(lines.slice(1, -1)).toEqual(
        json.map((r) =>
          columns
            .map((c) => {
              const v = r[c];
              if (v === null) return '';
              const s = String(v);
              return /[",]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
            })
            .join(','),
        ),
      );
    }
    // Every report streams its rows as CSV.
    for (const report of ['sales-by-day', 'tax', 'voids', 'sales-by-category']) {
      const res = await get(`/reports/${report}?from=2026-03-01&to=2026-03-02&format=csv`);
      expect(res.body.split('\r\n').length - 2).toBe((await rows(report)).length);
    }
  });

  it('a HEAD of a CSV report ends its unit of work (no connection left in a transaction)', async () => {
    const res = await app.inject({
      method: 'HEAD',
      url: '/reports/sales-by-product?from=2026-03-01&to=2026-03-02&format=csv',
      headers: { authorization: `Bearer ${t.owner.token}` },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    const db = app.get(Database);
    await expect.poll(() => db.poolStats().idle === db.poolStats().total, { timeout: 2000 }).toBe(true);
  });

  it('the OpenAPI document declares each report as JSON rows and as CSV', async () => {
    const doc = (await get('/docs/openapi.json')).json();
    const content = doc.paths['/reports/sales-by-product'].get.responses['200'].content;
    expect(Object.keys(content).sort()).toEqual(['application/json', 'text/csv']);
    expect(content['text/csv'].schema.type).toBe('string');
    const row = content['application/json'].schema.properties.rows.items;
    expect(Object.keys(row.properties)).toContain('netAfterRefunds');
    expect(doc.paths['/reports/tax'].get.description).toContain('reports.read');
  });

  it('a manager sees their own stores only: 403 for another’s', async () => {
    const own = await get('/reports/sales-by-day?from=2026-03-01&to=2026-03-02', t.manager.token);
    expect(own.json().storeIds).toEqual([t.storeIds[0]]);
    expect(own.json().rows.map((r: { salesCount: number }) => r.salesCount)).toEqual([1, 1]);
    const other = await get(
      `/reports/sales-by-day?from=2026-03-01&to=2026-03-02&storeId=${t.storeIds[1]}`,
      t.manager.token,
    );
    expect(other.statusCode).toBe(403);
    const csv = await get(
      `/reports/tax?from=2026-03-01&to=2026-03-02&format=csv&storeId=${t.storeIds[1]}`,
      t.manager.token,
    );
    expect(csv.statusCode).toBe(403);
    expect(csv.json().error.code).toBe('FORBIDDEN');
    expect((await get(`/reports/tax?from=2026-03-01&to=2026-03-02&storeId=${randomUUID()}`)).statusCode).toBe(
      404,
    );
  });

  it('bad dates and ranges: 400 naming the field', async () => {
    const cases: [string, string][] = [
      ['from=2026-02-30&to=2026-03-01', 'from'],
      ['from=2026-03-01&to=yesterday', 'to'],
      ['from=2026-03-02&to=2026-03-01', 'to'],
      ['from=2025-01-01&to=2026-03-01', 'to'],
      ['to=2026-03-01', 'from'],
    ];
    for (const [query, field] of cases) {
      const res = await get(`/reports/sales-by-day?${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(Object.keys(res.json().error.fields), query).toContain(field);
    }
    expect((await get('/reports/sales-by-day?from=2025-03-02&to=2026-03-02')).statusCode).toBe(200);
  });

  it('100k sales: the report equals a direct SQL sum, in JSON and streamed CSV', async () => {
    const big = await createTenant(app);
    const bw = await reportWorld(su, big);
    const started = Date.now();
    await su.query(
      `insert into sales (tenant_id, id, store_id, register_id, cash_session_id, receipt_number, cashier_id,
         currency, pricing, extended, line_discount, cart_discount, net, tax, gross, cash_rounding, tendered,
         change, cost, request_hash, created_at)
       select $1, gen_random_uuid(), $2, $3, $4, i, $5, (select currency from tenants where id = $1), 'exclusive',
         1000 + i % 500, 0, 0, 1000 + i % 500, (1000 + i % 500) / 10, 1000 + i % 500 + (1000 + i % 500) / 10, 0,
         1000 + i % 500 + (1000 + i % 500) / 10, 0, 300, $6,
         ('2026-01-01'::timestamp + (i % 90) * interval '1 day' + (i % 1440) * interval '1 minute')
           at time zone 'Europe/Paris'
       from generate_series(1, 100000) i`,
      [big.tenantId, big.storeIds[0], big.registerIds[0], bw.sessions[0], big.cashier.id, 'c'.repeat(64)],
    );
    await su.query('analyze sales');
    const url = '/reports/sales-by-day?from=2026-01-01&to=2026-03-31';
    const res = await get(url, big.owner.token);
    const expected = await su.query(
      `select to_char(created_at at time zone 'Europe/Paris', 'YYYY-MM-DD') as date, count(*)::int as n,
         sum(net)::int8::text as net, sum(gross)::int8::text as gross
       from sales where tenant_id = $1 group by 1 order by 1`,
      [big.tenantId],
    );
    const got = res.json().rows as { date: string; salesCount: number; net: number; gross: number }[];
    expect(got.map((r) => [r.date, r.salesCount, String(r.net), String(r.gross)])).toEqual(
      expected.rows.map((r: { date: string; n: number; net: string; gross: string }) => [
        r.date,
        r.n,
        r.net,
        r.gross,
      ]),
    );
    expect(got.reduce((a, r) => a + r.salesCount, 0)).toBe(100_000);
    const csv = await get(`${url}&format=csv`, big.owner.token);
    expect(csv.body.split('\r\n').length - 2).toBe(got.length);
    // A line each, over 2,500 products: the product report's CSV comes through the cursor in several fetches.
    await su.query(
      `insert into products (tenant_id, id, sku, name, price, cost, tax_category_id)
       select $1, gen_random_uuid(), 'B-' || i, 'Bulk ' || i, 100, 10, (select tax_category_id from products
         where tenant_id = $1 and id = $2)
       from generate_series(1, 2500) i`,
      [big.tenantId, bw.productIds[0]],
    );
    await su.query(
      `insert into sale_lines (tenant_id, sale_id, line_no, product_id, name, quantity, unit_price, unit_cost,
         extended, line_discount, cart_discount, net, tax, gross, cost)
       select s.tenant_id, s.id, 1, p.id, p.name, 1000, s.net, 300, s.net, 0, 0, s.net, s.tax, s.gross, 300
       from (select *, row_number() over () % 2500 as n from sales where tenant_id = $1) s
       join (select id, name, row_number() over (order by sku) - 1 as n from products
             where tenant_id = $1 and sku like 'B-%') p on p.n = s.n`,
      [big.tenantId],
    );
    await su.query('analyze products, sale_lines');
    const products = await get(url.replace('sales-by-day', 'sales-by-product'), big.owner.token);
    const byProduct = products.json().rows as { net: number; quantity: number }[];
    expect(byProduct).toHaveLength(2500);
    expect(byProduct.reduce((a, r) => a + r.net, 0)).toBe(got.reduce((a, r) => a + r.net, 0));
    expect(byProduct.reduce((a, r) => a + r.quantity, 0)).toBe(100_000_000);
    const productCsv = await get(
      `${url.replace('sales-by-day', 'sales-by-product')}&format=csv`,
      big.owner.token,
    );
    const records = productCsv.body.split('\r\n').slice(1, -1);
    expect(records).toHaveLength(2500);
    const netColumn = productCsv.body.split('\r\n')[0]!.split(',').indexOf('net');
    expect(records.reduce((a, r) => a + Number(r.split(',')[netColumn]), 0)).toBe(
      byProduct.reduce((a, r) => a + r.net, 0),
    );
    // A client that stops reading and goes away: the writer waits on backpressure, then the unit rolls back
    // and its connection goes back to the pool.
    const ctx = {
      requestId: 'r',
      tenantId: big.tenantId,
      userId: big.owner.id,
      role: 'owner',
      storeIds: null,
      registerId: null,
      sessionKind: 'full',
      sessionVersion: 1,
      ip: '127.0.0.1',
      userAgent: null,
    } as const satisfies RequestContext;
    const stream = await app
      .get(ReportService)
      .csv(ctx, 'sales-by-product', { from: '2026-01-01', to: '2026-03-31', format: 'csv' });
    await new Promise((r) => setTimeout(r, 200));
    const db = app.get(Database);
    expect(db.poolStats().idle).toBeLessThan(db.poolStats().total);
    stream.destroy();
    await expect.poll(() => db.poolStats().idle === db.poolStats().total, { timeout: 2000 }).toBe(true);
    expect(Date.now() - started).toBeLessThan(30_000);
  });
});
