import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../db/database.js';
import { createTenant, type TestTenant } from '../test/fixtures.js';
import { createTestApp } from '../test/test-app.js';
import { as, createProducts, setOversellPolicy } from './inventory.test-fixtures.js';

describe('transfers between stores', () => {
  let app: NestFastifyApplication;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(() => app.close());

  /** A tenant with two products stocked 10 units each in store A (storeIds[0]). */
  const setup = async () => {
    const t = await createTenant(app);
    const [p1, p2] = (await createProducts(app, t.tenantId, [{ unit: 'each' }, { unit: 'kg' }])) as [
      string,
      string,
    ];
    const owner = as(app, t.owner.headers);
    const [a, b] = t.storeIds;
    const stocked = await owner('POST', `/stores/${a}/stock/adjustments`, {
      reasonCode: 'received',
      lines: [
        { productId: p1, quantity: 10_000 },
        { productId: p2, quantity: 10_000 },
      ],
    });
    expect(stocked.statusCode).toBe(201);
    return { t, p1, p2, owner, a, b };
  };

  const onHand = async (t: TestTenant, storeId: string, productId: string) => {
    const res = await as(app, t.owner.headers)('GET', `/stores/${storeId}/stock?productId=${productId}`);
    return res.json().items[0] as { onHand: number; inTransit: number };
  };

  const countRows = (t: TestTenant, table: 'transfers' | 'stock_movements') =>
    app
      .get(Database)
      .tenant({ tenantId: t.tenantId }, (tx) =>
        tx
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow(),
      )
      .then((r) => Number(r.n));

  it('sends (stock leaves the source, in transit to the destination) and receives', async () => {
    const { t, p1, p2, owner, a, b } = await setup();
    const sent = await owner('POST', '/transfers', {
      fromStoreId: a,
      toStoreId: b,
      note: 'weekly top-up',
      lines: [
        { productId: p1, quantity: 4_000 },
        { productId: p2, quantity: 1_250 },
      ],
    });
    expect(sent.statusCode).toBe(201);
    const transfer = sent.json();
    expect(transfer).toMatchObject({
      fromStoreId: a,
      toStoreId: b,
      status: 'in_transit',
      note: 'weekly top-up',
      sentBy: t.owner.id,
      receivedAt: null,
    });
    expect(transfer.lines).toHaveLength(2);

    expect(await onHand(t, a, p1)).toMatchObject({ onHand: 6_000, inTransit: 0 });
    expect(await onHand(t, b, p1)).toMatchObject({ onHand: 0, inTransit: 4_000 });
    expect(await onHand(t, b, p2)).toMatchObject({ onHand: 0, inTransit: 1_250 });
    const outMovements = await owner('GET', `/stores/${a}/stock/movements?reason=transfer_out`);
    expect(outMovements.json().items).toHaveLength(2);
    expect(outMovements.json().items[0]).toMatchObject({
      referenceType: 'transfer',
      referenceId: transfer.id,
    });

    const listed = await owner('GET', '/transfers?status=in_transit');
    expect(listed.json().items.map((x: { id: string }) => x.id)).toEqual([transfer.id]);
    expect((await owner('GET', '/transfers?status=received')).json().items).toEqual([]);

    const received = await owner('POST', `/transfers/${transfer.id}/receive`);
    expect(received.statusCode).toBe(200);
    expect(received.json()).toMatchObject({ id: transfer.id, status: 'received', receivedBy: t.owner.id });
    expect(received.json().receivedAt).toEqual(expect.any(String));
    expect(await onHand(t, b, p1)).toMatchObject({ onHand: 4_000, inTransit: 0 });
    expect(await onHand(t, b, p2)).toMatchObject({ onHand: 1_250, inTransit: 0 });
    expect(await onHand(t, a, p2)).toMatchObject({ onHand: 8_750 });

    const again = await owner('POST', `/transfers/${transfer.id}/receive`);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('INVALID_STATE');
    expect(await onHand(t, b, p1)).toMatchObject({ onHand: 4_000 });

    const fetched = await owner('GET', `/transfers/${transfer.id}`);
    expect(fetched.json()).toMatchObject({ status: 'received', lines: expect.any(Array) });

    const audit = await app
      .get(Database)
      .tenant({ tenantId: t.tenantId }, (tx) =>
        tx
          .selectFrom('audit_log')
          .select(['action', 'entity_id'])
          .where('entity_type', '=', 'transfer')
          .orderBy('id')
          .execute(),
      );
    expect(audit).toEqual([
      { action: 'inventory.transfer.send', entity_id: transfer.id },
      { action: 'inventory.transfer.receive', entity_id: transfer.id },
    ]);
  });

  it('receives exactly once when two receives race', async () => {
    const { t, p1, owner, a, b } = await setup();
    const sent = await owner('POST', '/transfers', {
      fromStoreId: a,
      toStoreId: b,
      lines: [{ productId: p1, quantity: 3_000 }],
    });
    const id = sent.json().id as string;
    const results = await Promise.all([
      owner('POST', `/transfers/${id}/receive`),
      owner('POST', `/transfers/${id}/receive`),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect(await onHand(t, b, p1)).toMatchObject({ onHand: 3_000, inTransit: 0 });
  });

  it('applies the source store’s oversell policy when sending', async () => {
    const { t, p1, p2, owner, a, b } = await setup();
    await setOversellPolicy(app, t.tenantId, a, 'refuse');
    const before = await countRows(t, 'stock_movements');
    const refused = await owner('POST', '/transfers', {
      fromStoreId: a,
      toStoreId: b,
      lines: [
        { productId: p2, quantity: 1_000 },
        { productId: p1, quantity: 11_000 },
      ],
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('INSUFFICIENT_STOCK');
    expect(refused.json().error.message).toContain(p1);
    expect(refused.json().error.fields).toHaveProperty(['lines.1.quantity']);
    expect(await countRows(t, 'transfers')).toBe(0);
    expect(await countRows(t, 'stock_movements')).toBe(before);
    expect(await onHand(t, b, p1)).toMatchObject({ inTransit: 0 });

    // From an allow_negative store the same transfer goes through.
    const fromB = await owner('POST', '/transfers', {
      fromStoreId: b,
      toStoreId: a,
      lines: [{ productId: p1, quantity: 2_000 }],
    });
    expect(fromB.statusCode).toBe(201);
    expect(await onHand(t, b, p1)).toMatchObject({ onHand: -2_000 });
    expect(await onHand(t, a, p1)).toMatchObject({ onHand: 10_000, inTransit: 2_000 });
  });

  it('rejects bad transfers with 400 naming the field, writing nothing', async () => {
    const { t, p1, p2, owner, a, b } = await setup();
    const cases: [unknown, string][] = [
      [{ fromStoreId: a, toStoreId: a, lines: [{ productId: p1, quantity: 1_000 }] }, 'toStoreId'],
      [{ fromStoreId: a, toStoreId: b, lines: [{ productId: p1, quantity: 0 }] }, 'lines.0.quantity'],
      [{ fromStoreId: a, toStoreId: b, lines: [{ productId: p1, quantity: -1_000 }] }, 'lines.0.quantity'],
      [{ fromStoreId: a, toStoreId: b, lines: [{ productId: p1, quantity: 2.5 }] }, 'lines.0.quantity'],
      [{ fromStoreId: a, toStoreId: b, lines: [{ productId: p1, quantity: 1_500 }] }, 'lines.0.quantity'],
      [{ fromStoreId: a, toStoreId: b, lines: [] }, 'lines'],
      [
        { fromStoreId: a, toStoreId: b, lines: [{ productId: p1, quantity: 1_000 }], status: 'received' },
        'status',
      ],
      [{ fromStoreId: 'x', toStoreId: b, lines: [{ productId: p1, quantity: 1_000 }] }, 'fromStoreId'],
      [{ toStoreId: b, lines: [{ productId: p1, quantity: 1_000 }] }, 'fromStoreId'],
      [
        {
          fromStoreId: a,
          toStoreId: b,
          lines: [
            { productId: p2, quantity: 1_000 },
            { productId: p2, quantity: 1_000 },
          ],
        },
        'lines.1.productId',
      ],
    ];
    for (const [payload, field] of cases) {
      const res = await owner('POST', '/transfers', payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(Object.keys(res.json().error.fields), JSON.stringify(payload)).toContain(field);
    }
    expect((await owner('GET', '/transfers?status=lost')).statusCode).toBe(400);
    expect((await owner('GET', '/transfers?cursor=x')).statusCode).toBe(400);
    expect((await owner('POST', '/transfers/not-a-uuid/receive')).statusCode).toBe(400);
    expect(await countRows(t, 'transfers')).toBe(0);
  });

  it('answers 404 for another tenant’s stores, products and transfers', async () => {
    const { t, p1, owner, a, b } = await setup();
    const other = await createTenant(app);
    const [foreignProduct] = await createProducts(app, other.tenantId, [{}]);
    const toForeign = await owner('POST', '/transfers', {
      fromStoreId: a,
      toStoreId: other.storeIds[0],
      lines: [{ productId: p1, quantity: 1_000 }],
    });
    expect(toForeign.statusCode).toBe(404);
    expect(toForeign.json().error.fields).toHaveProperty(['toStoreId']);
    expect(
      (
        await owner('POST', '/transfers', {
          fromStoreId: other.storeIds[0],
          toStoreId: b,
          lines: [{ productId: p1, quantity: 1_000 }],
        })
      ).statusCode,
    ).toBe(404);
    const foreignLine = await owner('POST', '/transfers', {
      fromStoreId: a,
      toStoreId: b,
      lines: [{ productId: foreignProduct, quantity: 1_000 }],
    });
    expect(foreignLine.statusCode).toBe(404);
    expect(await countRows(t, 'transfers')).toBe(0);

    const [otherProduct] = await createProducts(app, other.tenantId, [{}]);
    const otherOwner = as(app, other.owner.headers);
    const theirs = await otherOwner('POST', '/transfers', {
      fromStoreId: other.storeIds[0],
      toStoreId: other.storeIds[1],
      lines: [{ productId: otherProduct, quantity: 1_000 }],
    });
    expect(theirs.statusCode).toBe(201);
    expect((await owner('GET', `/transfers/${theirs.json().id}`)).statusCode).toBe(404);
    expect((await owner('POST', `/transfers/${theirs.json().id}/receive`)).statusCode).toBe(404);
    expect((await owner('GET', `/transfers?storeId=${other.storeIds[0]}`)).statusCode).toBe(404);
    expect((await owner('GET', '/transfers')).json().items).toEqual([]);
    expect((await otherOwner('GET', `/transfers/${theirs.json().id}`)).json().status).toBe('in_transit');
  });

  it('needs the source store to send and the destination store to receive', async () => {
    const { t, p1, owner, a, b } = await setup();
    const manager = as(app, t.manager.headers); // store A only
    const cashier = as(app, t.cashier.headers);

    // Manager of A sends from A to B, but cannot receive at B.
    const aToB = await manager('POST', '/transfers', {
      fromStoreId: a,
      toStoreId: b,
      lines: [{ productId: p1, quantity: 1_000 }],
    });
    expect(aToB.statusCode).toBe(201);
    const receiveAtB = await manager('POST', `/transfers/${aToB.json().id}/receive`);
    expect(receiveAtB.statusCode).toBe(403);
    expect(receiveAtB.json().error.code).toBe('FORBIDDEN');
    expect(await onHand(t, b, p1)).toMatchObject({ onHand: 0, inTransit: 1_000 });

    // Manager of A cannot send from B, but receives what B sends to A.
    const fromB = await manager('POST', '/transfers', {
      fromStoreId: b,
      toStoreId: a,
      lines: [{ productId: p1, quantity: 1_000 }],
    });
    expect(fromB.statusCode).toBe(403);
    const bToA = await owner('POST', '/transfers', {
      fromStoreId: b,
      toStoreId: a,
      lines: [{ productId: p1, quantity: 1_000 }],
    });
    expect((await manager('POST', `/transfers/${bToA.json().id}/receive`)).statusCode).toBe(200);

    // Cashiers read transfers of their store but cannot send or receive.
    expect((await cashier('GET', `/transfers/${aToB.json().id}`)).statusCode).toBe(200);
    expect(
      (
        await cashier('POST', '/transfers', {
          fromStoreId: a,
          toStoreId: b,
          lines: [{ productId: p1, quantity: 1_000 }],
        })
      ).statusCode,
    ).toBe(403);
    expect((await cashier('POST', `/transfers/${aToB.json().id}/receive`)).statusCode).toBe(403);

    // A transfer between two stores that are not the manager's is refused; lists show only theirs.
    const third = await app.get(Database).tenant({ tenantId: t.tenantId }, async (tx) => {
      const id = randomUUID();
      await tx
        .insertInto('stores')
        .values({ tenant_id: t.tenantId, id, code: 'S3', name: 'Store 3' })
        .execute();
      return id;
    });
    const bToC = await owner('POST', '/transfers', {
      fromStoreId: b,
      toStoreId: third,
      lines: [{ productId: p1, quantity: 1_000 }],
    });
    expect(bToC.statusCode).toBe(201);
    expect((await manager('GET', `/transfers/${bToC.json().id}`)).statusCode).toBe(403);
    const managerList = (await manager('GET', '/transfers')).json().items.map((x: { id: string }) => x.id);
    expect(managerList.sort()).toEqual([aToB.json().id, bToA.json().id].sort());
    expect((await manager('GET', `/transfers?storeId=${b}`)).statusCode).toBe(403);
    expect((await owner('GET', '/transfers')).json().items).toHaveLength(3);
    expect(
      (await owner('GET', `/transfers?storeId=${third}`)).json().items.map((x: { id: string }) => x.id),
    ).toEqual([bToC.json().id]);
  });

  it('pages transfers newest first', async () => {
    const { p1, owner, a, b } = await setup();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await owner('POST', '/transfers', {
        fromStoreId: a,
        toStoreId: b,
        lines: [{ productId: p1, quantity: 1_000 }],
      });
      ids.push(res.json().id);
    }
    const first = await owner('GET', '/transfers?limit=2');
    expect(first.json().items.map((x: { id: string }) => x.id)).toEqual([ids[2], ids[1]]);
    const second = await owner('GET', `/transfers?limit=2&cursor=${first.json().nextCursor}`);
    expect(second.json()).toMatchObject({
      items: [expect.objectContaining({ id: ids[0] })],
      nextCursor: null,
    });
  });
});
