import { randomUUID } from 'node:crypto';
import { type EventEnvelope, eventEnvelopeSchema, EVENT_TOPICS, kafkaTopicOf } from '@zakpos/contracts';
import type { Consumer, Kafka } from 'kafkajs';
import pg from 'pg';
import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestBroker, type TestBroker } from '../../../../docker/kafka/test-broker.js';
import { Database } from '../db/database.js';
import { applyOnce, EventDelivery, type EventConsumer } from './event-consumer.js';
import type { EventPublisher } from './event-publisher.js';
import { type AppConnection, useEventsDatabase } from './events.test-fixtures.js';
import { kafkaClient } from './kafka-client.js';
import { KafkaConsumers } from './kafka-consumers.js';
import { KafkaPublisher } from './kafka-publisher.js';
import { startWorkerProcess } from '../realtime/realtime.test-fixtures.js';
import { OutboxRelay, RELAY_LEASE_KEY } from './outbox-relay.js';

const TYPES = ['stock.changed', 'sale.completed', 'product.created', 'session.closed'] as const;

/** The outbox relay against a real Kafka broker (docker/kafka/test-broker.ts) and its own database. */
// A hang guard above the waits' own deadlines (until), so a test fails on the wait it names and ends before
// afterEach stops what it started.
describe('the outbox relay to Kafka', { timeout: 180_000 }, () => {
  const events = useEventsDatabase('zakpos_relay');
  let broker: TestBroker;
  let kafka: Kafka;
  let writer: AppConnection;
  let watcher: AppConnection;
  let db: Database;
  /** Every message on the four topics, read by a consumer group of the test's own. */
  const seen: { topic: string; key: string; partition: number; event: EventEnvelope }[] = [];
  let reader: Consumer;
  /** What a test started (relays, consumers, processes, locks), ended after it whether it passed or not. */
  const cleanups: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    broker = await startTestBroker();
    const topics = await broker.createTopics();
    expect(topics.code, topics.out).toBe(0);
    kafka = kafkaClient([broker.bootstrap], 'relay-test', () => {});
    [writer, watcher] = await Promise.all([events.appClient(), events.appClient()]);
    db = new Database(events.appUrl(), { poolMax: 2 });
    reader = kafka.consumer({ groupId: `relay-test-reader-${Date.now()}` });
    await reader.connect();
    await reader.subscribe({ topics: EVENT_TOPICS.map((t) => `zakpos.${t}`), fromBeginning: true });
    await reader.run({
      eachMessage: async ({ topic, partition, message }) => {
        seen.push({
          topic,
          partition,
          key: message.key!.toString(),
          event: eventEnvelopeSchema.parse(JSON.parse(message.value!.toString())),
        });
      },
    });
  }, 600_000);

  // A failed test's relay would keep the lease and publish into the next tests.
  afterEach(async () => {
    for (const end of cleanups.splice(0).reverse()) await end();
  }, 120_000);

  afterAll(async () => {
    await reader?.disconnect();
    await db?.close();
    await Promise.all([writer, watcher].map((c) => c?.end()));
    await broker?.close();
  }, 120_000);

  const relay = (publisher: EventPublisher, registry = new Registry()) => {
    const r = new OutboxRelay(
      {
        connectionString: events.appUrl(),
        batchSize: 50,
        pollMs: 20,
        leaseRetryMs: 100,
        log: () => {},
        registry,
      },
      publisher,
    );
    cleanups.push(() => r.stop());
    r.start();
    return r;
  };
  const barriers = async (registry: Registry) =>
    (await registry.getSingleMetric('zakpos_outbox_relay_barriers_total')!.get()).values[0]?.value ?? 0;
  const write = async (tenantId: string, n: number) => {
    const ids: number[] = [];
    await writer.begin(tenantId);
    for (let i = 0; i < n; i++) ids.push(await writer.event(tenantId, TYPES[i % TYPES.length]));
    await writer.client.query('commit');
    return ids;
  };
  const pending = async () =>
    Number((await watcher.client.query('select pending from app_outbox_backlog()')).rows[0].pending);
  const until = async (what: string, ok: () => Promise<boolean> | boolean, ms = 60_000) => {
    const deadline = Date.now() + ms;
    while (!(await ok())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const ofTenant = (tenantId: string) => seen.filter((m) => m.event.tenantId === tenantId);
  /**
   * A consumer group of the test's own applying the tenant's events once (applyOnce, as the real consumers do):
   * the ids it applied, and the ids processed_events recorded for it.
   */
  const recording = async (tenantId: string, name: string) => {
    const applied: string[] = [];
    const recorder: EventConsumer = {
      name,
      types: TYPES,
      handle: async (event) => {
        if (event.tenantId !== tenantId) return;
        await applyOnce(db, name, event, async () => {
          applied.push(event.id);
        });
      },
    };
    const consumers = new KafkaConsumers(kafka, [recorder], new EventDelivery(() => {}, undefined), () => {});
    cleanups.push(() => consumers.stop());
    await consumers.start();
    const appliedRows = async () =>
      (
        await db.tenant({ tenantId }, (tx) =>
          tx.selectFrom('processed_events').select('event_id').where('consumer', '=', name).execute(),
        )
      )
        .map((r) => r.event_id)
        .sort();
    return { applied, appliedRows };
  };

  it('publishes every committed event once to its aggregate topic, keyed by tenant, in seq order per tenant', async () => {
    const [t1, t2] = [await events.addTenant(), await events.addTenant()];
    relay(new KafkaPublisher(kafka));
    const s1 = [...(await write(t1, 8)), ...(await write(t1, 4))];
    const s2 = await write(t2, 6);
    await until('the backlog to drain', async () => (await pending()) === 0);
    await until('the reader to see every event', () => ofTenant(t1).length + ofTenant(t2).length >= 18);
    for (const [tenant, seqs] of [
      [t1, s1],
      [t2, s2],
    ] as const) {
      const mine = ofTenant(tenant);
      expect(mine.map((m) => m.event.sequence).sort((a, b) => a - b)).toEqual(seqs);
      expect(new Set(mine.map((m) => m.event.id)).size).toBe(seqs.length);
      for (const m of mine) {
        expect(m.topic).toBe(kafkaTopicOf(m.event.type));
        expect(m.key).toBe(tenant);
      }
      // In order within each topic (one partition per tenant and topic, by the key).
      for (const topic of new Set(mine.map((m) => m.topic))) {
        const onTopic = mine.filter((m) => m.topic === topic);
        expect(new Set(onTopic.map((m) => m.partition)).size).toBe(1);
        const order = onTopic.map((m) => m.event.sequence);
        expect(order).toEqual([...order].sort((a, b) => a - b));
      }
    }
  });

  it('holds a tenant back while a lower seq is in flight on one barrier for the whole wait, then sends both in order', async () => {
    const t = await events.addTenant();
    const registry = new Registry();
    relay(new KafkaPublisher(kafka), registry);
    const open = await events.appClient();
    cleanups.push(() => open.end());
    await open.begin(t);
    const low = await open.event(t);
    const high = await write(t, 3);
    await until('the relay to take a barrier', async () => (await barriers(registry)) >= 1);
    const taken = await barriers(registry);
    // 50 poll intervals of the relay, while other transactions of the cluster take xids (as other test files
    // do beside this one): the relay's own count is the measure, not the cluster's xid counter.
    const wait = new Promise((r) => setTimeout(r, 1_000));
    for (let i = 0; i < 20; i++) await watcher.client.query('select pg_current_xact_id()');
    await wait;
    expect(ofTenant(t)).toEqual([]);
    // Each barrier is an xid (outbox-order.int.spec): one for the whole wait, not one per poll.
    expect(await barriers(registry)).toBe(taken);
    await open.client.query('commit');
    await until('the events', () => ofTenant(t).length >= 4);
    expect(
      ofTenant(t)
        .map((m) => m.event.sequence)
        .sort((a, b) => a - b),
    ).toEqual([low, ...high]);
    // On one topic (one partition per tenant), in seq order: the held-back low one first.
    const inventory = ofTenant(t).filter((m) => m.topic === 'zakpos.inventory');
    expect(inventory.map((m) => m.event.sequence)).toEqual([low, high[0]]);
  });

  it('lets one of two relays lead; when its connection dies the other takes over, losing nothing', async () => {
    const t = await events.addTenant();
    const [a, b] = [relay(new KafkaPublisher(kafka)), relay(new KafkaPublisher(kafka))];
    await until('a leader', () => a.leading || b.leading);
    expect(a.leading && b.leading).toBe(false);
    const before = await write(t, 20);
    await until('the first events', () => ofTenant(t).length >= 20);
    const leader = a.leading ? a : b;
    const other = leader === a ? b : a;
    await watcher.client.query(
      `select pg_terminate_backend(pid) from pg_locks where locktype = 'advisory' and objid = $1 and granted`,
      [RELAY_LEASE_KEY],
    );
    await until('the other relay to lead', () => other.leading);
    const after = await write(t, 20);
    await until('the backlog to drain', async () => (await pending()) === 0);
    await until('every event', () => new Set(ofTenant(t).map((m) => m.event.sequence)).size >= 40);
    const counts = new Map<number, number>();
    for (const m of ofTenant(t)) counts.set(m.event.sequence, (counts.get(m.event.sequence) ?? 0) + 1);
    // The first 20 left while one relay led: once each. Every later one at least once (the kill may fall
    // between a publish and its mark).
    expect(before.map((s) => counts.get(s))).toEqual(before.map(() => 1));
    expect(after.every((s) => (counts.get(s) ?? 0) >= 1)).toBe(true);
  });

  it('publishes again after a crash between publish and mark, and a consumer applies the event once', async () => {
    const t = await events.addTenant();
    const { applied, appliedRows } = await recording(t, 'relay-test-recorder');
    const kafkaPublisher = new KafkaPublisher(kafka);
    let crashes = 1;
    // Publishes for real, then fails as a relay killed before its mark would: the rows stay unpublished.
    const crashing: EventPublisher = {
      kind: 'kafka',
      publish: async (batch) => {
        await kafkaPublisher.publish(batch);
        if (crashes-- > 0) throw new Error('crashed after the broker acknowledged');
      },
      close: () => kafkaPublisher.close(),
    };
    relay(crashing);
    const seqs = await write(t, 5);
    await until('the backlog to drain', async () => (await pending()) === 0);
    await until('the consumer to apply every event', () => applied.length >= 5);
    await until('both copies on the topic', () => ofTenant(t).length >= 10);
    expect(
      ofTenant(t)
        .map((m) => m.event.sequence)
        .sort((x, y) => x - y),
    ).toEqual(seqs.flatMap((s) => [s, s]));
    // Each applied once, and recorded once in processed_events.
    expect(applied).toHaveLength(5);
    expect(new Set(applied).size).toBe(5);
    expect(await appliedRows()).toEqual([...applied].sort());
  });

  it('publishes again when a relay process is killed between publish and mark; a consumer applies each once', async () => {
    const t = await events.addTenant();
    const { applied, appliedRows } = await recording(t, 'relay-process-recorder');
    // session.closed only: the worker's own consumers take it without a store of this database to find.
    const seqs: number[] = [];
    await writer.begin(t);
    for (let i = 0; i < 3; i++) seqs.push(await writer.event(t, 'session.closed'));
    await writer.client.query('commit');

    // The relay reads and publishes; its mark (an UPDATE) waits on this lock until the process is killed.
    // The server checks the waiting connection, so the dead relay's mark is cancelled rather than run once
    // the lock goes (as when the relay's machine dies with it).
    await events.db.owner.query(
      `alter database ${events.db.name} set client_connection_check_interval = '100ms'`,
    );
    cleanups.push(() =>
      events.db.owner.query(`alter database ${events.db.name} reset client_connection_check_interval`),
    );
    const lock = new pg.Client({ connectionString: events.ownerUrl() });
    await lock.connect();
    cleanups.push(() => lock.end());
    await lock.query('begin');
    await lock.query('lock table outbox in share mode');
    const env = {
      DATABASE_URL: events.appUrl(),
      JWT_SECRET: randomUUID() + randomUUID(),
      KAFKA_BROKERS: broker.bootstrap,
      OUTBOX_POLL_MS: '20',
    };
    const first = await startWorkerProcess(env);
    cleanups.push(() => first.stop());
    await until('the events on the topic', () => ofTenant(t).length >= 3);
    await until('the relay waiting to mark them', async () => (await events.lockWaiters('outbox')) > 0);
    first.child.kill('SIGKILL');
    await first.stop();
    await until(
      'the dead relay’s mark to be cancelled',
      async () => (await events.lockWaiters('outbox')) === 0,
    );
    await lock.query('rollback');
    expect(await pending()).toBe(3);

    const second = await startWorkerProcess(env);
    cleanups.push(() => second.stop());
    await until('the backlog to drain', async () => (await pending()) === 0);
    await until('both copies on the topic', () => ofTenant(t).length >= 6);
    await until('the consumer to apply every event', () => applied.length >= 3);
    expect(
      ofTenant(t)
        .map((m) => m.event.sequence)
        .sort((x, y) => x - y),
    ).toEqual(seqs.flatMap((q) => [q, q]));
    expect(applied).toHaveLength(3);
    expect(new Set(applied).size).toBe(3);
    expect(await appliedRows()).toEqual([...applied].sort());
  }, 180_000);

  it('keeps the events while Kafka is down, counts the failures, and drains the backlog when it returns', async () => {
    const t = await events.addTenant();
    const registry = new Registry();
    relay(new KafkaPublisher(kafka), registry);
    await write(t, 2);
    await until('the first events', () => ofTenant(t).length >= 2);
    await broker.stop();
    const seqs = await write(t, 10);
    expect(await pending()).toBe(10);
    const errors = async () =>
      (await registry.getSingleMetric('zakpos_outbox_publish_errors_total')!.get()).values
        .filter((v) => v.labels.stage === 'publish')
        .reduce((n, v) => n + v.value, 0);
    await until('a failed publish', async () => (await errors()) >= 1, 90_000);
    expect(await pending()).toBe(10);
    // A consumer started while the broker is down: it joins its group once the broker is back.
    const applied: number[] = [];
    const late: EventConsumer = {
      name: 'relay-test-late',
      types: TYPES,
      handle: async (event) => {
        if (event.tenantId !== t) return;
        await applyOnce(db, 'relay-test-late', event, async () => {
          applied.push(event.sequence);
        });
      },
    };
    const consumers = new KafkaConsumers(kafka, [late], new EventDelivery(() => {}, undefined), () => {});
    cleanups.push(() => consumers.stop());
    const joined = consumers.start(500);
    await broker.start();
    await joined;
    await until('the backlog to drain', async () => (await pending()) === 0, 120_000);
    await until('the reader to see them', () => ofTenant(t).length >= 12, 60_000);
    const got = new Set(ofTenant(t).map((m) => m.event.sequence));
    for (const s of seqs) expect(got.has(s), `seq ${s}`).toBe(true);
    // Every event once, by event id, to the consumer that joined late.
    await until('the late consumer to apply every event', () => applied.length >= 12, 60_000);
    expect([...applied].sort((a, b) => a - b)).toEqual(
      [...new Set(ofTenant(t).map((m) => m.event.sequence))].sort((a, b) => a - b),
    );
  }, 300_000);
});
