import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRedis, type TestRedis } from '../../../../docker/redis/test-redis.js';
import { REDIS, type RedisOrNone } from '../redis/redis.module.js';
import { checkedInject } from '../test/contract-check.js';
import { createTestApp } from '../test/test-app.js';

/**
 * With REDIS_URL, the per-IP budget of the public auth routes is one for every API replica: two API
 * instances on one real redis-server (docker/redis/test-redis.ts) spend it together. With Redis away,
 * each keeps answering and limiting on its own.
 */
describe('the auth rate limit in Redis', () => {
  let redis: TestRedis;
  let one: NestFastifyApplication;
  let two: NestFastifyApplication;
  beforeAll(async () => {
    redis = await startTestRedis();
    const env = { REDIS_URL: redis.url, AUTH_RATE_LIMIT_PER_MINUTE: '4' };
    one = await createTestApp(env);
    two = await createTestApp(env);
  });
  afterAll(async () => {
    await one?.close();
    await two?.close();
    await redis?.close();
  });

  const login = (app: NestFastifyApplication, ip: string) =>
    checkedInject(app, {
      method: 'POST',
      url: '/auth/login',
      payload: { email: 'nobody@example.com', password: 'not the password' },
      remoteAddress: ip,
    });

  it('is one budget per IP across replicas', async () => {
    const answers = [];
    for (const app of [one, two, one, two, one, two]) answers.push((await login(app, '10.9.0.1')).statusCode);
    expect(answers).toEqual([401, 401, 401, 401, 429, 429]);
    const refused = await login(one, '10.9.0.1');
    expect(refused.json().error.code).toBe('RATE_LIMITED');
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // Another address has its own budget, on either replica.
    expect((await login(two, '10.9.0.2')).statusCode).toBe(401);
  });

  it('keeps limiting on each replica alone while Redis is down, and shares again when it is back', async () => {
    await redis.stop();
    try {
      const alone = [];
      for (let i = 0; i < 5; i++) alone.push((await login(one, '10.9.1.1')).statusCode);
      expect(alone).toEqual([401, 401, 401, 401, 429]);
      // The other replica counted none of those: its own memory, its own budget.
      expect((await login(two, '10.9.1.1')).statusCode).toBe(401);
    } finally {
      await redis.start();
    }
    // Both clients reconnect by themselves; the address's window in Redis is new and shared again.
    for (const app of [one, two]) {
      const client = app.get<RedisOrNone>(REDIS)!;
      await expect.poll(() => client.status, { timeout: 10_000 }).toBe('ready');
    }
    const shared = [];
    for (const app of [two, one, two, one, two]) shared.push((await login(app, '10.9.1.2')).statusCode);
    expect(shared).toEqual([401, 401, 401, 401, 429]);
  });
});
