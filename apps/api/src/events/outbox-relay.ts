import { kafkaTopicOf } from '@zakpos/contracts';
import pg from 'pg';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { EventPublisher } from './event-publisher.js';
import { type ReadyOutboxRow, toEnvelope } from './event-envelope.js';

/** The session advisory lock whose holder is the one relay publishing (any number may run). */
export const RELAY_LEASE_KEY = 7_220_021;

export interface OutboxRelayOptions {
  /** The API role's URL: the relay reads and marks rows through 0021's SECURITY DEFINER functions only. */
  connectionString: string;
  batchSize: number;
  pollMs: number;
  /** How often a relay that is not the leader tries to take the lease. */
  leaseRetryMs?: number;
  log: (level: 'info' | 'warn' | 'error', message: string, err?: unknown) => void;
  registry?: Registry;
}

/**
 * Publishes committed outbox rows, in seq order per tenant, to an EventPublisher, and marks them published
 * once it accepted them: at least once, never lost (a relay that dies between the two publishes them again;
 * consumers dedupe by event id). Every replica may run one; the holder of a session advisory lock (the
 * lease) is the only one publishing, and a lease dies with its connection, so another relay takes over
 * within `leaseRetryMs` of a crash.
 */
export class OutboxRelay {
  private stopped = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private readonly published: Counter<'topic'>;
  private readonly errors: Counter<'stage'>;
  private readonly leader: Gauge;
  private readonly barriers: Counter;
  private isLeader = false;
  private publishBackoff = 0;

  constructor(
    private readonly options: OutboxRelayOptions,
    private readonly publisher: EventPublisher,
  ) {
    const registers = options.registry ? [options.registry] : [];
    this.published = new Counter({
      name: 'zakpos_outbox_published_total',
      help: 'Outbox events published by this process, by topic',
      labelNames: ['topic'],
      registers,
    });
    this.errors = new Counter({
      name: 'zakpos_outbox_publish_errors_total',
      help: 'Failed outbox relay passes, by stage (publish: the broker or a consumer; database: reading or marking)',
      labelNames: ['stage'],
      registers,
    });
    this.barriers = new Counter({
      name: 'zakpos_outbox_relay_barriers_total',
      help: 'Relay passes that found rows to send and took a barrier, one transaction id each (an idle poll takes none)',
      registers,
    });
    this.leader = new Gauge({
      name: 'zakpos_outbox_relay_leader',
      help: '1 while this process holds the relay lease and publishes',
      registers,
    });
  }

  get leading(): boolean {
    return this.isLeader;
  }

  start(): void {
    this.loop ??= this.run();
  }

  /** Ends the loop after the pass in flight; the lease is released with the connection. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
    this.loop = undefined;
  }

  private async run(): Promise<void> {
    let backoff = 0;
    while (!this.stopped) {
      const client = new pg.Client({
        connectionString: this.options.connectionString,
        application_name: 'zakpos-outbox-relay',
      });
      client.on('error', () => {}); // the failing query reports it
      try {
        await client.connect();
        const lease = await client.query<{ ok: boolean }>('select pg_try_advisory_lock($1) as ok', [
          RELAY_LEASE_KEY,
        ]);
        if (!lease.rows[0]!.ok) {
          await client.end();
          await this.sleep(this.options.leaseRetryMs ?? 2_000);
          continue;
        }
        this.setLeader(true);
        this.options.log('info', 'outbox relay: leading (holds the lease)');
        backoff = 0;
        await this.lead(client);
      } catch (err) {
        this.errors.inc({ stage: 'database' });
        this.options.log('warn', 'outbox relay: database connection lost; retrying', err);
        backoff = Math.min(5_000, Math.max(200, backoff * 2));
        await this.sleep(backoff);
      } finally {
        this.setLeader(false);
        await client.end().catch(() => {});
      }
    }
  }

  /**
   * Publishes while it holds the lease, one barrier after another (0021_outbox_relay.sql): returns on stop,
   * throws when the database fails.
   */
  private async lead(client: pg.Client): Promise<void> {
    while (!this.stopped) {
      const cut = (
        await client.query<{ barrier: string; tenant_id: string; upto: string }>(
          'select barrier::text, tenant_id, upto from app_outbox_barrier()',
        )
      ).rows;
      if (cut.length === 0) {
        await this.sleep(this.options.pollMs);
        continue;
      }
      this.barriers.inc();
      if (!(await this.barrierPassed(client, cut[0]!.barrier))) continue;
      const tenants = cut.map((c) => c.tenant_id);
      const upto = cut.map((c) => c.upto);
      for (;;) {
        const rows = (
          await client.query<ReadyOutboxRow>('select * from app_outbox_ready($1::uuid[], $2::bigint[], $3)', [
            tenants,
            upto,
            this.options.batchSize,
          ])
        ).rows;
        if (rows.length === 0 || !(await this.publishRows(client, rows))) break;
        if (rows.length < this.options.batchSize) break;
      }
    }
  }

  /**
   * Waits for every transaction older than the barrier to end: false only on stop. A new barrier would wait for
   * the same transactions, and each takes an xid, so the pass keeps its own however long that takes.
   */
  private async barrierPassed(client: pg.Client, barrier: string): Promise<boolean> {
    for (let wait = 2; !this.stopped; wait = Math.min(wait * 2, this.options.pollMs)) {
      const passed = await client.query<{ ok: boolean }>('select app_outbox_barrier_passed($1::xid8) as ok', [
        barrier,
      ]);
      if (passed.rows[0]!.ok) return true;
      await this.sleep(wait);
    }
    return false;
  }

  /** Publishes and marks the rows; false (after a backoff) when the publisher refused them. */
  private async publishRows(client: pg.Client, rows: ReadyOutboxRow[]): Promise<boolean> {
    const events = rows.map(toEnvelope);
    try {
      await this.publisher.publish(events);
    } catch (err) {
      this.errors.inc({ stage: 'publish' });
      this.publishBackoff = Math.min(10_000, Math.max(250, this.publishBackoff * 2));
      this.options.log('warn', `outbox relay: publishing ${events.length} events failed; retrying`, err);
      await this.sleep(this.publishBackoff);
      return false;
    }
    this.publishBackoff = 0;
    await client.query('select app_outbox_mark_published($1::uuid[], $2::bigint[])', [
      rows.map((r) => r.tenant_id),
      rows.map((r) => String(r.seq)),
    ]);
    for (const e of events) this.published.inc({ topic: kafkaTopicOf(e.type) });
    return true;
  }

  private setLeader(on: boolean): void {
    this.isLeader = on;
    this.leader.set(on ? 1 : 0);
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
