import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@zakpos/contracts';
import { describe, expect, it } from 'vitest';
import { EventDelivery, type EventConsumer } from './event-consumer.js';
import { InProcessPublisher } from './in-process-publisher.js';

const event = (tenantId: string, sequence: number) =>
  ({ id: randomUUID(), tenantId, sequence, type: 'stock.changed' }) as unknown as EventEnvelope;

/** Every application, by every consumer, in the order they finished. */
const log: string[] = [];

/** A consumer that takes `ms` per event and records what it applied, and how many it ran at once. */
function recorder(name: string, ms: number) {
  const applied: { tenant: string; seq: number }[] = [];
  let running = 0;
  const stats = { maxRunning: 0 };
  const consumer: EventConsumer = {
    name,
    types: ['stock.changed'],
    handle: async (e) => {
      stats.maxRunning = Math.max(stats.maxRunning, ++running);
      await new Promise((r) => setTimeout(r, ms));
      running--;
      applied.push({ tenant: e.tenantId, seq: e.sequence });
      log.push(name);
    },
  };
  return { consumer, applied, stats };
}

describe('InProcessPublisher', () => {
  it("keeps each tenant's order per consumer, lets a fast consumer run ahead, and tenants go side by side", async () => {
    const slow = recorder('slow', 100);
    const fast = recorder('fast', 1);
    const publisher = new InProcessPublisher(
      [slow.consumer, fast.consumer],
      new EventDelivery(() => {}, undefined),
    );
    const [a, b] = [randomUUID(), randomUUID()];
    const batch = [event(a, 1), event(b, 1), event(a, 2), event(b, 2), event(a, 3), event(b, 3)];
    await publisher.publish(batch);

    for (const r of [slow, fast]) {
      expect(r.applied).toHaveLength(6);
      for (const t of [a, b])
        expect(r.applied.filter((x) => x.tenant === t).map((x) => x.seq)).toEqual([1, 2, 3]);
    }
    // The fast consumer applied all six before the slow one had applied two.
    expect(log.lastIndexOf('fast')).toBeLessThan(log.indexOf('slow') + 2);
    // The two tenants side by side, one event each at a time.
    expect(slow.stats.maxRunning).toBe(2);
  });

  it("hands a consumer with handleBatch each tenant's events at once, in order; one by one when it throws", async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const batch = [event(a, 1), event(b, 1), event(a, 2), event(b, 2), event(a, 3)];
    const batches: number[][] = [];
    const single: number[] = [];
    const poison = batch[2]!.id;
    const consumer: EventConsumer = {
      name: 'batched',
      types: ['stock.changed'],
      handle: async (e) => {
        if (e.id === poison) throw new Error('refused');
        single.push(e.sequence);
      },
      handleBatch: async (events) => {
        if (events.some((e) => e.id === poison)) throw new Error('refused');
        batches.push(events.map((e) => e.sequence));
      },
    };
    const logged: string[] = [];
    const publisher = new InProcessPublisher(
      [consumer],
      new EventDelivery((level, message) => logged.push(`${level} ${message}`), undefined, 1),
    );
    await publisher.publish(batch);
    // Tenant b's two at once; tenant a's batch held the poison, so its events went one by one, the
    // poison parked alone after its retries and the others applied in order.
    expect(batches).toEqual([[1, 2]]);
    expect(single).toEqual([1, 3]);
    expect(logged).toEqual([
      'warn batched: a batch of 3 events failed; applying them one by one',
      `error event ${poison} (stock.changed) parked by batched after 5 attempts`,
    ]);
  });
});
