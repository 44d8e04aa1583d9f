import { randomBytes } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRedis, type TestRedis } from '../../../../docker/redis/test-redis.js';
import { useEventsDatabase } from '../events/events.test-fixtures.js';
import { saleOf, sellingTenant, type SellingTenant } from '../sales/sales.test-fixtures.js';
import { createTestApp } from '../test/test-app.js';
import { CART_UPDATED_EVENT } from './cart-updates.js';
import {
  type ApiProcess,
  buildApi,
  connectClient,
  request,
  startApiProcess,
  startWorkerProcess,
  storeUser,
  type TestClient,
} from './realtime.test-fixtures.js';

/**
 * The built API and worker as real processes, each scenario on a private database and a real Redis of its
 * own. The data is set up by an in-process app without a relay; the processes are reached over HTTP and
 * Socket.IO only.
 */
beforeAll(() => buildApi(), 180_000);

/**
 * Two API processes both running a relay (EVENTS_RUN_IN=api): A holds the lease, so every event is emitted
 * by A's Socket.IO server and reaches B's sockets only through the Redis adapter.
 */
describe('real-time across two API processes', { timeout: 120_000 }, () => {
  const events = useEventsDatabase('zakpos_realtime');
  const secret = randomBytes(32).toString('base64url');
  let redis: TestRedis;
  let setup: NestFastifyApplication;
  let a: ApiProcess;
  let b: ApiProcess;
  const clients: TestClient[] = [];

  beforeAll(async () => {
    redis = await startTestRedis();
    setup = await createTestApp({
      DATABASE_URL: events.appUrl(),
      EVENTS_RUN_IN: 'worker',
      JWT_SECRET: secret,
    });
    const env = {
      DATABASE_URL: events.appUrl(),
      REDIS_URL: redis.url,
      EVENTS_RUN_IN: 'api',
      OUTBOX_POLL_MS: '20',
      JWT_SECRET: secret,
    };
    a = await startApiProcess(env);
    await until('A to hold the relay lease', async () => (await relayLeader(a)) === 1);
    b = await startApiProcess(env);
    expect(await relayLeader(b)).toBe(0);
  }, 300_000);
  afterAll(async () => {
    for (const c of clients) c.close();
    await Promise.all([a?.stop(), b?.stop()]);
    await setup?.close();
    await redis?.close();
  });

  const connect = async (api: ApiProcess, token: string) => {
    const client = await connectClient(api.url, token);
    clients.push(client);
    return client;
  };
  const sell = async (api: ApiProcess, t: SellingTenant) => {
    const res = await request(
      api,
      'POST',
      '/sales',
      t.cashier.token,
      saleOf(t, [{ productId: t.productIds[0] }]),
    );
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id as string;
  };
  const receive = async (api: ApiProcess, t: SellingTenant, storeId: string) => {
    const res = await request(api, 'POST', `/stores/${storeId}/stock/adjustments`, t.owner.token, {
      reasonCode: 'received',
      lines: [{ productId: t.productIds[0], quantity: 1000 }],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  };
  const openCart = async (api: ApiProcess, t: SellingTenant) => {
    const res = await request(api, 'POST', '/carts', t.cashier.token, { registerId: t.registerIds[0] });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id as string;
  };

  it("delivers a sale made through A to the store's clients on B; another store's cashier and another tenant hear none of it", async () => {
    const t = await sellingTenant(setup);
    const other = await sellingTenant(setup);
    const cashierOfStore1 = await storeUser(setup, t, 'cashier', t.storeIds[1]);
    const ownerOnB = await connect(b, t.owner.token);
    const cashierOnB = await connect(b, t.cashier.token);
    const cashier1OnB = await connect(b, cashierOfStore1.token);
    const strangerOnB = await connect(b, other.owner.token);
    const strangerOnA = await connect(a, other.owner.token);

    const saleId = await sell(a, t);
    const heard = await cashierOnB.hear('sale.completed', (d) => d.saleId === saleId);
    expect(heard.data).toMatchObject({
      saleId,
      storeId: t.storeIds[0],
      registerId: t.registerIds[0],
      type: 'sale.completed',
      id: expect.any(String),
      occurredAt: expect.any(String),
    });
    await ownerOnB.hear('sale.completed', (d) => d.saleId === saleId);
    await cashierOnB.hear('stock.changed', (d) => d.referenceId === saleId);

    // Later events of the same tenant leave the relay after the sale's (seq order) and reach the sockets
    // in that order: once store 1's cashier hears store 1's, it was sent every store 0 event it would get.
    await receive(a, t, t.storeIds[1]);
    await cashier1OnB.hear('stock.changed', (d) => d.storeId === t.storeIds[1]);
    await ownerOnB.hear('stock.changed', (d) => d.storeId === t.storeIds[1]);
    expect(cashier1OnB.heard.map((h) => [h.event, h.data.storeId])).toEqual([
      ['stock.changed', t.storeIds[1]],
    ]);
    expect(cashierOnB.all('stock.changed').every((d) => d.storeId === t.storeIds[0])).toBe(true);

    // The other tenant's own event, made after all of the above was emitted by the same relay.
    await receive(a, other, other.storeIds[0]);
    for (const stranger of [strangerOnB, strangerOnA]) {
      await stranger.hear(
        'stock.changed',
        (d) => d.reason === 'adjustment' && d.storeId === other.storeIds[0],
      );
      expect(stranger.heard.every((h) => h.data.storeId === other.storeIds[0])).toBe(true);
      expect(stranger.all('sale.completed')).toEqual([]);
    }
  });

  it('with Redis down both keep serving and their own sockets get local events; cross-replica delivery resumes when it is back', async () => {
    const t = await sellingTenant(setup);
    const ownerOnA = await connect(a, t.owner.token);
    const ownerOnB = await connect(b, t.owner.token);
    const before = await sell(a, t);
    await ownerOnB.hear('sale.completed', (d) => d.saleId === before);

    await redis.stop();
    // A's relay still runs and emits to A's own sockets; each process pushes its own cart changes to its own.
    const whileDown = await sell(a, t);
    await ownerOnA.hear('sale.completed', (d) => d.saleId === whileDown);
    const cartOnA = await openCart(a, t);
    await ownerOnA.hear(CART_UPDATED_EVENT, (d) => d.id === cartOnA);
    const cartOnB = await openCart(b, t);
    await ownerOnB.hear(CART_UPDATED_EVENT, (d) => d.id === cartOnB);
    for (const api of [a, b]) {
      const res = await request(api, 'GET', '/tenant', t.owner.token);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }

    await redis.start();
    await adaptersBack(redis);
    const after = await sell(a, t);
    await ownerOnB.hear('sale.completed', (d) => d.saleId === after);
    // What A emitted while Redis was down is not replayed: it would have reached B before `after`.
    expect(ownerOnB.all('sale.completed').map((d) => d.saleId)).toEqual([before, after]);
    expect(ownerOnB.all(CART_UPDATED_EVENT).map((c) => c.id)).toEqual([cartOnB]);
    const cartAfter = await openCart(b, t);
    await ownerOnA.hear(CART_UPDATED_EVENT, (d) => d.id === cartAfter);
    expect(ownerOnA.all(CART_UPDATED_EVENT).map((c) => c.id)).toEqual([cartOnA, cartAfter]);
  });

  it('on SIGTERM closes its sockets as a lost transport (clients reconnect elsewhere) and exits 0', async () => {
    const t = await sellingTenant(setup);
    const onA = await connect(a, t.owner.token);
    const onB = await connect(b, t.owner.token);
    const reasons = [onA, onB].map((c) => new Promise((resolve) => c.socket.once('disconnect', resolve)));
    expect(await Promise.all([a.stop(), b.stop()]), a.output() + b.output()).toEqual([0, 0]);
    expect(await Promise.all(reasons)).toEqual(['transport close', 'transport close']);
  });
});

/**
 * The events run in the worker (EVENTS_RUN_IN=worker on the API): the worker has no Socket.IO server, so its
 * realtime consumer publishes through the Redis emitter, and the API's adapter hands the event to its sockets.
 */
describe('real-time events relayed by the worker', { timeout: 120_000 }, () => {
  const events = useEventsDatabase('zakpos_realtime_worker');
  const secret = randomBytes(32).toString('base64url');
  let redis: TestRedis;
  let setup: NestFastifyApplication;
  let api: ApiProcess;
  let worker: ApiProcess;
  let client: TestClient | undefined;

  beforeAll(async () => {
    redis = await startTestRedis();
    setup = await createTestApp({
      DATABASE_URL: events.appUrl(),
      EVENTS_RUN_IN: 'worker',
      JWT_SECRET: secret,
    });
    const env = {
      DATABASE_URL: events.appUrl(),
      REDIS_URL: redis.url,
      EVENTS_RUN_IN: 'worker',
      OUTBOX_POLL_MS: '20',
      JWT_SECRET: secret,
    };
    [api, worker] = await Promise.all([startApiProcess(env), startWorkerProcess(env)]);
  }, 300_000);
  afterAll(async () => {
    client?.close();
    await Promise.all([api?.stop(), worker?.stop()]);
    await setup?.close();
    await redis?.close();
  });

  it("reaches the API's sockets through the Redis emitter", async () => {
    const t = await sellingTenant(setup);
    client = await connectClient(api.url, t.manager.token);
    const sale = await request(
      api,
      'POST',
      '/sales',
      t.cashier.token,
      saleOf(t, [{ productId: t.productIds[0] }]),
    );
    expect(sale.status, JSON.stringify(sale.body)).toBe(201);
    const heard = await client.hear('sale.completed', (d) => d.saleId === sale.body.id);
    expect(heard.data).toMatchObject({ storeId: t.storeIds[0], type: 'sale.completed' });
    // The API ran no relay: the worker emitted it.
    expect(await (await fetch(`${api.url}/metrics`)).text()).not.toMatch(/^zakpos_outbox_relay_leader 1$/m);
    expect(await (await fetch(`${worker.url}/metrics`)).text()).toMatch(/^zakpos_outbox_relay_leader 1$/m);
  });
});

/** `zakpos_outbox_relay_leader` of a process: 1 while its relay holds the lease. */
async function relayLeader(api: ApiProcess): Promise<number> {
  const metrics = await (await fetch(`${api.url}/metrics`)).text();
  const value = /^zakpos_outbox_relay_leader (\d+)$/m.exec(metrics)?.[1];
  if (value === undefined) throw new Error('no zakpos_outbox_relay_leader in /metrics');
  return Number(value);
}

/** Polls a condition until it holds; the test's timeout bounds it. */
async function until(what: string, ok: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * Once both processes' adapters are connected again: each subscriber resubscribed (3 channels, 1 pattern)
 * and each publisher through its ready check, as Redis itself reports them.
 */
async function adaptersBack(redis: TestRedis): Promise<void> {
  const admin = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await admin.connect();
  try {
    await until('both adapters to reconnect', async () => {
      const clients = String(await admin.client('LIST'))
        .trim()
        .split('\n');
      const subs = clients.filter((c) => / name=zakpos-api-io-sub /.test(c) && / sub=3 psub=1 /.test(c));
      const pubs = clients.filter(
        (c) => / name=zakpos-api-io-pub /.test(c) && / cmd=(info|publish) /.test(c),
      );
      return subs.length === 2 && pubs.length === 2;
    });
  } finally {
    admin.disconnect();
  }
}
