import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestRedis, type TestRedis } from '../../../../docker/redis/test-redis.js';
import { useEventsDatabase } from '../events/events.test-fixtures.js';
import { EXPORT_EXPIRY_EVERY_MS, EXPORT_EXPIRY_JOB } from '../reports/export-expiry.job.js';
import { createTenant } from '../test/fixtures.js';
import { createTestApp } from '../test/test-app.js';
import { Housekeeping, HOUSEKEEPING_EVERY_MS, HOUSEKEEPING_JOB } from './housekeeping.job.js';

/** The housekeeping job (0022) on a database of its own, across two tenants. */
describe('housekeeping', () => {
  const events = useEventsDatabase('zakpos_housekeeping');
  let su: pg.Client;
  let redis: TestRedis;
  beforeAll(async () => {
    const url = new URL(inject('db').superuserUrl);
    url.pathname = `/${events.db.name}`;
    su = new pg.Client({ connectionString: url.toString() });
    await su.connect();
    redis = await startTestRedis();
  });
  afterAll(async () => {
    await su?.end();
    await redis?.close();
  });

  it('removes expired tokens, old published events and old dedupe records of every tenant, keeping the rest', async () => {
    const app = await createTestApp({ DATABASE_URL: events.appUrl() });
    try {
      const tenants = [await createTenant(app), await createTenant(app)];
      for (const t of tenants) {
        for (const [expires, label] of [
          ["now() - interval '2 days'", 'old'],
          ["now() - interval '1 hour'", 'recent'],
          ["now() + interval '1 day'", 'live'],
        ] as const) {
          await su.query(
            `insert into refresh_tokens (tenant_id, id, user_id, family_id, token_hash, expires_at)
             values ($1, $2, $3, $2, $4, ${expires})`,
            [t.tenantId, randomUUID(), t.owner.id, `${label}`.padEnd(64, '0').replace(/[^0-9a-f]/g, 'a')],
          );
        }
        await su.query(`select set_config('app.tenant_id', $1, false)`, [t.tenantId]);
        await su.query(
          `insert into outbox (tenant_id, id, type, aggregate_type, aggregate_id, payload, published_at) values
             ($1, gen_random_uuid(), 'session.closed', 'cash_session', gen_random_uuid(), '{}', now() - interval '8 days'),
             ($1, gen_random_uuid(), 'session.closed', 'cash_session', gen_random_uuid(), '{}', now() - interval '1 day'),
             ($1, gen_random_uuid(), 'session.closed', 'cash_session', gen_random_uuid(), '{}', null)`,
          [t.tenantId],
        );
        await su.query(
          `insert into processed_events (tenant_id, consumer, event_id, processed_at) values
             ($1, 'low-stock', gen_random_uuid(), now() - interval '31 days'),
             ($1, 'low-stock', gen_random_uuid(), now())`,
          [t.tenantId],
        );
      }
      const removed = await app.get(Housekeeping).run();
      expect(removed).toEqual({ refresh_tokens: 2, outbox: 2, processed_events: 2 });
      for (const t of tenants) {
        const left = async (table: string) =>
          (await su.query(`select count(*)::int as n from ${table} where tenant_id = $1`, [t.tenantId]))
            .rows[0].n;
        expect({
          tokens: await left('refresh_tokens'),
          outbox: await left('outbox'),
          processed: await left('processed_events'),
        }).toEqual({ tokens: 2, outbox: 2, processed: 1 });
      }
      expect(await app.get(Housekeeping).run()).toEqual({
        refresh_tokens: 0,
        outbox: 0,
        processed_events: 0,
      });
    } finally {
      await app.close();
    }
  });

  it('is a BullMQ job scheduler with Redis: one schedule, every hour, however many processes set it', async () => {
    const apps = [
      await createTestApp({ DATABASE_URL: events.appUrl(), REDIS_URL: redis.url, EVENTS_RUN_IN: 'api' }),
      await createTestApp({ DATABASE_URL: events.appUrl(), REDIS_URL: redis.url, EVENTS_RUN_IN: 'api' }),
    ];
    const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
    const queue = new Queue('zakpos', { connection });
    try {
      const schedulers = await queue.getJobSchedulers();
      // Once each, whatever the number of processes: this one and the report exports' expiry.
      expect(
        schedulers
          .map((s) => ({ key: s.key, every: Number(s.every) }))
          .sort((a, b) => a.key.localeCompare(b.key)),
      ).toEqual([
        { key: HOUSEKEEPING_JOB, every: HOUSEKEEPING_EVERY_MS },
        { key: EXPORT_EXPIRY_JOB, every: EXPORT_EXPIRY_EVERY_MS },
      ]);
    } finally {
      await queue.close();
      connection.disconnect();
      await Promise.all(apps.map((a) => a.close()));
    }
  });
});
