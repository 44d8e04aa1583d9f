import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRedis, type TestRedis } from '../../../../docker/redis/test-redis.js';
import { useEventsDatabase } from '../events/events.test-fixtures.js';
import { postSale, saleOf, sellingTenant, type SellingTenant } from '../sales/sales.test-fixtures.js';
import { checkedInject } from '../test/contract-check.js';
import { createTestApp } from '../test/test-app.js';
import { startTestSmtp, type TestSmtp } from '../test/test-smtp.js';

/**
 * POST /sales/:id/receipt/email against a real SMTP server (test-smtp.ts): queued in Redis (BullMQ) or run in
 * process without it, sent once per request id, retried when the server refuses. On a database of its own:
 * the BullMQ worker runs where the events machinery runs (EVENTS_RUN_IN=api here).
 */
describe('emailed receipts', () => {
  const events = useEventsDatabase('zakpos_receipt_email');
  let smtp: TestSmtp;
  let redis: TestRedis;
  beforeAll(async () => {
    [smtp, redis] = await Promise.all([startTestSmtp(), startTestRedis()]);
  });
  afterAll(async () => {
    await smtp?.close();
    await redis?.close();
  });

  const appWith = (extra: Record<string, string>) =>
    createTestApp({ DATABASE_URL: events.appUrl(), EVENTS_RUN_IN: 'api', SMTP_URL: smtp.url, ...extra });
  const email = (app: NestFastifyApplication, t: SellingTenant, saleId: string, body: object) =>
    checkedInject(app, {
      method: 'POST',
      url: `/sales/${saleId}/receipt/email`,
      headers: t.cashier.headers,
      payload: body,
    });
  const sold = async (app: NestFastifyApplication) => {
    const t = await sellingTenant(app);
    const sale = await postSale(app, t.cashier.headers, saleOf(t, [{ productId: t.productIds[0]! }]));
    expect(sale.statusCode, sale.body).toBe(201);
    return { t, sale: sale.json() as { id: string; receiptNumber: number } };
  };
  const mailsTo = (to: string) => smtp.received.filter((m) => m.to === to);

  for (const mode of ['BullMQ (REDIS_URL)', 'in process (no Redis)'] as const) {
    describe(mode, () => {
      let app: NestFastifyApplication;
      beforeAll(async () => {
        app = await appWith(mode.startsWith('BullMQ') ? { REDIS_URL: redis.url } : {});
      });
      afterAll(async () => {
        await app?.close();
      });

      it('queues the receipt (202) and sends it once, however often the request is repeated', async () => {
        const { t, sale } = await sold(app);
        const to = `ada-${randomUUID().slice(0, 8)}@example.com`;
        const id = randomUUID();
        for (let i = 0; i < 3; i++) {
          const res = await email(app, t, sale.id, { id, to });
          expect(res.statusCode, res.body).toBe(202);
          expect(res.json()).toEqual({ jobId: id, status: 'queued' });
        }
        await smtp.until(smtp.received.length + 1);
        await new Promise((r) => setTimeout(r, 300)); // a second copy would be on its way by now
        const mine = mailsTo(to);
        expect(mine).toHaveLength(1);
        expect(mine[0]!.subject).toBe('Your receipt');
        expect(mine[0]!.messageId).toBe(`<receipt-${id}@zakpos>`);
        expect(mine[0]!.html).toContain('<html');
        expect(mine[0]!.text).toContain(String(sale.receiptNumber));
      });

      it('retries a send the server refused, and delivers it once', async () => {
        const { t, sale } = await sold(app);
        const to = `bob-${randomUUID().slice(0, 8)}@example.com`;
        smtp.refuseNext(1);
        const res = await email(app, t, sale.id, { id: randomUUID(), to });
        expect(res.statusCode, res.body).toBe(202);
        const deadline = Date.now() + 30_000;
        while (mailsTo(to).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
        expect(mailsTo(to)).toHaveLength(1);
      });
    });
  }

  it('names the field of a bad address and an unknown sale, and queues nothing', async () => {
    const app = await appWith({});
    try {
      const { t, sale } = await sold(app);
      const bad = await email(app, t, sale.id, { id: randomUUID(), to: 'not an address' });
      expect(bad.statusCode).toBe(400);
      expect(Object.keys(bad.json().error.fields)).toEqual(['to']);
      const unknown = await email(app, t, randomUUID(), { id: randomUUID(), to: 'x@example.com' });
      expect(unknown.statusCode).toBe(404);
    } finally {
      await app.close();
    }
  });

  it('answers 503 NOT_READY when no SMTP server is configured', async () => {
    const app = await createTestApp({ DATABASE_URL: events.appUrl() });
    try {
      const { t, sale } = await sold(app);
      const res = await email(app, t, sale.id, { id: randomUUID(), to: 'x@example.com' });
      expect(res.statusCode).toBe(503);
      expect(res.json().error.code).toBe('NOT_READY');
    } finally {
      await app.close();
    }
  });
});
