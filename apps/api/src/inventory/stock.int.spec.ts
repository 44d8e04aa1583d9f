import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Database } from '../db/database.js';
import { createTenant, type TestTenant } from '../test/fixtures.js';
import { createTestApp } from '../test/test-app.js';
import { checkedInject } from '../test/contract-check.js';
import { as, createProducts, setOversellPolicy } from './inventory.test-fixtures.js';

describe('stock levels, movements and adjustments', () => {
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
    return { t, each, kg, owner: as(app, t.owner.headers), store: t.storeIds[0] };
  };

  const movementCount = (t: TestTenant) =>
    app
      .get(Database)
      .tenant({ tenantId: t.tenantId }, (tx) =>
        tx
          .selectFrom('stock_movements')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow(),
      )
      .then((r) => Number(r.n));

  const auditActions = (t: TestTenant) =>
    app
      .get(Database)
      .tenant({ tenantId: t.tenantId }, (tx) =>
        tx.selectFrom('audit_log').selectAll().orderBy('id').execute(),
      );

  it('posts an adjustment as movements that move the levels, and audits it', async () => {
    const { t, each, kg, owner, store } = await setup();
    const res = await owner('POST', `/stores/${store}/stock/adjustments`, {
      reasonCode: 'received',
      note: 'delivery 42',
      lines: [
        { productId: each, quantity: 12_000 },
        { productId: kg, quantity: 2_500 },
      ],
    });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ storeId: store, reasonCode: 'received', note: 'delivery 42' });
    expect(body.movements).toHaveLength(2);
    expect(body.movements[0]).toMatchObject({
      productId: each,
      quantity: 12_000,
      reason: 'adjustment',
      reasonCode: 'received',
      referenceType: 'adjustment',
      referenceId: body.id,
      userId: t.owner.id,
    });
    expect(body.movements[1]).toMatchObject({ productId: kg, quantity: 2_500 });

    const out = await owner('POST', `/stores/${store}/stock/adjustments`, {
      reasonCode: 'damaged',
      lines: [{ productId: each, quantity: -2_000 }],
    });
    expect(out.statusCode).toBe(201);

    const levels = await owner('GET', `/stores/${store}/stock`);
    expect(levels.statusCode).toBe(200);
    const byId = Object.fromEntries(levels.json().items.map((l: { productId: string }) => [l.productId, l]));
    expect(byId[each]).toMatchObject({ onHand: 10_000, unit: 'each', inTransit: 0, lowStockThreshold: null });
    expect(byId[kg]).toMatchObject({ onHand: 2_500, unit: 'kg' });
    // The other store is untouched.
    const other = await owner('GET', `/stores/${t.storeIds[1]}/stock?productId=${each}`);
    expect(other.json().items).toEqual([
      expect.objectContaining({ productId: each, onHand: 0, updatedAt: null }),
    ]);

    const audit = await auditActions(t);
    expect(audit.map((a) => a.action)).toEqual(['inventory.adjustment', 'inventory.adjustment']);
    expect(audit[0]).toMatchObject({
      entity_type: 'stock_adjustment',
      entity_id: body.id,
      actor_user_id: t.owner.id,
    });
  });

  it('lists movements newest first with a cursor and filters', async () => {
    const { each, kg, owner, store } = await setup();
    for (const quantity of [1_000, 2_000, 3_000]) {
      await owner('POST', `/stores/${store}/stock/adjustments`, {
        reasonCode: 'correction',
        lines: [{ productId: each, quantity }],
      });
    }
    await owner('POST', `/stores/${store}/stock/adjustments`, {
      reasonCode: 'received',
      lines: [{ productId: kg, quantity: 500 }],
    });
    const first = await owner('GET', `/stores/${store}/stock/movements?productId=${each}&limit=2`);
    expect(first.statusCode).toBe(200);
    expect(first.json().items.map((m: { quantity: number }) => m.quantity)).toEqual([3_000, 2_000]);
    const cursor = first.json().nextCursor as string;
    expect(cursor).toEqual(expect.any(String));
    const second = await owner(
      'GET',
      `/stores/${store}/stock/movements?productId=${each}&limit=2&cursor=${cursor}`,
    );
    expect(second.json()).toMatchObject({
      items: [expect.objectContaining({ quantity: 1_000 })],
      nextCursor: null,
    });
    const all = await owner('GET', `/stores/${store}/stock/movements?reason=adjustment`);
    expect(all.json().items).toHaveLength(4);
    const none = await owner('GET', `/stores/${store}/stock/movements?reason=transfer_in`);
    expect(none.json().items).toEqual([]);
    const bad = await owner('GET', `/stores/${store}/stock/movements?cursor=abc`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields).toHaveProperty('cursor');
  });

  it('pages stock levels by SKU', async () => {
    const t = await createTenant(app);
    await createProducts(app, t.tenantId, [{}, {}, {}]);
    const owner = as(app, t.owner.headers);
    const first = await owner('GET', `/stores/${t.storeIds[0]}/stock?limit=2`);
    expect(first.json().items).toHaveLength(2);
    const second = await owner(
      'GET',
      `/stores/${t.storeIds[0]}/stock?limit=2&cursor=${first.json().nextCursor}`,
    );
    expect(second.json().items).toHaveLength(1);
    expect(second.json().nextCursor).toBeNull();
    const skus = [...first.json().items, ...second.json().items].map((l: { sku: string }) => l.sku);
    expect(skus).toEqual([...skus].sort());
    expect(new Set(skus).size).toBe(3);
  });

  it('rejects bad adjustments with 400 naming the field, writing nothing', async () => {
    const { t, each, kg, owner, store } = await setup();
    const cases: [unknown, string][] = [
      [{ reasonCode: 'received', lines: [{ productId: each, quantity: 0 }] }, 'lines.0.quantity'],
      [{ reasonCode: 'received', lines: [{ productId: each, quantity: 1.5 }] }, 'lines.0.quantity'],
      [{ reasonCode: 'received', lines: [{ productId: each, quantity: '1000' }] }, 'lines.0.quantity'],
      [{ reasonCode: 'received', lines: [{ productId: each, quantity: 1e15 }] }, 'lines.0.quantity'],
      [{ reasonCode: 'misplaced', lines: [{ productId: each, quantity: 1000 }] }, 'reasonCode'],
      [{ reasonCode: 'received', lines: [{ productId: each, quantity: 1000 }], extra: 1 }, 'extra'],
      [{ reasonCode: 'received', lines: [{ productId: each, quantity: 1000, price: 5 }] }, 'lines.0.price'],
      [{ reasonCode: 'received', lines: [{ productId: 'nope', quantity: 1000 }] }, 'lines.0.productId'],
      [{ reasonCode: 'received', lines: [] }, 'lines'],
      [{ reasonCode: 'received' }, 'lines'],
      [{ reasonCode: 'received', note: 'x'.repeat(501), lines: [{ productId: each, quantity: 1 }] }, 'note'],
      [
        {
          reasonCode: 'received',
          lines: [
            { productId: each, quantity: 1000 },
            { productId: each, quantity: 1000 },
          ],
        },
        'lines.1.productId',
      ],
      [{ reasonCode: 'received', lines: [{ productId: each, quantity: -1000 }] }, 'lines.0.quantity'],
      [{ reasonCode: 'theft', lines: [{ productId: each, quantity: 1000 }] }, 'lines.0.quantity'],
      // Products sold each move in whole units.
      [
        {
          reasonCode: 'received',
          lines: [
            { productId: kg, quantity: 1_234 },
            { productId: each, quantity: 1_500 },
          ],
        },
        'lines.1.quantity',
      ],
    ];
    for (const [payload, field] of cases) {
      const res = await owner('POST', `/stores/${store}/stock/adjustments`, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
      expect(Object.keys(res.json().error.fields), JSON.stringify(payload)).toContain(field);
    }
    const malformed = await checkedInject(app, {
      method: 'POST',
      url: `/stores/${store}/stock/adjustments`,
      headers: { ...t.owner.headers, 'content-type': 'application/json' },
      payload: '{"reasonCode":',
    });
    expect(malformed.statusCode).toBe(400);
    const badStore = await owner('POST', `/stores/not-a-uuid/stock/adjustments`, {
      reasonCode: 'received',
      lines: [{ productId: each, quantity: 1000 }],
    });
    expect(badStore.statusCode).toBe(400);
    expect(badStore.json().error.fields).toHaveProperty('storeId');
    expect(await movementCount(t)).toBe(0);
    expect(await auditActions(t)).toEqual([]);
  });

  it('answers 404 for another tenant’s store or product, writing nothing', async () => {
    const { t, each, owner, store } = await setup();
    const other = await createTenant(app);
    const [foreignProduct] = await createProducts(app, other.tenantId, [{}]);
    const intoForeignStore = await owner('POST', `/stores/${other.storeIds[0]}/stock/adjustments`, {
      reasonCode: 'received',
      lines: [{ productId: each, quantity: 1000 }],
    });
    expect(intoForeignStore.statusCode).toBe(404);
    expect(intoForeignStore.json().error.code).toBe('NOT_FOUND');
    const foreignLine = await owner('POST', `/stores/${store}/stock/adjustments`, {
      reasonCode: 'received',
      lines: [
        { productId: each, quantity: 1000 },
        { productId: foreignProduct, quantity: 1000 },
      ],
    });
    expect(foreignLine.statusCode).toBe(404);
    expect(foreignLine.json().error.fields).toHaveProperty(['lines.1.productId']);
    expect((await owner('GET', `/stores/${other.storeIds[0]}/stock`)).statusCode).toBe(404);
    expect((await owner('GET', `/stores/${other.storeIds[0]}/stock/movements`)).statusCode).toBe(404);
    expect((await owner('GET', `/stores/${other.storeIds[0]}/stock/low`)).statusCode).toBe(404);
    expect((await owner('GET', `/stores/${store}/stock?productId=${foreignProduct}`)).statusCode).toBe(404);
    expect(
      (await owner('GET', `/stores/${store}/stock/movements?productId=${foreignProduct}`)).statusCode,
    ).toBe(404);
    const threshold = await owner('PUT', `/stores/${store}/stock/${foreignProduct}/threshold`, {
      lowStockThreshold: 1,
    });
    expect(threshold.statusCode).toBe(404);
    expect(await movementCount(t)).toBe(0);
  });

  it('lets cashiers read their own store only, and not adjust', async () => {
    const { t, each, store } = await setup();
    const cashier = as(app, t.cashier.headers);
    expect((await cashier('GET', `/stores/${store}/stock`)).statusCode).toBe(200);
    expect((await cashier('GET', `/stores/${store}/stock/movements`)).statusCode).toBe(200);
    expect((await cashier('GET', `/stores/${store}/stock/low`)).statusCode).toBe(200);
    const forbidden = await cashier('GET', `/stores/${t.storeIds[1]}/stock`);
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().error.code).toBe('FORBIDDEN');
    const adjust = await cashier('POST', `/stores/${store}/stock/adjustments`, {
      reasonCode: 'received',
      lines: [{ productId: each, quantity: 1000 }],
    });
    expect(adjust.statusCode).toBe(403);
    expect(
      (await cashier('PUT', `/stores/${store}/stock/${each}/threshold`, { lowStockThreshold: 1 })).statusCode,
    ).toBe(403);
    const anonymous = await checkedInject(app, { method: 'GET', url: `/stores/${store}/stock` });
    expect(anonymous.statusCode).toBe(401);
    expect(await movementCount(t)).toBe(0);
  });

  it('lets managers adjust their own store only', async () => {
    const { t, each, store } = await setup();
    const manager = as(app, t.manager.headers);
    const own = await manager('POST', `/stores/${store}/stock/adjustments`, {
      reasonCode: 'received',
      lines: [{ productId: each, quantity: 1000 }],
    });
    expect(own.statusCode).toBe(201);
    const foreign = await manager('POST', `/stores/${t.storeIds[1]}/stock/adjustments`, {
      reasonCode: 'received',
      lines: [{ productId: each, quantity: 1000 }],
    });
    expect(foreign.statusCode).toBe(403);
    expect((await manager('GET', `/stores/${t.storeIds[1]}/stock/movements`)).statusCode).toBe(403);
    expect(
      (await manager('PUT', `/stores/${t.storeIds[1]}/stock/${each}/threshold`, { lowStockThreshold: 1 }))
        .statusCode,
    ).toBe(403);
    expect(await movementCount(t)).toBe(1);
  });

  it('sets thresholds and lists products at or below them', async () => {
    const { t, each, kg, owner, store } = await setup();
    await owner('POST', `/stores/${store}/stock/adjustments`, {
      reasonCode: 'received',
      lines: [
        { productId: each, quantity: 5_000 },
        { productId: kg, quantity: 10_000 },
      ],
    });
    const set = await owner('PUT', `/stores/${store}/stock/${each}/threshold`, { lowStockThreshold: 5_000 });
    expect(set.statusCode).toBe(200);
    expect(set.json()).toMatchObject({ productId: each, onHand: 5_000, lowStockThreshold: 5_000 });
    await owner('PUT', `/stores/${store}/stock/${kg}/threshold`, { lowStockThreshold: 2_000 });
    // A threshold on a product never stocked here: on hand 0 is at or below it.
    const [fresh] = await createProducts(app, t.tenantId, [{}]);
    await owner('PUT', `/stores/${t.storeIds[1]}/stock/${fresh}/threshold`, { lowStockThreshold: 0 });

    const low = await owner('GET', `/stores/${store}/stock/low`);
    expect(low.json().items.map((l: { productId: string }) => l.productId)).toEqual([each]);
    const lowOther = await owner('GET', `/stores/${t.storeIds[1]}/stock/low`);
    expect(lowOther.json().items).toEqual([
      expect.objectContaining({ productId: fresh, onHand: 0, lowStockThreshold: 0 }),
    ]);

    await owner('PUT', `/stores/${store}/stock/${each}/threshold`, { lowStockThreshold: null });
    expect((await owner('GET', `/stores/${store}/stock/low`)).json().items).toEqual([]);
    // Setting a threshold moves no stock.
    expect(await movementCount(t)).toBe(2);

    for (const [payload, field] of [
      [{ lowStockThreshold: -1 }, 'lowStockThreshold'],
      [{ lowStockThreshold: 1.5 }, 'lowStockThreshold'],
      [{}, 'lowStockThreshold'],
      [{ lowStockThreshold: 1, other: true }, 'other'],
    ] as const) {
      const res = await owner('PUT', `/stores/${store}/stock/${each}/threshold`, payload);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.fields).toHaveProperty([field]);
    }
  });

  it('refuses to oversell in a refuse store, all or nothing, and allows it otherwise', async () => {
    const { t, each, kg, owner, store } = await setup();
    await setOversellPolicy(app, t.tenantId, store, 'refuse');
    await owner('POST', `/stores/${store}/stock/adjustments`, {
      reasonCode: 'received',
      lines: [
        { productId: each, quantity: 3_000 },
        { productId: kg, quantity: 3_000 },
      ],
    });
    const over = await owner('POST', `/stores/${store}/stock/adjustments`, {
      reasonCode: 'damaged',
      lines: [
        { productId: kg, quantity: -1_000 },
        { productId: each, quantity: -4_000 },
      ],
    });
    expect(over.statusCode).toBe(409);
    expect(over.json().error.code).toBe('INSUFFICIENT_STOCK');
    expect(over.json().error.message).toContain(each);
    expect(over.json().error.fields).toHaveProperty(['lines.1.quantity']);
    // Nothing of the refused adjustment stayed, not even its valid line.
    const levels = (await owner('GET', `/stores/${store}/stock`)).json().items;
    expect(levels.map((l: { onHand: number }) => l.onHand).sort()).toEqual([3_000, 3_000]);
    expect(await movementCount(t)).toBe(2);

    // Down to exactly zero is fine.
    const exact = await owner('POST', `/stores/${store}/stock/adjustments`, {
      reasonCode: 'lost',
      lines: [{ productId: each, quantity: -3_000 }],
    });
    expect(exact.statusCode).toBe(201);

    // The other store allows negative stock.
    const negative = await owner('POST', `/stores/${t.storeIds[1]}/stock/adjustments`, {
      reasonCode: 'theft',
      lines: [{ productId: each, quantity: -2_000 }],
    });
    expect(negative.statusCode).toBe(201);
    const level = await owner('GET', `/stores/${t.storeIds[1]}/stock?productId=${each}`);
    expect(level.json().items[0].onHand).toBe(-2_000);
  });

  it('lets exactly one of two concurrent decrements through when together they would oversell', async () => {
    for (let round = 0; round < 3; round++) {
      const { t, each, owner, store } = await setup();
      await setOversellPolicy(app, t.tenantId, store, 'refuse');
      await owner('POST', `/stores/${store}/stock/adjustments`, {
        reasonCode: 'received',
        lines: [{ productId: each, quantity: 5_000 }],
      });
      const take = () =>
        owner('POST', `/stores/${store}/stock/adjustments`, {
          reasonCode: 'correction',
          lines: [{ productId: each, quantity: -3_000 }],
        });
      const results = await Promise.all([take(), take()]);
      expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409]);
      const level = await owner('GET', `/stores/${store}/stock?productId=${each}`);
      expect(level.json().items[0].onHand).toBe(2_000);
      expect(await movementCount(t)).toBe(2);
    }
  });

  it('lets both concurrent decrements through in an allow_negative store', async () => {
    const { each, owner, store } = await setup();
    await owner('POST', `/stores/${store}/stock/adjustments`, {
      reasonCode: 'received',
      lines: [{ productId: each, quantity: 5_000 }],
    });
    const take = () =>
      owner('POST', `/stores/${store}/stock/adjustments`, {
        reasonCode: 'correction',
        lines: [{ productId: each, quantity: -3_000 }],
      });
    const results = await Promise.all([take(), take()]);
    expect(results.map((r) => r.statusCode)).toEqual([201, 201]);
    const level = await owner('GET', `/stores/${store}/stock?productId=${each}`);
    expect(level.json().items[0].onHand).toBe(-1_000);
  });
});

describe('the movement ledger in the database', () => {
  let app: NestFastifyApplication;
  let appRole: pg.Client;
  beforeAll(async () => {
    app = await createTestApp();
    appRole = new pg.Client({ connectionString: inject('db').appUrl });
    await appRole.connect();
  });
  afterAll(async () => {
    await appRole.end();
    await app.close();
  });

  /** Runs SQL as the API role in the tenant's context, rolled back afterwards. */
  const asApp = async (tenantId: string, text: string, values: unknown[] = []) => {
    await appRole.query('begin');
    try {
      await appRole.query(`select set_config('app.tenant_id', $1, true)`, [tenantId]);
      return await appRole.query(text, values);
    } finally {
      await appRole.query('rollback');
    }
  };

  it('is append-only for the API role, and on hand is not the API role’s to write', async () => {
    const t = await createTenant(app);
    const [product] = await createProducts(app, t.tenantId, [{}]);
    const res = await as(app, t.owner.headers)('POST', `/stores/${t.storeIds[0]}/stock/adjustments`, {
      reasonCode: 'received',
      lines: [{ productId: product, quantity: 1_000 }],
    });
    expect(res.statusCode).toBe(201);
    const movementId = res.json().movements[0].id as string;

    expect(
      (await asApp(t.tenantId, 'select id from stock_movements where id = $1', [movementId])).rowCount,
    ).toBe(1);
    await expect(
      asApp(t.tenantId, 'update stock_movements set quantity = 5000 where id = $1', [movementId]),
    ).rejects.toThrow(/permission denied/);
    await expect(
      asApp(t.tenantId, 'delete from stock_movements where id = $1', [movementId]),
    ).rejects.toThrow(/permission denied/);
    await expect(asApp(t.tenantId, 'truncate stock_movements')).rejects.toThrow(/permission denied/);
    await expect(
      asApp(t.tenantId, 'update stock_levels set on_hand = 99000 where product_id = $1', [product]),
    ).rejects.toThrow(/permission denied/);
    await expect(
      asApp(
        t.tenantId,
        'insert into stock_levels (tenant_id, store_id, product_id, on_hand) values ($1, $2, $3, 99000)',
        [t.tenantId, t.storeIds[1], product],
      ),
    ).rejects.toThrow(/permission denied/);
    await expect(
      asApp(t.tenantId, 'delete from stock_levels where product_id = $1', [product]),
    ).rejects.toThrow(/permission denied/);

    // A movement inserted directly still goes through the trigger.
    const direct = await appRole.query('begin').then(async () => {
      try {
        await appRole.query(`select set_config('app.tenant_id', $1, true)`, [t.tenantId]);
        await appRole.query(
          `insert into stock_movements (tenant_id, id, store_id, product_id, quantity, reason, reason_code)
           values ($1, gen_random_uuid(), $2, $3, 2000, 'adjustment', 'correction')`,
          [t.tenantId, t.storeIds[0], product],
        );
        return await appRole.query(
          'select on_hand from stock_levels where product_id = $1 and store_id = $2',
          [product, t.storeIds[0]],
        );
      } finally {
        await appRole.query('rollback');
      }
    });
    expect(Number(direct.rows[0].on_hand)).toBe(3000);
  });

  it('keeps other tenants’ ledgers invisible', async () => {
    const a = await createTenant(app);
    const b = await createTenant(app);
    const [product] = await createProducts(app, b.tenantId, [{}]);
    await as(app, b.owner.headers)('POST', `/stores/${b.storeIds[0]}/stock/adjustments`, {
      reasonCode: 'received',
      lines: [{ productId: product, quantity: 1_000 }],
    });
    for (const table of ['stock_movements', 'stock_levels']) {
      const seen = await asApp(a.tenantId, `select count(*)::int as n from ${table} where tenant_id = $1`, [
        b.tenantId,
      ]);
      expect(seen.rows[0].n).toBe(0);
    }
    await expect(
      asApp(
        a.tenantId,
        `insert into stock_movements (tenant_id, id, store_id, product_id, quantity, reason, reason_code)
         values ($1, gen_random_uuid(), $2, $3, 1000, 'adjustment', 'correction')`,
        [b.tenantId, b.storeIds[0], product],
      ),
    ).rejects.toThrow(/row-level security/);
  });
});
