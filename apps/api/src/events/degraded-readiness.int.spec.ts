import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRedis, type TestRedis } from '../../../../docker/redis/test-redis.js';
import { freePort } from '../common/net/free-port.js';
import { postSale, saleOf, sellingTenant } from '../sales/sales.test-fixtures.js';
import { createTestApp } from '../test/test-app.js';
import { useEventsDatabase } from './events.test-fixtures.js';

/**
 * Kafka and Redis are optional parts: with either unreachable the API is degraded, not down. It sells on,
 * its events wait in the outbox, and readiness says which part is missing (200, status 'degraded').
 */
describe('readiness with Kafka or Redis down', () => {
  const events = useEventsDatabase('zakpos_degraded');
  let redis: TestRedis;
  let app: NestFastifyApplication;

  beforeAll(async () => {
    redis = await startTestRedis();
    app = await createTestApp({
      DATABASE_URL: events.appUrl(),
      EVENTS_RUN_IN: 'api',
      // Nothing listens there: a broker that is down.
      KAFKA_BROKERS: `127.0.0.1:${await freePort()}`,
      REDIS_URL: redis.url,
      OUTBOX_POLL_MS: '20',
    });
  });
  afterAll(async () => {
    await app?.close();
    await redis?.close();
  });

  const ready = () => app.inject({ method: 'GET', url: '/health/ready' });
  const pending = async () =>
    Number((await events.db.owner.query('select pending from app_outbox_backlog()')).rows[0].pending);

  it('sells with Kafka down: the outbox grows, readiness is degraded naming kafka', async () => {
    const t = await sellingTenant(app);
    const before = await pending();
    for (let i = 0; i < 3; i++) {
      const sale = await postSale(app, t.cashier.headers, saleOf(t, [{ productId: t.productIds[0]! }]));
      expect(sale.statusCode, sale.body).toBe(201);
    }
    expect(await pending()).toBe(before + 6); // sale.completed and stock.changed each
    const res = await ready();
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'degraded',
      checks: { database: { ok: true }, kafka: { ok: false, degraded: true }, redis: { ok: true } },
    });
  });

  it('names redis too while it is down, still answering 200, and recovers when it returns', async () => {
    await redis.stop();
    const down = await ready();
    expect(down.statusCode).toBe(200);
    expect(down.json()).toMatchObject({
      status: 'degraded',
      checks: { redis: { ok: false, degraded: true } },
    });
    await redis.start();
    const deadline = Date.now() + 20_000;
    let back = await ready();
    while (back.json().checks.redis.ok !== true && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      back = await ready();
    }
    expect(back.json().checks.redis).toEqual({ ok: true });
  });
});
