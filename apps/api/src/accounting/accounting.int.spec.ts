import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../db/database.js';
import { createTenant } from '../test/fixtures.js';
import { createTestApp } from '../test/test-app.js';
import { as, createProducts } from '../inventory/inventory.test-fixtures.js';
import { setCosts } from './accounting.test-fixtures.js';

interface Balance {
  code: string;
  debit: number;
  credit: number;
  balance: number;
}

describe('the accounting routes', () => {
  let app: NestFastifyApplication;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(() => app.close());

  const setup = async () => {
    const t = await createTenant(app);
    const [each, kg] = (await createProducts(app, t.tenantId, [{ unit: 'each' }, { unit: 'kg' }])) as [
      string,
      string,
    ];
    await setCosts(app, t.tenantId, { [each]: 250, [kg]: 333 });
    const owner = as(app, t.owner.headers);
    const [a, b] = t.storeIds;
    const adjust = async (
      store: string,
      reasonCode: string,
      lines: { productId: string; quantity: number }[],
    ) => {
      const res = await owner('POST', `/stores/${store}/stock/adjustments`, { reasonCode, lines });
      expect(res.statusCode).toBe(201);
      return res.json().id as string;
    };
    return { t, each, kg, owner, a, b, adjust };
  };

  it('lists the chart with each account’s normal balance', async () => {
    const { owner } = await setup();
    const res = await owner('GET', '/accounting/accounts');
    expect(res.statusCode).toBe(200);
    const items = res.json().items as {
      code: string;
      purpose: string;
      type: string;
      normalBalance: string;
    }[];
    expect(items).toHaveLength(16);
    expect(items.find((i) => i.purpose === 'inventory')).toMatchObject({
      code: '1200',
      normalBalance: 'debit',
    });
    expect(items.find((i) => i.purpose === 'sales_revenue')).toMatchObject({
      type: 'revenue',
      normalBalance: 'credit',
    });
  });

  it('pages the journal newest first, with lines, and filters by period', async () => {
    const { each, owner, a, adjust } = await setup();
    const first = await adjust(a, 'received', [{ productId: each, quantity: 4_000 }]);
    const second = await adjust(a, 'damaged', [{ productId: each, quantity: -1_000 }]);
    const third = await adjust(a, 'lost', [{ productId: each, quantity: -1_000 }]);
    const p1 = (await owner('GET', '/accounting/journal?limit=2')).json();
    expect(p1.items.map((e: { sourceId: string }) => e.sourceId)).toEqual([third, second]);
    expect(p1.items[0]).toMatchObject({ sourceType: 'stock_adjustment', memo: 'Stock adjustment (lost)' });
    expect(p1.items[0].lines).toEqual([
      expect.objectContaining({ lineNo: 1, accountCode: '1200', debit: 0, credit: 250, storeId: a }),
      expect.objectContaining({ lineNo: 2, accountCode: '5100', debit: 250, credit: 0, storeId: a }),
    ]);
    const p2 = (await owner('GET', `/accounting/journal?limit=2&cursor=${p1.nextCursor}`)).json();
    expect(p2.items.map((e: { sourceId: string }) => e.sourceId)).toEqual([first]);
    expect(p2.nextCursor).toBeNull();

    const postedAt = p1.items[1].postedAt as string;
    const from = (await owner('GET', `/accounting/journal?from=${postedAt}`)).json();
    expect(from.items.map((e: { sourceId: string }) => e.sourceId)).toEqual([third, second]);
    const to = (await owner('GET', `/accounting/journal?to=${postedAt}`)).json();
    expect(to.items.map((e: { sourceId: string }) => e.sourceId)).toEqual([first]);
    const bad = await owner('GET', `/accounting/journal?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields).toHaveProperty('to');
  });

  it('pages an account’s ledger, and answers 404 for an account that is not the tenant’s', async () => {
    const { each, owner, a, adjust } = await setup();
    await adjust(a, 'received', [{ productId: each, quantity: 4_000 }]);
    await adjust(a, 'damaged', [{ productId: each, quantity: -1_000 }]);
    const accounts = (await owner('GET', '/accounting/accounts')).json().items as {
      id: string;
      purpose: string;
    }[];
    const inventory = accounts.find((x) => x.purpose === 'inventory')!.id;
    const p1 = (await owner('GET', `/accounting/accounts/${inventory}/ledger?limit=1`)).json();
    expect(p1.items).toEqual([expect.objectContaining({ debit: 0, credit: 250, storeId: a })]);
    const p2 = (
      await owner('GET', `/accounting/accounts/${inventory}/ledger?limit=1&cursor=${p1.nextCursor}`)
    ).json();
    expect(p2.items).toEqual([
      expect.objectContaining({ debit: 1000, credit: 0, sourceType: 'stock_adjustment' }),
    ]);
    expect(p2.nextCursor).toBeNull();
    const other = await createTenant(app);
    const theirs = await app
      .get(Database)
      .tenant({ tenantId: other.tenantId }, (tx) =>
        tx.selectFrom('accounts').select('id').where('purpose', '=', 'inventory').executeTakeFirstOrThrow(),
      );
    expect((await owner('GET', `/accounting/accounts/${theirs.id}/ledger`)).statusCode).toBe(404);
  });

  it('the trial balance sums to zero, now and at an earlier instant', async () => {
    const { each, kg, owner, a, b, adjust } = await setup();
    await adjust(a, 'received', [{ productId: each, quantity: 4_000 }]);
    const between = (await owner('GET', '/accounting/journal?limit=1')).json().items[0].postedAt as string;
    await adjust(b, 'received', [{ productId: kg, quantity: 2_500 }]);
    await adjust(b, 'expired', [{ productId: kg, quantity: -700 }]);
    const now = (await owner('GET', '/accounting/trial-balance')).json();
    expect(now.totalDebit).toBe(now.totalCredit);
    expect(now.accounts.reduce((s: number, x: Balance) => s + x.balance, 0)).toBe(0);
    const byCode = (tb: { accounts: Balance[] }) =>
      Object.fromEntries(tb.accounts.map((x) => [x.code, x.balance]));
    // 1000 + round(2.5 × 333 = 832.5) = 833, then 1.8 kg = 599.4 → 599 (234 expired)
    expect(byCode(now)).toMatchObject({ '1200': 1000 + 599, '2000': -(1000 + 833), '5100': 234 });
    const earlier = (await owner('GET', `/accounting/trial-balance?at=${between}`)).json();
    expect(earlier.at).toBe(between);
    expect(byCode(earlier)).toMatchObject({ '1200': 1000, '2000': -1000, '5100': 0 });
    const before = (await owner('GET', '/accounting/trial-balance?at=2000-01-01T00:00:00Z')).json();
    expect(before.totalDebit).toBe(0);
    expect(before.accounts).toHaveLength(16);
  });

  it('profit and loss: shrinkage is an expense of the period', async () => {
    const { each, owner, a, adjust } = await setup();
    await adjust(a, 'received', [{ productId: each, quantity: 4_000 }]);
    await adjust(a, 'theft', [{ productId: each, quantity: -2_000 }]);
    await adjust(a, 'correction', [{ productId: each, quantity: 1_000 }]);
    const pl = (await owner('GET', '/accounting/profit-and-loss')).json();
    expect(pl).toMatchObject({ totalRevenue: 0, totalExpenses: 250, netIncome: -250, from: null, to: null });
    expect(pl.expenses.find((l: { code: string }) => l.code === '5100').amount).toBe(250);
    const empty = (await owner('GET', '/accounting/profit-and-loss?to=2000-01-01T00:00:00Z')).json();
    expect(empty).toMatchObject({ totalExpenses: 0, netIncome: 0, to: '2000-01-01T00:00:00Z' });
  });

  it('inventory check: the account equals Σ on hand × cost, per store and in transit; a cost change shows', async () => {
    const { t, each, kg, owner, a, b, adjust } = await setup();
    await adjust(a, 'received', [
      { productId: each, quantity: 9_000 },
      { productId: kg, quantity: 3_217 },
    ]);
    await adjust(a, 'damaged', [{ productId: kg, quantity: -1_111 }]);
    await adjust(b, 'correction', [{ productId: each, quantity: -2_000 }]);
    const transfer = await owner('POST', '/transfers', {
      fromStoreId: a,
      toStoreId: b,
      lines: [{ productId: each, quantity: 3_000 }],
    });
    expect(transfer.statusCode).toBe(201);
    const check = (await owner('GET', '/accounting/inventory-check')).json();
    expect(check.inventory).toEqual({
      account: 1500 + 701 - 500,
      stockValue: 1500 + 701 - 500,
      difference: 0,
    });
    expect(check.stores).toEqual(
      [
        { storeId: a, account: 1500 + 701, stockValue: 1500 + 701, difference: 0 },
        { storeId: b, account: -500, stockValue: -500, difference: 0 },
      ].sort((x, y) => (x.storeId < y.storeId ? -1 : 1)),
    );
    expect(check.inTransit).toEqual({ account: 750, stockValue: 750, difference: 0 });

    await setCosts(app, t.tenantId, { [each]: 300 });
    const after = (await owner('GET', '/accounting/inventory-check')).json();
    // 6 on hand in A, −2 in B: 4 × 50 not revalued; 3 in transit × 50.
    expect(after.inventory.difference).toBe(-200);
    expect(after.inTransit.difference).toBe(-150);
  });
});
