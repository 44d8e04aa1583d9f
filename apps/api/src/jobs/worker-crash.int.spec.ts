import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRedis, type TestRedis } from '../../../../docker/redis/test-redis.js';
import { useEventsDatabase } from '../events/events.test-fixtures.js';
import { startWorkerProcess } from '../realtime/realtime.test-fixtures.js';
import { postSale, sellingTenant } from '../sales/sales.test-fixtures.js';
import { checkedInject } from '../test/contract-check.js';
import { createTestApp } from '../test/test-app.js';
import { startTestSmtp, type TestSmtp } from '../test/test-smtp.js';

/**
 * A worker process killed with SIGKILL in the middle of its jobs (BullMQ on a real Redis, the built worker
 * as its own process): an emailed receipt whose mail the SMTP server had not yet accepted, and a report export
 * blocked on its row. A second worker takes both over once BullMQ finds them stalled: the dead worker's job
 * locks expire within 30 s (lockDuration) and a stalled job moves back on the second check after that (the
 * checks are 30 s apart), so within 90 s of the kill. The mail arrives once, the export completes with one
 * whole file.
 */
describe('a worker killed mid-job', () => {
  const events = useEventsDatabase('zakpos_worker_crash');
  let redis: TestRedis;
  let smtp: TestSmtp;
  let dir: string;
  let app: NestFastifyApplication;
  let env: Record<string, string>;

  beforeAll(async () => {
    redis = await startTestRedis();
    smtp = await startTestSmtp();
    dir = await mkdtemp(join(tmpdir(), 'zakpos-crash-exports-'));
    env = {
      DATABASE_URL: events.appUrl(),
      JWT_SECRET: randomUUID() + randomUUID(),
      REDIS_URL: redis.url,
      SMTP_URL: smtp.url,
      EXPORTS_DIR: dir,
      OUTBOX_POLL_MS: '50',
    };
    // The API queues the jobs in Redis and runs none of them (EVENTS_RUN_IN=worker): the worker does.
    app = await createTestApp({ ...env, EVENTS_RUN_IN: 'worker' });
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await smtp?.close();
    await redis?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('retries both jobs on another worker: the receipt is mailed once and the export completes', async () => {
    const t = await sellingTenant(app);
    const sale = await postSale(app, t.cashier.headers, {
      id: randomUUID(),
      registerId: t.registerIds[0],
      lines: [{ productId: t.productIds[0], quantity: 1000 }],
      payments: [{ kind: 'cash', amount: 1000 }],
    });
    expect(sale.statusCode, sale.body).toBe(201);
    const saleId = sale.json().id as string;

    // Both queued while no worker runs; then the export's job will wait on its row, the mail on the server.
    const exportId = randomUUID();
    const post = async (url: string, payload: object) => {
      const res = await checkedInject(app, { method: 'POST', url, headers: t.owner.headers, payload });
      expect(res.statusCode, res.body).toBe(202);
    };
    await post('/report-exports', {
      id: exportId,
      report: 'sales-by-day',
      from: '2026-01-01',
      to: '2026-12-31',
    });
    await post(`/sales/${saleId}/receipt/email`, { id: randomUUID(), to: 'customer@example.com' });
    const lock = new pg.Client({ connectionString: events.ownerUrl() });
    await lock.connect();
    await lock.query('begin');
    await lock.query('lock table report_exports in exclusive mode nowait');
    const mail = smtp.holdNext();

    const first = await startWorkerProcess(env);
    try {
      await mail.held;
      await expect.poll(() => events.lockWaiters('report_exports'), { timeout: 20_000 }).toBeGreaterThan(0);
    } finally {
      first.child.kill('SIGKILL');
      await first.stop();
    }
    mail.drop();
    await lock.query('rollback');
    await lock.end();
    expect(smtp.received).toHaveLength(0);

    const second = await startWorkerProcess(env);
    try {
      await smtp.until(1, 150_000);
      let status = '';
      await expect
        .poll(
          async () => {
            const res = await checkedInject(app, {
              url: `/report-exports/${exportId}`,
              headers: t.owner.headers,
            });
            status = res.json().status;
            return status;
          },
          { timeout: 150_000, interval: 500 },
        )
        .toBe('completed');
      expect(await readdir(join(dir, t.tenantId))).toEqual([`${exportId}.csv`]);
      // Nothing more comes: the mail was sent once.
      await new Promise((r) => setTimeout(r, 1_000));
      expect(smtp.received).toHaveLength(1);
      expect(smtp.received[0]!.to).toBe('customer@example.com');
    } finally {
      await second.stop();
    }
  }, 300_000);
});
