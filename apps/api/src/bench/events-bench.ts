// The outbox relay's throughput: N committed outbox events across a few tenants, then the relay (the API's
// own OutboxRelay, with the API's batch size and poll interval) timed from its start until the backlog is 0,
// publishing to a real Kafka broker or to this process's consumers (the embedded default's publisher).
import { randomUUID } from 'node:crypto';
import { EVENT_TYPES, kafkaTopicOf } from '@zakpos/contracts';
import pg from 'pg';
import { Registry } from 'prom-client';
import { Database } from '../db/database.js';
import { applyOnce, EventDelivery, type EventConsumer } from '../events/event-consumer.js';
import type { EventPublisher } from '../events/event-publisher.js';
import { InProcessPublisher } from '../events/in-process-publisher.js';
import { kafkaClient } from '../events/kafka-client.js';
import { KafkaPublisher } from '../events/kafka-publisher.js';
import { OutboxRelay } from '../events/outbox-relay.js';
import { metricSum, microsPer, perSecond } from './bench-metrics.js';
import { ownCpuMs, postgresCpuMs, processCpuMs } from './cpu.js';

export interface RelayBench {
  ownerUrl: string;
  appUrl: string;
  pmPid: number;
  /** Kafka's bootstrap and broker pid; without it, only the in-process rows. */
  kafka?: { bootstrap: string; pid: number };
  events: number;
  tenants: number;
  batchSize: number;
  pollMs: number;
  log: (line: string) => void;
}

export interface RelayRun {
  publisher: string;
  events: number;
  ms: number;
  eventsPerSecond: number;
  /** zakpos_outbox_published_total of the run. */
  published: number;
  /** Messages the topics gained (Kafka runs only). */
  onTopics?: number;
  /** zakpos_outbox_publish_errors_total of the run, and anything the relay logged as warn or error. */
  errors: number;
  messages: string[];
  /** CPU µs per event: this process (the relay and its publisher), PostgreSQL, the broker. */
  cpu: { relay: number; postgres: number; kafka?: number };
}

/** Creates `count` tenants (their rows and event sequences) as the owner role; their ids. */
export async function seedEventTenants(ownerUrl: string, count: number): Promise<string[]> {
  const client = new pg.Client({ connectionString: ownerUrl, application_name: 'zakpos-bench-seed' });
  await client.connect();
  try {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const id = (await client.query<{ id: string }>('select gen_random_uuid()::text as id')).rows[0]!.id;
      await client.query('begin');
      await client.query(`select set_config('app.tenant_id', $1, true)`, [id]);
      await client.query(`insert into tenants (id, name, currency) values ($1, $2, 'EUR')`, [
        id,
        `Relay bench ${i + 1}`,
      ]);
      // A tenant's first event creates its sequence (0020): made here, not by the timed writes.
      await client.query('select app_next_event_seq()');
      await client.query('commit');
      ids.push(id);
    }
    return ids;
  } finally {
    await client.end();
  }
}

/**
 * `perTenant` events for each tenant, committed together in one transaction: what checkouts write, a
 * `sale.completed` and a three-line `stock.changed` per sale, with payloads shaped and sized like theirs.
 */
export async function writeOutboxEvents(
  ownerUrl: string,
  tenants: string[],
  perTenant: number,
): Promise<void> {
  const client = new pg.Client({ connectionString: ownerUrl, application_name: 'zakpos-bench-seed' });
  await client.connect();
  try {
    await client.query('begin');
    for (const tenant of tenants) {
      await client.query(`select set_config('app.tenant_id', $1, true)`, [tenant]);
      await client.query(
        `with g as (
           select g, gen_random_uuid() as sale, $3::uuid as store from generate_series(0, $2::int - 1) g
         )
         insert into outbox (tenant_id, id, type, aggregate_type, aggregate_id, payload)
         select $1::uuid, gen_random_uuid(),
                case when g % 2 = 0 then 'sale.completed' else 'stock.changed' end,
                case when g % 2 = 0 then 'sale' else 'store' end,
                case when g % 2 = 0 then sale else store end,
                case when g % 2 = 0
                  then jsonb_build_object('saleId', sale, 'storeId', store, 'registerId', $4::uuid,
                         'receiptNumber', 'BENCH-' || lpad(g::text, 8, '0'), 'currency', 'EUR',
                         'gross', 1000 + g % 9000, 'customerId', null)
                  else jsonb_build_object('storeId', store, 'reason', 'sale', 'referenceId', sale,
                         'changes', jsonb_build_array(
                           jsonb_build_object('productId', gen_random_uuid(), 'quantity', -1000),
                           jsonb_build_object('productId', gen_random_uuid(), 'quantity', -2000),
                           jsonb_build_object('productId', gen_random_uuid(), 'quantity', -1000)))
                end
           from g`,
        [tenant, perTenant, randomUUID(), randomUUID()],
      );
    }
    await client.query('commit');
  } finally {
    await client.end();
  }
}

async function backlog(client: pg.Client): Promise<number> {
  return Number(
    (await client.query<{ pending: string }>('select pending from app_outbox_backlog()')).rows[0]!.pending,
  );
}

/** Sum of the high watermarks of the topics the bench's events go to. */
async function topicOffsets(kafka: ReturnType<typeof kafkaClient>): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    let sum = 0;
    for (const topic of (['sale.completed', 'stock.changed'] as const).map(kafkaTopicOf)) {
      for (const p of await admin.fetchTopicOffsets(topic)) sum += Number(p.high);
    }
    return sum;
  } finally {
    await admin.disconnect();
  }
}

/**
 * Runs one relay until the backlog (all of it, counted at the start) is 0: the time from its start (connect,
 * lease, barrier, every batch) to the last mark; the backlog is read every 10 ms by a connection of its own.
 */
async function timeRelay(o: RelayBench, publisher: EventPublisher, name: string): Promise<RelayRun> {
  const messages: string[] = [];
  const registry = new Registry();
  const relay = new OutboxRelay(
    {
      connectionString: o.appUrl,
      batchSize: o.batchSize,
      pollMs: o.pollMs,
      registry,
      log: (level, message, err) => {
        if (level !== 'info') messages.push(`${message}${err instanceof Error ? `: ${err.message}` : ''}`);
      },
    },
    publisher,
  );
  const watcher = new pg.Client({ connectionString: o.appUrl, application_name: 'zakpos-bench-watch' });
  await watcher.connect();
  try {
    const events = await backlog(watcher);
    const broker = publisher.kind === 'kafka' ? o.kafka : undefined;
    const before = {
      own: ownCpuMs(),
      pg: postgresCpuMs(o.pmPid),
      kafka: broker ? processCpuMs(broker.pid) : 0,
    };
    const start = performance.now();
    relay.start();
    const deadline = start + 600_000;
    while ((await backlog(watcher)) > 0) {
      if (performance.now() > deadline)
        throw new Error(`relay bench (${name}): the backlog did not drain in 10 min`);
      await new Promise((r) => setTimeout(r, 10));
    }
    const ms = performance.now() - start;
    const cpu = {
      relay: microsPer(ownCpuMs() - before.own, events),
      postgres: microsPer(postgresCpuMs(o.pmPid) - before.pg, events),
      ...(broker ? { kafka: microsPer(processCpuMs(broker.pid) - before.kafka, events) } : {}),
    };
    await relay.stop();
    const text = await registry.metrics();
    return {
      publisher: name,
      events,
      ms,
      eventsPerSecond: perSecond(events, ms),
      published: metricSum(text, 'zakpos_outbox_published_total'),
      errors: metricSum(text, 'zakpos_outbox_publish_errors_total'),
      messages,
      cpu,
    };
  } finally {
    await relay.stop();
    await watcher.end();
  }
}

/**
 * The relay to Kafka, then to this process's consumers (none: the relay's own ceiling; and one that applies
 * each event once, a processed_events row per event, as each consumer of the API's does for what it handles).
 * Each run is preceded by a small one of its own (connections, the producer, JIT), not counted.
 */
export async function runRelayBench(o: RelayBench): Promise<RelayRun[]> {
  const tenants = await seedEventTenants(o.ownerUrl, o.tenants);
  const perTenant = Math.ceil(o.events / o.tenants);
  const warmPerTenant = Math.max(2, Math.ceil(o.batchSize / o.tenants));
  const runs: RelayRun[] = [];
  const db = new Database(o.appUrl, { poolMax: 2, applicationName: 'zakpos-bench-consumer' });
  const dedupe: EventConsumer = {
    name: 'bench-dedupe',
    types: EVENT_TYPES,
    handle: async (event) => {
      await applyOnce(db, 'bench-dedupe', event, async () => {});
    },
  };
  const delivery = new EventDelivery(() => {}, undefined);
  const deduping = new InProcessPublisher([dedupe], delivery);
  const kafka = o.kafka ? kafkaClient([o.kafka.bootstrap], 'zakpos-bench', () => {}) : undefined;
  const publishers: [string, EventPublisher][] = [
    ...(kafka ? [['Kafka', new KafkaPublisher(kafka)] as [string, EventPublisher]] : []),
    ['in-process, no consumer', new InProcessPublisher([], delivery)],
    ['in-process, 1 deduping consumer', deduping],
  ];
  try {
    for (const [name, publisher] of publishers) {
      // Also drains what the API processes left unpublished when they stopped.
      o.log(`relay → ${name}: warm-up with ${warmPerTenant * o.tenants} events`);
      await writeOutboxEvents(o.ownerUrl, tenants, warmPerTenant);
      await timeRelay(o, publisher, name);
      // The deduping consumer writes a row per event, one transaction each: a quarter of the events keeps it short.
      const per = publisher === deduping ? Math.ceil(perTenant / 4) : perTenant;
      const events = per * o.tenants;
      o.log(`relay → ${name}: ${events.toLocaleString('en')} events across ${o.tenants} tenants`);
      await writeOutboxEvents(o.ownerUrl, tenants, per);
      const offsetsBefore = kafka && name === 'Kafka' ? await topicOffsets(kafka) : undefined;
      const run = await timeRelay(o, publisher, name);
      if (run.events !== events) throw new Error(`relay bench: ${run.events} events pending, not ${events}`);
      if (offsetsBefore !== undefined) run.onTopics = (await topicOffsets(kafka!)) - offsetsBefore;
      runs.push(run);
      await publisher.close();
    }
  } finally {
    await db.close();
  }
  return runs;
}
