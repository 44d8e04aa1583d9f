import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { EVENT_ENVELOPE_VERSION } from '@zakpos/contracts';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestRedis, type TestRedis } from '../../../../docker/redis/test-redis.js';
import { REDIS, type RedisOrNone } from '../redis/redis.module.js';
import { checkedInject } from '../test/contract-check.js';
import { createTenant, type TestTenant } from '../test/fixtures.js';
import { createTestApp } from '../test/test-app.js';
import { LookupCacheConsumer } from './lookup-cache.consumer.js';

/** Barcode lookups cached in a real Redis (docker/redis/test-redis.ts), and their invalidation. */
describe('the lookup cache', () => {
  let redis: TestRedis;
  let app: NestFastifyApplication;
  let su: pg.Client;
  beforeAll(async () => {
    redis = await startTestRedis();
    app = await createTestApp({ REDIS_URL: redis.url });
    su = new pg.Client({ connectionString: inject('db').superuserUrl });
    await su.connect();
  });
  afterAll(async () => {
    await su?.end();
    await app?.close();
    await redis?.close();
  });

  const scan = (t: TestTenant, code: string) =>
    checkedInject(app, { method: 'GET', url: `/barcodes/${code}`, headers: t.cashier.headers });
  const lookups = async () => {
    const body = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    const of = (result: string) =>
      Number(
        body.match(new RegExp(`^zakpos_lookup_cache_total\\{result="${result}"\\} (\\d+)`, 'm'))?.[1] ?? 0,
      );
    return { hit: of('hit'), miss: of('miss'), error: of('error') };
  };
  async function milk() {
    const t = await createTenant(app);
    const post = (url: string, payload: object) =>
      checkedInject(app, { method: 'POST', url, headers: t.owner.headers, payload });
    const tax = (
      await post('/tax-categories', { name: 'Reduced', rates: [{ name: 'VAT', rateBp: 550 }] })
    ).json().id;
    const product = (
      await post('/products', {
        sku: 'MILK',
        name: 'Milk',
        price: 129,
        taxCategoryId: tax,
        barcodes: [{ code: '4006381333931' }],
      })
    ).json();
    return { t, product };
  }

  it('serves the second scan from Redis, and a price change on the very next scan', async () => {
    const { t, product } = await milk();
    const before = await lookups();
    expect((await scan(t, '4006381333931')).json().product.price).toBe(129);
    expect((await scan(t, '4006381333931')).json().product.price).toBe(129);
    const after = await lookups();
    expect({ hit: after.hit - before.hit, miss: after.miss - before.miss }).toEqual({ hit: 1, miss: 1 });
    const client = app.get<RedisOrNone>(REDIS)!;
    expect(await client.exists(`zakpos:t:${t.tenantId}:barcode:4006381333931`)).toBe(1);

    const patched = await checkedInject(app, {
      method: 'PATCH',
      url: `/products/${product.id}`,
      headers: t.owner.headers,
      payload: { price: 149 },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect((await scan(t, '4006381333931')).json().product.price).toBe(149);
  });

  it('drops a stale entry on the catalog event, whatever wrote the change', async () => {
    const { t, product } = await milk();
    await scan(t, '4006381333931'); // cached at 129
    // A change the API did not make (no after-commit drop): the cache still answers the old price…
    await su.query('update products set price = 99 where tenant_id = $1 and id = $2', [
      t.tenantId,
      product.id,
    ]);
    expect((await scan(t, '4006381333931')).json().product.price).toBe(129);
    // …until its event reaches the consumer.
    await app.get(LookupCacheConsumer).handle({
      version: EVENT_ENVELOPE_VERSION,
      id: randomUUID(),
      type: 'product.price_changed',
      tenantId: t.tenantId,
      occurredAt: new Date().toISOString(),
      sequence: 1,
      aggregate: { type: 'product', id: product.id },
      payload: { productId: product.id, barcodes: ['4006381333931'], price: 99, previousPrice: 129 },
    });
    expect((await scan(t, '4006381333931')).json().product.price).toBe(99);
  });

  it('still checks the session on a hit: a revoked till is refused', async () => {
    const { t } = await milk();
    await scan(t, '4006381333931');
    expect((await scan(t, '4006381333931')).statusCode).toBe(200);
    await su.query(
      'update users set session_version = session_version + 1 where tenant_id = $1 and id = $2',
      [t.tenantId, t.cashier.id],
    );
    expect((await scan(t, '4006381333931')).statusCode).toBe(401);
  });

  it('keeps scanning from the database while Redis is down, and caches again once it is back', async () => {
    const { t } = await milk();
    await redis.stop();
    const before = await lookups();
    const res = await scan(t, '4006381333931');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().product.price).toBe(129);
    expect((await lookups()).error).toBeGreaterThan(before.error);
    await redis.start();
    const client = app.get<RedisOrNone>(REDIS)!;
    const deadline = Date.now() + 20_000;
    while (client.status !== 'ready' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(client.status).toBe('ready');
    await scan(t, '4006381333931');
    const hitsBefore = (await lookups()).hit;
    await scan(t, '4006381333931');
    expect((await lookups()).hit).toBe(hitsBefore + 1);
  });
});
