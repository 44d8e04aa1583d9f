import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { EventEnvelope } from '@zakpos/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventsRuntime } from './events.runtime.js';
import { createProducts } from '../inventory/inventory.test-fixtures.js';
import { LowStockConsumer } from '../inventory/low-stock.consumer.js';
import { checkedInject } from '../test/contract-check.js';
import { createTenant, type TestTenant } from '../test/fixtures.js';
import { createTestApp } from '../test/test-app.js';
import { startTestSmtp, type TestSmtp } from '../test/test-smtp.js';
import { useEventsDatabase } from './events.test-fixtures.js';

/**
 * The embedded default (no KAFKA_BROKERS): the API's own relay hands each event to the consumers in the
 * same process. Seen through the low-stock consumer, on a database of its own.
 */
describe('events in process (the embedded default)', () => {
  const events = useEventsDatabase('zakpos_inproc');
  let app: NestFastifyApplication;
  let t: TestTenant;
  let product: string;
  let smtp: TestSmtp;

  beforeAll(async () => {
    smtp = await startTestSmtp();
    app = await createTestApp({
      DATABASE_URL: events.appUrl(),
      EVENTS_RUN_IN: 'api',
      OUTBOX_POLL_MS: '20',
      SMTP_URL: smtp.url,
    });
    t = await createTenant(app);
    [product] = await createProducts(app, t.tenantId, [{}]);
  });
  afterAll(async () => {
    await app?.close();
    await smtp?.close();
  });

  const send = async (method: 'POST' | 'PUT', url: string, payload: object) => {
    const res = await checkedInject(app, { method, url, payload, headers: t.owner.headers });
    expect(res.statusCode, res.body).toBeLessThan(300);
  };
  const adjust = (quantity: number, productId = product) =>
    send('POST', `/stores/${t.storeIds[0]}/stock/adjustments`, {
      reasonCode: quantity > 0 ? 'received' : 'damaged',
      lines: [{ productId, quantity }],
    });
  const su = () => events.db.owner;
  const inTenant = async <T>(text: string): Promise<T[]> => {
    await su().query('begin');
    await su().query(`select set_config('app.tenant_id', $1, true)`, [t.tenantId]);
    const rows = (await su().query(text)).rows as T[];
    await su().query('commit');
    return rows;
  };
  const until = async (what: string, ok: () => Promise<boolean>) => {
    const deadline = Date.now() + 30_000;
    while (!(await ok())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  const pending = async () =>
    Number((await su().query('select pending from app_outbox_backlog()')).rows[0].pending);

  it('runs the relay in the API process and applies stock.changed: one low-stock alert per product and day, emailed once', async () => {
    expect(app.get(EventsRuntime).outboxRelay).toBeDefined();
    await send('PUT', `/stores/${t.storeIds[0]}/stock/${product}/threshold`, { lowStockThreshold: 5000 });
    await adjust(10_000);
    await adjust(-6000); // 4 left: at or below 5
    await until('the backlog to drain', async () => (await pending()) === 0);
    const alerts = await inTenant<{ on_hand: string; threshold: string }>(
      'select on_hand, threshold from low_stock_alerts',
    );
    expect(alerts).toEqual([{ on_hand: '4000', threshold: '5000' }]);
    await adjust(-1000); // falls again the same day: still one alert
    await until('the backlog to drain', async () => (await pending()) === 0);
    expect(await inTenant('select on_hand from low_stock_alerts')).toHaveLength(1);
    const processed = await inTenant<{ n: number }>(
      `select count(*)::int as n from processed_events where consumer = 'low-stock'`,
    );
    // The receipt raised nothing and wrote no record; the two decreases were applied once each.
    expect(processed).toEqual([{ n: 2 }]);
    // One email for the one alert, to the owner and the store's manager (not the cashier).
    await smtp.until(1);
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0]!.subject).toMatch(/^Low stock at .+: 1 product$/);
    expect(smtp.received[0]!.to.split(', ').sort()).toEqual([t.manager.email, t.owner.email].sort());
    expect(smtp.received[0]!.text).toMatch(/: 4 left, threshold 5\n/);
    const metrics = await app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/^zakpos_outbox_pending 0$/m);
    expect(metrics.body).toMatch(/^zakpos_outbox_published_total\{topic="zakpos.inventory"\} [1-9]/m);
  });

  // The relay hands the consumer a tenant's part of each batch at once (one unit of work): it must do what
  // applying the events one by one does. Days of their own (2030), apart from the relay's alerts of today.
  it('applies a batch of stock.changed as one by one: once per event, one alert per product and day, an email per raising event', async () => {
    const [p1, p2] = await createProducts(app, t.tenantId, [{}, {}]);
    for (const p of [p1!, p2!]) {
      await send('PUT', `/stores/${t.storeIds[0]}/stock/${p}/threshold`, { lowStockThreshold: 5000 });
      await adjust(4000, p);
    }
    await until('the backlog to drain', async () => (await pending()) === 0);
    const mailsBefore = smtp.received.length;
    const stockChanged = (
      day: string,
      changes: { productId: string; quantity: number }[],
    ): EventEnvelope => ({
      version: 1,
      id: randomUUID(),
      type: 'stock.changed',
      tenantId: t.tenantId,
      occurredAt: `${day}T12:00:00.000Z`,
      sequence: 1,
      aggregate: { type: 'store', id: t.storeIds[0]! },
      payload: { storeId: t.storeIds[0], reason: 'adjustment', referenceId: randomUUID(), changes },
    });
    const both = stockChanged('2030-01-01', [
      { productId: p1!, quantity: -1 },
      { productId: p2!, quantity: -1 },
    ]);
    const again = stockChanged('2030-01-01', [{ productId: p1!, quantity: -1 }]);
    const rise = stockChanged('2030-01-01', [{ productId: p1!, quantity: 5 }]);
    const nextDay = stockChanged('2030-01-02', [{ productId: p1!, quantity: -1 }]);
    const consumer = app.get(LowStockConsumer);
    await consumer.handleBatch([both]);
    // `both` a second time (a redelivery), beside the others.
    await consumer.handleBatch([both, again, rise, nextDay]);

    const alerts = await inTenant<{ product_id: string; day: string; event_id: string }>(
      `select product_id, to_char(day, 'YYYY-MM-DD') as day, event_id from low_stock_alerts
        where day >= '2030-01-01' order by day, product_id`,
    );
    expect(alerts).toEqual(
      [
        { product_id: p1, day: '2030-01-01', event_id: both.id },
        { product_id: p2, day: '2030-01-01', event_id: both.id },
        { product_id: p1, day: '2030-01-02', event_id: nextDay.id },
      ].sort((a, b) => a.day.localeCompare(b.day) || a.product_id!.localeCompare(b.product_id!)),
    );
    const applied = await inTenant<{ event_id: string }>(
      `select event_id from processed_events where consumer = 'low-stock'
        and event_id in ('${both.id}', '${again.id}', '${rise.id}', '${nextDay.id}')`,
    );
    // A rise of stock is no decrease: nothing to apply, no record.
    expect(applied.map((r) => r.event_id).sort()).toEqual([both.id, again.id, nextDay.id].sort());
    await smtp.until(mailsBefore + 2);
    const mails = smtp.received.slice(mailsBefore);
    expect(mails.map((m) => m.subject).sort()).toEqual([
      expect.stringMatching(/: 1 product$/),
      expect.stringMatching(/: 2 products$/),
    ]);
  });
});
