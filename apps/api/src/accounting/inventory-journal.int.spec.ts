import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant } from '../test/fixtures.js';
import { createTestApp } from '../test/test-app.js';
import { as, createProducts, setOversellPolicy } from '../inventory/inventory.test-fixtures.js';
import { balances, entryOf, setCosts } from './accounting.test-fixtures.js';

describe('stock movements post their value to the journal', () => {
  let app: NestFastifyApplication;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(() => app.close());

  const setup = async () => {
    const t = await createTenant(app);
    const [each, kg, free] = (await createProducts(app, t.tenantId, [
      { unit: 'each' },
      { unit: 'kg' },
      { unit: 'each' },
    ])) as [string, string, string];
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
    return { t, each, kg, free, owner, a, b, adjust };
  };

  it('received: Dr inventory of the store / Cr goods received not invoiced; losses: Dr shrinkage / Cr inventory', async () => {
    const { t, each, kg, a, adjust } = await setup();
    const received = await adjust(a, 'received', [
      { productId: each, quantity: 4_000 },
      { productId: kg, quantity: 1_234 },
    ]);
    // 4 × 250 + 1.234 kg × 333 = 1000 + 410.922 → 1411
    expect(await entryOf(app, t.tenantId, 'stock_adjustment', received)).toEqual([
      { purpose: 'inventory', storeId: a, debit: 1411, credit: 0 },
      { purpose: 'goods_received_not_invoiced', storeId: a, debit: 0, credit: 1411 },
    ]);
    const damaged = await adjust(a, 'damaged', [{ productId: kg, quantity: -1_001 }]);
    // The level goes from 1.234 kg (411) to 0.233 kg (78): the 333 of value it lost leaves.
    expect(await entryOf(app, t.tenantId, 'stock_adjustment', damaged)).toEqual([
      { purpose: 'inventory', storeId: a, debit: 0, credit: 333 },
      { purpose: 'inventory_shrinkage', storeId: a, debit: 333, credit: 0 },
    ]);
    const found = await adjust(a, 'correction', [{ productId: each, quantity: 1_000 }]);
    expect(await entryOf(app, t.tenantId, 'stock_adjustment', found)).toEqual([
      { purpose: 'inventory', storeId: a, debit: 250, credit: 0 },
      { purpose: 'inventory_shrinkage', storeId: a, debit: 0, credit: 250 },
    ]);
    const b = await balances(app, t.tenantId);
    expect(b.get('inventory')).toBe(1000 + 250 + 78);
  });

  it('weighed goods: the inventory account stays the rounded value of the level, however it is reached', async () => {
    const { t, kg, a, adjust } = await setup();
    for (let i = 0; i < 7; i++) await adjust(a, 'received', [{ productId: kg, quantity: 1 }]);
    // 0.007 kg × 333 = 2.331 → 2, although each gram alone rounds to 0.
    expect((await balances(app, t.tenantId)).get('inventory')).toBe(2);
  });

  it('concurrent adjustments of one level each post the change they made: the account stays exact', async () => {
    const { t, kg, owner, a } = await setup();
    const results = await Promise.all(
      Array.from({ length: 12 }, () =>
        owner('POST', `/stores/${a}/stock/adjustments`, {
          reasonCode: 'received',
          lines: [{ productId: kg, quantity: 1 }],
        }),
      ),
    );
    expect(results.map((r) => r.statusCode)).toEqual(Array(12).fill(201));
    // 0.012 kg × 333 = 3.996 → 4, although no single gram is worth a minor unit.
    const check = (await owner('GET', '/accounting/inventory-check')).json();
    expect(check.inventory).toEqual({ account: 4, stockValue: 4, difference: 0 });
    expect((await balances(app, t.tenantId)).get('goods_received_not_invoiced')).toBe(-4);
  });

  it('a product without a cost posts nothing; an adjustment of only such products has no entry', async () => {
    const { t, each, free, a, adjust } = await setup();
    const none = await adjust(a, 'received', [{ productId: free, quantity: 3_000 }]);
    expect(await entryOf(app, t.tenantId, 'stock_adjustment', none)).toEqual([]);
    const mixed = await adjust(a, 'received', [
      { productId: free, quantity: 3_000 },
      { productId: each, quantity: 1_000 },
    ]);
    expect(await entryOf(app, t.tenantId, 'stock_adjustment', mixed)).toEqual([
      { purpose: 'inventory', storeId: a, debit: 250, credit: 0 },
      { purpose: 'goods_received_not_invoiced', storeId: a, debit: 0, credit: 250 },
    ]);
  });

  it('a completed count posts its variance, losses and gains netted per store', async () => {
    const { t, each, kg, owner, a, adjust } = await setup();
    await adjust(a, 'received', [
      { productId: each, quantity: 10_000 },
      { productId: kg, quantity: 2_000 },
    ]);
    const count = (await owner('POST', `/stores/${a}/counts`, {})).json();
    await owner('PUT', `/counts/${count.id}/lines`, {
      lines: [
        { productId: each, counted: 7_000 },
        { productId: kg, counted: 3_000 },
      ],
    });
    expect((await owner('POST', `/counts/${count.id}/complete`)).statusCode).toBe(200);
    // −3 × 250 + 1 kg × 333 = −417
    expect(await entryOf(app, t.tenantId, 'stock_count', count.id)).toEqual([
      { purpose: 'inventory', storeId: a, debit: 0, credit: 417 },
      { purpose: 'inventory_shrinkage', storeId: a, debit: 417, credit: 0 },
    ]);
  });

  it('a transfer moves value from the source to in transit, then to the destination', async () => {
    const { t, each, kg, owner, a, b, adjust } = await setup();
    await adjust(a, 'received', [
      { productId: each, quantity: 5_000 },
      { productId: kg, quantity: 1_500 },
    ]);
    const sent = await owner('POST', '/transfers', {
      fromStoreId: a,
      toStoreId: b,
      lines: [
        { productId: each, quantity: 2_000 },
        { productId: kg, quantity: 1_001 },
      ],
    });
    expect(sent.statusCode).toBe(201);
    const id = sent.json().id as string;
    // Source: 1.5 kg (500) → 0.499 kg (166): 334 leaves; 2 × 250 = 500.
    expect(await entryOf(app, t.tenantId, 'transfer_send', id)).toEqual([
      { purpose: 'inventory', storeId: a, debit: 0, credit: 834 },
      { purpose: 'inventory_in_transit', storeId: null, debit: 834, credit: 0 },
    ]);
    expect((await owner('POST', `/transfers/${id}/receive`)).statusCode).toBe(200);
    // Destination: 0 → 1.001 kg (333) and 500: 833 arrives; the 1 of rounding goes to adjustments.
    expect(await entryOf(app, t.tenantId, 'transfer_receive', id)).toEqual([
      { purpose: 'inventory', storeId: b, debit: 833, credit: 0 },
      { purpose: 'inventory_in_transit', storeId: null, debit: 0, credit: 834 },
      { purpose: 'inventory_shrinkage', storeId: b, debit: 1, credit: 0 },
    ]);
    const bal = await balances(app, t.tenantId);
    expect(bal.get('inventory_in_transit')).toBe(0);
    expect(bal.get('inventory')).toBe(750 + 166 + 833);
    expect([...bal.values()].reduce((s, v) => s + v, 0)).toBe(0);
  });

  it('a refused movement leaves no entry behind', async () => {
    const { t, each, owner, a } = await setup();
    await setOversellPolicy(app, t.tenantId, a, 'refuse');
    const res = await owner('POST', `/stores/${a}/stock/adjustments`, {
      reasonCode: 'damaged',
      lines: [{ productId: each, quantity: -1_000 }],
    });
    expect(res.statusCode).toBe(409);
    expect((await balances(app, t.tenantId)).size).toBe(0);
  });
});
