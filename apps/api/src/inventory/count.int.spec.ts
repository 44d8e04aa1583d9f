import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../db/database.js';
import { createTenant, type TestTenant } from '../test/fixtures.js';
import { createTestApp } from '../test/test-app.js';
import { as, createProducts, setOversellPolicy } from './inventory.test-fixtures.js';

interface Line {
  productId: string;
  expected: number;
  counted: number | null;
  variance: number | null;
}

describe('stock counts', () => {
  let app: NestFastifyApplication;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(() => app.close());

  /** Store A (storeIds[0]) holds 10 of `each` and 5.000 kg of `kg`; `idle` is inactive, never stocked. */
  const setup = async () => {
    const t = await createTenant(app);
    const [each, kg, idle] = (await createProducts(app, t.tenantId, [
      { unit: 'each' },
      { unit: 'kg' },
      { unit: 'each', active: false },
    ])) as [string, string, string];
    const owner = as(app, t.owner.headers);
    const store = t.storeIds[0];
    await owner('POST', `/stores/${store}/stock/adjustments`, {
      reasonCode: 'received',
      lines: [
        { productId: each, quantity: 10_000 },
        { productId: kg, quantity: 5_000 },
      ],
    });
    return { t, each, kg, idle, owner, store };
  };

  const line = (lines: Line[], productId: string) => lines.find((l) => l.productId === productId);

  const onHand = async (t: TestTenant, storeId: string, productId: string) =>
    (await as(app, t.owner.headers)('GET', `/stores/${storeId}/stock?productId=${productId}`)).json().items[0]
      .onHand as number;

  const countMovements = (t: TestTenant) =>
    app
      .get(Database)
      .tenant({ tenantId: t.tenantId }, (tx) =>
        tx
          .selectFrom('stock_movements')
          .selectAll()
          .where('reference_type', '=', 'count')
          .orderBy('product_id')
          .execute(),
      );

  it('opens a full sheet with expected quantities, records counts and posts the variances on completion', async () => {
    const { t, each, kg, idle, owner, store } = await setup();
    const opened = await owner('POST', `/stores/${store}/counts`, { note: 'year end' });
    expect(opened.statusCode).toBe(201);
    const count = opened.json();
    expect(count).toMatchObject({
      storeId: store,
      status: 'open',
      note: 'year end',
      openedBy: t.owner.id,
      completedAt: null,
    });
    // Active products are on the sheet; the inactive, never-stocked one is not.
    expect(count.lines.map((l: Line) => l.productId).sort()).toEqual([each, kg].sort());
    expect(line(count.lines, each)).toMatchObject({ expected: 10_000, counted: null, variance: null });
    expect(line(count.lines, kg)).toMatchObject({ expected: 5_000 });

    const recorded = await owner('PUT', `/counts/${count.id}/lines`, {
      lines: [
        { productId: each, counted: 8_000 },
        { productId: idle, counted: 2_000 },
      ],
    });
    expect(recorded.statusCode).toBe(200);
    // Open: the variance shown is what completing now would post; a product found on the shelf joins the sheet.
    expect(line(recorded.json().lines, each)).toMatchObject({ counted: 8_000, variance: -2_000 });
    expect(line(recorded.json().lines, idle)).toMatchObject({ expected: 0, counted: 2_000, variance: 2_000 });
    expect(line(recorded.json().lines, kg)).toMatchObject({ counted: null, variance: null });
    // Recording again replaces the counted quantity.
    await owner('PUT', `/counts/${count.id}/lines`, { lines: [{ productId: each, counted: 7_000 }] });

    // Stock moves between counting and completing: the variance is taken against on hand at completion.
    await owner('POST', `/stores/${store}/stock/adjustments`, {
      reasonCode: 'received',
      lines: [{ productId: each, quantity: 1_000 }],
    });

    const completed = await owner('POST', `/counts/${count.id}/complete`);
    expect(completed.statusCode).toBe(200);
    expect(completed.json()).toMatchObject({ status: 'completed', completedBy: t.owner.id });
    expect(line(completed.json().lines, each)).toMatchObject({
      expected: 10_000,
      counted: 7_000,
      variance: -4_000,
    });
    expect(line(completed.json().lines, idle)).toMatchObject({ variance: 2_000 });
    expect(line(completed.json().lines, kg)).toMatchObject({ counted: null, variance: null });

    expect(await onHand(t, store, each)).toBe(7_000);
    expect(await onHand(t, store, idle)).toBe(2_000);
    expect(await onHand(t, store, kg)).toBe(5_000); // not counted: untouched
    const movements = await countMovements(t);
    expect(movements).toHaveLength(2);
    for (const m of movements) {
      expect(m).toMatchObject({
        reason: 'adjustment',
        reason_code: 'count',
        reference_id: count.id,
        user_id: t.owner.id,
      });
    }

    const fetched = await owner('GET', `/counts/${count.id}`);
    expect(fetched.json()).toEqual(completed.json());

    const audit = await app
      .get(Database)
      .tenant({ tenantId: t.tenantId }, (tx) =>
        tx.selectFrom('audit_log').selectAll().where('action', '=', 'inventory.count.complete').execute(),
      );
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ entity_type: 'stock_count', entity_id: count.id });
    expect(audit[0]!.data).toMatchObject({ countedLines: 2 });

    // A completed count is closed.
    const again = await owner('POST', `/counts/${count.id}/complete`);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('INVALID_STATE');
    const late = await owner('PUT', `/counts/${count.id}/lines`, {
      lines: [{ productId: kg, counted: 1_000 }],
    });
    expect(late.statusCode).toBe(409);
    expect(await countMovements(t)).toHaveLength(2);
  });

  it('a counted line equal to on hand posts nothing; a sheet limited to products lists only those', async () => {
    const { t, each, kg, owner, store } = await setup();
    const opened = await owner('POST', `/stores/${store}/counts`, { productIds: [kg] });
    expect(opened.statusCode).toBe(201);
    expect(opened.json().lines.map((l: Line) => l.productId)).toEqual([kg]);
    await owner('PUT', `/counts/${opened.json().id}/lines`, { lines: [{ productId: kg, counted: 5_000 }] });
    const completed = await owner('POST', `/counts/${opened.json().id}/complete`);
    expect(line(completed.json().lines, kg)).toMatchObject({ variance: 0 });
    expect(await countMovements(t)).toHaveLength(0);
    expect(await onHand(t, store, each)).toBe(10_000);
  });

  it('brings a negative level back to the counted quantity, also in a refuse store', async () => {
    const { t, each, owner } = await setup();
    const b = t.storeIds[1];
    await owner('POST', `/stores/${b}/stock/adjustments`, {
      reasonCode: 'correction',
      lines: [{ productId: each, quantity: -3_000 }],
    });
    await setOversellPolicy(app, t.tenantId, b, 'refuse');
    const opened = await owner('POST', `/stores/${b}/counts`, { productIds: [each] });
    expect(line(opened.json().lines, each)).toMatchObject({ expected: -3_000 });
    await owner('PUT', `/counts/${opened.json().id}/lines`, { lines: [{ productId: each, counted: 0 }] });
    const completed = await owner('POST', `/counts/${opened.json().id}/complete`);
    expect(completed.statusCode).toBe(200);
    expect(line(completed.json().lines, each)).toMatchObject({ variance: 3_000 });
    expect(await onHand(t, b, each)).toBe(0);
  });

  it('lists a store’s counts newest first, filtered by status', async () => {
    const { owner, store } = await setup();
    const first = (await owner('POST', `/stores/${store}/counts`, {})).json();
    const second = (await owner('POST', `/stores/${store}/counts`, {})).json();
    await owner('POST', `/counts/${first.id}/complete`);
    const all = await owner('GET', `/stores/${store}/counts?limit=1`);
    expect(all.json().items.map((c: { id: string }) => c.id)).toEqual([second.id]);
    const next = await owner('GET', `/stores/${store}/counts?limit=1&cursor=${all.json().nextCursor}`);
    expect(next.json()).toMatchObject({
      items: [expect.objectContaining({ id: first.id, status: 'completed' })],
      nextCursor: null,
    });
    const open = await owner('GET', `/stores/${store}/counts?status=open`);
    expect(open.json().items.map((c: { id: string }) => c.id)).toEqual([second.id]);
  });

  it('rejects bad input with 400 naming the field, writing nothing', async () => {
    const { t, each, kg, owner, store } = await setup();
    const count = (await owner('POST', `/stores/${store}/counts`, { productIds: [each] })).json();
    const lineCases: [unknown, string][] = [
      [{ lines: [{ productId: kg, counted: -1 }] }, 'lines.0.counted'],
      [{ lines: [{ productId: kg, counted: 1.5 }] }, 'lines.0.counted'],
      [{ lines: [{ productId: kg, counted: null }] }, 'lines.0.counted'],
      [{ lines: [{ productId: kg }] }, 'lines.0.counted'],
      [{ lines: [{ productId: each, counted: 1_500 }] }, 'lines.0.counted'],
      [{ lines: [{ productId: kg, counted: 1, extra: 1 }] }, 'lines.0.extra'],
      [{ lines: [] }, 'lines'],
      [
        {
          lines: [
            { productId: kg, counted: 1 },
            { productId: kg, counted: 2 },
          ],
        },
        'lines.1.productId',
      ],
    ];
    for (const [payload, field] of lineCases) {
      const res = await owner('PUT', `/counts/${count.id}/lines`, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(Object.keys(res.json().error.fields), JSON.stringify(payload)).toContain(field);
    }
    const openCases: [unknown, string][] = [
      [{ productIds: [] }, 'productIds'],
      [{ productIds: ['x'] }, 'productIds.0'],
      [{ productIds: [each, each] }, 'productIds.1'],
      [{ storeId: store }, 'storeId'],
      [{ note: '' }, 'note'],
    ];
    for (const [payload, field] of openCases) {
      const res = await owner('POST', `/stores/${store}/counts`, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(Object.keys(res.json().error.fields), JSON.stringify(payload)).toContain(field);
    }
    expect((await owner('GET', `/counts/${count.id}`)).json().lines).toEqual([
      expect.objectContaining({ productId: each, counted: null }),
    ]);
    expect((await owner('GET', `/stores/${store}/counts`)).json().items).toHaveLength(1);
    expect((await owner('GET', `/stores/${store}/counts?status=done`)).statusCode).toBe(400);
    expect(await onHand(t, store, each)).toBe(10_000);
  });

  it('answers 404 for another tenant’s store, product or count', async () => {
    const { t, each, owner, store } = await setup();
    const other = await createTenant(app);
    const [foreignProduct] = (await createProducts(app, other.tenantId, [{}])) as [string];
    expect((await owner('POST', `/stores/${other.storeIds[0]}/counts`, {})).statusCode).toBe(404);
    expect((await owner('GET', `/stores/${other.storeIds[0]}/counts`)).statusCode).toBe(404);
    const foreignOnSheet = await owner('POST', `/stores/${store}/counts`, {
      productIds: [each, foreignProduct],
    });
    expect(foreignOnSheet.statusCode).toBe(404);
    expect(foreignOnSheet.json().error.fields).toHaveProperty(['productIds.1']);

    const mine = (await owner('POST', `/stores/${store}/counts`, { productIds: [each] })).json();
    const foreignLine = await owner('PUT', `/counts/${mine.id}/lines`, {
      lines: [{ productId: foreignProduct, counted: 0 }],
    });
    expect(foreignLine.statusCode).toBe(404);
    expect(foreignLine.json().error.fields).toHaveProperty(['lines.0.productId']);

    const theirs = (
      await as(app, other.owner.headers)('POST', `/stores/${other.storeIds[0]}/counts`, {})
    ).json();
    expect((await owner('GET', `/counts/${theirs.id}`)).statusCode).toBe(404);
    expect(
      (await owner('PUT', `/counts/${theirs.id}/lines`, { lines: [{ productId: each, counted: 0 }] }))
        .statusCode,
    ).toBe(404);
    expect((await owner('POST', `/counts/${theirs.id}/complete`)).statusCode).toBe(404);
    expect((await owner('GET', `/stores/${store}/counts`)).json().items).toHaveLength(1);
    expect(await onHand(t, store, each)).toBe(10_000);
  });

  it('allows managers in their own store only, and cashiers not at all', async () => {
    const { t, each, owner, store } = await setup();
    const manager = as(app, t.manager.headers);
    const cashier = as(app, t.cashier.headers);
    const own = await manager('POST', `/stores/${store}/counts`, { productIds: [each] });
    expect(own.statusCode).toBe(201);
    expect(
      (
        await manager('PUT', `/counts/${own.json().id}/lines`, {
          lines: [{ productId: each, counted: 9_000 }],
        })
      ).statusCode,
    ).toBe(200);
    expect((await manager('POST', `/counts/${own.json().id}/complete`)).statusCode).toBe(200);
    expect(await onHand(t, store, each)).toBe(9_000);

    const b = t.storeIds[1];
    expect((await manager('POST', `/stores/${b}/counts`, {})).statusCode).toBe(403);
    expect((await manager('GET', `/stores/${b}/counts`)).statusCode).toBe(403);
    const inB = (await owner('POST', `/stores/${b}/counts`, { productIds: [each] })).json();
    expect((await manager('GET', `/counts/${inB.id}`)).statusCode).toBe(403);
    expect(
      (await manager('PUT', `/counts/${inB.id}/lines`, { lines: [{ productId: each, counted: 1_000 }] }))
        .statusCode,
    ).toBe(403);
    expect((await manager('POST', `/counts/${inB.id}/complete`)).statusCode).toBe(403);
    expect((await owner('GET', `/counts/${inB.id}`)).json()).toMatchObject({
      status: 'open',
      lines: [expect.objectContaining({ counted: null })],
    });

    expect((await cashier('POST', `/stores/${store}/counts`, {})).statusCode).toBe(403);
    expect((await cashier('GET', `/counts/${own.json().id}`)).statusCode).toBe(403);
    expect((await cashier('GET', `/stores/${store}/counts`)).statusCode).toBe(403);
  });
});
