import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { Database } from '../db/database.js';
import { setOversellPolicy } from '../inventory/inventory.test-fixtures.js';
import { useApiHarness } from '../test/api-harness.js';
import {
  moreRegisters,
  postSale,
  SALES_ENGINE_EVENTS,
  saleOf,
  sellingTenant,
} from './sales.test-fixtures.js';

/** Checkouts at the same time, for real: concurrent requests on concurrent database connections. */
describe('checkout under concurrency', () => {
  const h = useApiHarness();

  const count = async (table: string, tenantId: string, where = 'true') =>
    (
      await h.su.query(`select count(*)::int as n from ${table} where tenant_id = $1 and ${where}`, [
        tenantId,
      ])
    ).rows[0].n as number;

  it('50 checkouts of a product with 10 in stock in a refuse store: exactly 10 sales, 40 clean 409s, never below 0', async () => {
    const t = await sellingTenant(h.app, { products: 1, stock: 10 });
    await setOversellPolicy(h.app, t.tenantId, t.storeIds[0], 'refuse');
    const registers = [t.registerIds[0], ...(await moreRegisters(h.app, t, 4))];
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        postSale(h.app, t.cashier.headers, {
          ...saleOf(t, [{ productId: t.productIds[0]! }]),
          registerId: registers[i % registers.length],
        }),
      ),
    );
    const statuses = results.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 201)).toHaveLength(10);
    expect(statuses.filter((s) => s === 409)).toHaveLength(40);
    for (const r of results.filter((x) => x.statusCode === 409)) {
      expect(r.json().error).toMatchObject({
        code: 'INSUFFICIENT_STOCK',
        fields: { 'lines[0].quantity': [expect.any(String)] },
      });
    }
    expect(await count('sales', t.tenantId)).toBe(10);
    const { rows } = await h.su.query(
      `select on_hand::int, min(running)::int as lowest from (
         select sum(quantity) over (order by seq) as running from stock_movements where tenant_id = $1
       ) m, stock_levels l where l.tenant_id = $1 group by on_hand`,
      [t.tenantId],
    );
    expect(rows).toEqual([{ on_hand: 0, lowest: 0 }]);
    // The outbox: two events per sale, each with its own seq from the tenant's sequence, in the order written.
    const events = await h.su.query(
      `select seq::int, type, payload->>'saleId' as sale, payload->>'referenceId' as ref from outbox
        where tenant_id = $1 and ${SALES_ENGINE_EVENTS} order by seq`,
      [t.tenantId],
    );
    expect(events.rows).toHaveLength(20);
    expect(new Set(events.rows.map((e) => e.seq)).size).toBe(20);
    for (const e of events.rows.filter((x) => x.type === 'sale.completed')) {
      const stock = events.rows.find((x) => x.type === 'stock.changed' && x.ref === e.sale)!;
      expect(stock.seq).toBeGreaterThan(e.seq);
    }
  });

  it('20 concurrent retries of one sale id: one sale, one entry, one number, one movement per line, one body', async () => {
    const t = await sellingTenant(h.app);
    const body = saleOf(
      t,
      [{ productId: t.productIds[0]! }, { productId: t.productIds[1]!, quantity: 3000 }],
      {
        payments: [{ kind: 'cash', amount: 5000 }],
      },
    );
    const results = await Promise.all(
      Array.from({ length: 20 }, () => postSale(h.app, t.cashier.headers, body)),
    );
    expect(results.map((r) => r.statusCode).sort((a, b) => b - a)).toEqual([
      201,
      ...Array<number>(19).fill(200),
    ]);
    expect(new Set(results.map((r) => r.body)).size).toBe(1);
    expect(await count('sales', t.tenantId)).toBe(1);
    expect(await count('journal_entries', t.tenantId, "source_type = 'sale'")).toBe(1);
    expect(await count('stock_movements', t.tenantId, "reason = 'sale'")).toBe(2);
    expect(await count('outbox', t.tenantId, SALES_ENGINE_EVENTS)).toBe(2);
    const counter = await h.su.query(
      'select last_document_number as n from register_counters where tenant_id = $1',
      [t.tenantId],
    );
    expect(counter.rows).toEqual([{ n: '1' }]);
  });

  it('receipt numbers stay gapless per register under 32 concurrent checkouts on 4 registers, some failing on purpose', async () => {
    const t = await sellingTenant(h.app, { products: 2, stock: 1000 });
    await setOversellPolicy(h.app, t.tenantId, t.storeIds[0], 'refuse');
    const [plenty, none] = t.productIds;
    // Nothing left of the second product: a checkout of it fails after taking its receipt number.
    await h.app.get(Database).tenant({ tenantId: t.tenantId }, (tx) =>
      tx
        .insertInto('stock_movements')
        .values({
          tenant_id: t.tenantId,
          id: randomUUID(),
          store_id: t.storeIds[0],
          product_id: none!,
          quantity: -1_000_000,
          reason: 'adjustment',
          reason_code: 'lost',
          reference_type: null,
          reference_id: null,
        })
        .execute(),
    );
    const registers = [t.registerIds[0], ...(await moreRegisters(h.app, t, 3))];
    const results = await Promise.all(
      Array.from({ length: 32 }, (_, i) =>
        postSale(h.app, t.cashier.headers, {
          ...saleOf(t, [{ productId: i % 3 === 2 ? none! : plenty! }]),
          registerId: registers[i % 4],
        }),
      ),
    );
    const failed = results.filter((r) => r.statusCode === 409).length;
    expect(failed).toBe(10);
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(22);
    const { rows } = await h.su.query(
      'select register_id, array_agg(receipt_number::int order by receipt_number) as numbers from sales where tenant_id = $1 group by register_id',
      [t.tenantId],
    );
    expect(rows).toHaveLength(4);
    for (const r of rows) {
      expect(r.numbers).toEqual(Array.from({ length: r.numbers.length }, (_, i) => i + 1));
    }
    const counters = await h.su.query(
      'select register_id, last_document_number::int as n from register_counters where tenant_id = $1',
      [t.tenantId],
    );
    const sold = new Map(rows.map((r) => [r.register_id, r.numbers.length]));
    expect(counters.rows.map((c) => c.n === sold.get(c.register_id))).toEqual([true, true, true, true]);
  });

  it('a checkout whose backend is killed mid-transaction leaves nothing behind, and its retry succeeds once', async () => {
    const t = await sellingTenant(h.app);
    expect(
      (await postSale(h.app, t.cashier.headers, saleOf(t, [{ productId: t.productIds[0]! }]))).statusCode,
    ).toBe(201);
    const before = {
      sales: await count('sales', t.tenantId),
      lines: await count('sale_lines', t.tenantId),
      payments: await count('sale_payments', t.tenantId),
      movements: await count('stock_movements', t.tenantId),
      journal: await count('journal_entries', t.tenantId),
      outbox: await count('outbox', t.tenantId),
    };
    // Hold the second product's stock level: the checkout has written its sale, lines, taxes, payments and
    // receipt number when its stock movements wait there, mid-transaction, until its backend is killed.
    const blocker = new pg.Client({ connectionString: inject('db').superuserUrl });
    await blocker.connect();
    await blocker.query('begin');
    await blocker.query('select * from stock_levels where tenant_id = $1 and product_id = $2 for update', [
      t.tenantId,
      t.productIds[1],
    ]);
    const body = saleOf(t, [{ productId: t.productIds[0]! }, { productId: t.productIds[1]! }]);
    const pending = postSale(h.app, t.cashier.headers, body);
    let pid: number | undefined;
    for (let i = 0; i < 200 && pid === undefined; i++) {
      const { rows } = await h.su.query(
        `select pid from pg_stat_activity where wait_event_type = 'Lock' and query like '%stock_movements%' and pid <> pg_backend_pid()`,
      );
      pid = rows[0]?.pid;
      if (pid === undefined) await new Promise((r) => setTimeout(r, 25));
    }
    expect(pid, 'the checkout never reached its stock movements').toBeDefined();
    await h.su.query('select pg_terminate_backend($1)', [pid]);
    const killed = await pending;
    await blocker.query('rollback');
    await blocker.end();
    expect(killed.statusCode, killed.body).toBeGreaterThanOrEqual(500);
    expect({
      sales: await count('sales', t.tenantId),
      lines: await count('sale_lines', t.tenantId),
      payments: await count('sale_payments', t.tenantId),
      movements: await count('stock_movements', t.tenantId),
      journal: await count('journal_entries', t.tenantId),
      outbox: await count('outbox', t.tenantId),
    }).toEqual(before);
    const retry = await postSale(h.app, t.cashier.headers, body);
    expect(retry.statusCode, retry.body).toBe(201);
    expect(retry.json().receiptNumber).toBe(2);
    expect((await postSale(h.app, t.cashier.headers, body)).statusCode).toBe(200);
    expect(await count('sales', t.tenantId)).toBe(2);
  });
});
