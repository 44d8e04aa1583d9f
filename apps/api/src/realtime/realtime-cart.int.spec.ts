import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Cart } from '@zakpos/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sellingTenant, type SellingTenant } from '../sales/sales.test-fixtures.js';
import { checkedInject } from '../test/contract-check.js';
import { createTenant, type TestTenant, type TestUser } from '../test/fixtures.js';
import { createTestApp } from '../test/test-app.js';
import { Database } from '../db/database.js';
import { CART_UPDATED_EVENT, pushCartAfterCommit } from './cart-updates.js';
import { RealtimeGateway } from './realtime.gateway.js';
import { connectClient, type TestClient } from './realtime.test-fixtures.js';

/**
 * Every committed change of a server cart is pushed to its store's sockets as `cart.updated`, carrying what
 * the REST answer carries; a refused change pushes nothing. An in-process API on the shared database.
 */
describe('cart.updated', () => {
  let app: NestFastifyApplication;
  let url: string;
  let t: SellingTenant;
  let other: TestTenant;
  const clients: TestClient[] = [];

  beforeAll(async () => {
    app = await createTestApp();
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
    t = await sellingTenant(app);
    other = await createTenant(app);
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await app?.close();
  });

  const connect = async (token: string) => {
    const client = await connectClient(url, token);
    clients.push(client);
    return client;
  };
  const send = (user: TestUser, method: 'POST' | 'PATCH', path: string, payload: object) =>
    checkedInject(app, { method, url: path, headers: user.headers, payload });

  it('reaches a second client of the store after each committed change, and nothing for a refused one', async () => {
    const manager = await connect(t.manager.token);
    const stranger = await connect(other.owner.token);

    const opened = await send(t.cashier, 'POST', '/carts', { registerId: t.registerIds[0] });
    expect(opened.statusCode, opened.body).toBe(201);
    const cartId = opened.json().id as string;
    const isCart = (version: number) => (d: Record<string, unknown>) =>
      d.id === cartId && d.version === version;
    expect((await manager.hear(CART_UPDATED_EVENT, isCart(1))).data).toEqual(opened.json());

    const added = await send(t.cashier, 'POST', `/carts/${cartId}/lines`, {
      version: 1,
      productId: t.productIds[0],
      quantity: 2000,
    });
    expect(added.statusCode, added.body).toBe(201);
    const pushed = await manager.hear(CART_UPDATED_EVENT, isCart(2));
    expect(pushed.data).toEqual(added.json());
    expect(pushed.data.lines).toMatchObject([{ productId: t.productIds[0], quantity: 2000 }]);

    // Refused: a stale version (409), and a discount beyond the cashier's limit, refused after the line was
    // written in the same unit of work (403, rolled back).
    const stale = await send(t.cashier, 'POST', `/carts/${cartId}/lines`, {
      version: 1,
      productId: t.productIds[1],
    });
    expect(stale.statusCode, stale.body).toBe(409);
    const tooGenerous = await send(t.cashier, 'POST', `/carts/${cartId}/lines`, {
      version: 2,
      productId: t.productIds[1],
      discount: { kind: 'percent', basisPoints: 5000 },
    });
    expect(tooGenerous.statusCode, tooGenerous.body).toBe(403);
    expect(tooGenerous.json().error.code).toBe('APPROVAL_REQUIRED');

    const parked = await send(t.cashier, 'POST', `/carts/${cartId}/park`, { version: 2 });
    expect(parked.statusCode, parked.body).toBe(200);
    expect((await manager.hear(CART_UPDATED_EVENT, isCart(3))).data).toEqual(parked.json());
    // The refused changes came between the line and the park: neither was pushed.
    expect(manager.all(CART_UPDATED_EVENT).map((c) => [c.version, c.status])).toEqual([
      [1, 'open'],
      [2, 'open'],
      [3, 'parked'],
    ]);

    // The other tenant's own change is pushed after every one above: its owner heard none of them.
    const theirs = await send(other.owner, 'POST', '/carts', { registerId: other.registerIds[0] });
    expect(theirs.statusCode, theirs.body).toBe(201);
    await stranger.hear(CART_UPDATED_EVENT, (d) => d.id === theirs.json().id);
    expect(stranger.all(CART_UPDATED_EVENT).map((c) => c.id)).toEqual([theirs.json().id]);
  });

  it('pushes the cart checked out when its sale commits, and nothing for a refused second checkout', async () => {
    const manager = await connect(t.manager.token);
    const opened = await send(t.cashier, 'POST', '/carts', { registerId: t.registerIds[0] });
    expect(opened.statusCode, opened.body).toBe(201);
    const cartId = opened.json().id as string;
    const added = await send(t.cashier, 'POST', `/carts/${cartId}/lines`, {
      version: 1,
      productId: t.productIds[0],
      quantity: 1000,
    });
    expect(added.statusCode, added.body).toBe(201);
    const sale = {
      registerId: t.registerIds[0],
      cartId,
      cartVersion: 2,
      payments: [{ kind: 'cash', amount: 1000 }],
    };
    const sold = await send(t.cashier, 'POST', '/sales', { id: randomUUID(), ...sale });
    expect(sold.statusCode, sold.body).toBe(201);
    const pushed = await manager.hear(CART_UPDATED_EVENT, (d) => d.id === cartId && d.version === 3);
    expect(pushed.data).toMatchObject({ status: 'checked_out', lines: [{ quantity: 1000 }] });
    expect(pushed.data).toEqual(
      (await checkedInject(app, { url: `/carts/${cartId}`, headers: t.cashier.headers })).json(),
    );

    const again = await send(t.cashier, 'POST', '/sales', { id: randomUUID(), ...sale, cartVersion: 3 });
    expect(again.statusCode, again.body).toBe(409);
    // A later change of another cart is pushed after the refusal: the refused checkout pushed nothing.
    const next = await send(t.cashier, 'POST', '/carts', { registerId: t.registerIds[0] });
    await manager.hear(CART_UPDATED_EVENT, (d) => d.id === next.json().id);
    expect(
      manager
        .all(CART_UPDATED_EVENT)
        .filter((c) => c.id === cartId)
        .map((c) => [c.version, c.status]),
    ).toEqual([
      [1, 'open'],
      [2, 'open'],
      [3, 'checked_out'],
    ]);
  });

  it('is pushed only once its unit of work commits: never from one that rolls back', async () => {
    const cashier = await connect(t.cashier.token);
    const opened = await send(t.manager, 'POST', '/carts', { registerId: t.registerIds[0] });
    expect(opened.statusCode, opened.body).toBe(201);
    const cart = opened.json() as Cart;
    const db = app.get(Database);
    const gateway = app.get(RealtimeGateway);
    const failed = db.tenant({ tenantId: t.tenantId }, async (tx) => {
      pushCartAfterCommit(tx, gateway, t.tenantId, { ...cart, note: 'rolled back' });
      throw new Error('the change fails after its push was registered');
    });
    await expect(failed).rejects.toThrow('the change fails');
    await db.tenant({ tenantId: t.tenantId }, async (tx) => {
      pushCartAfterCommit(tx, gateway, t.tenantId, { ...cart, note: 'committed' });
    });
    await cashier.hear(CART_UPDATED_EVENT, (d) => d.note === 'committed');
    expect(cashier.all(CART_UPDATED_EVENT).map((c) => [c.id, c.note])).toEqual([
      [cart.id, null],
      [cart.id, 'committed'],
    ]);
  });
});
