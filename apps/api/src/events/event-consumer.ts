import type { EventEnvelope, EventType } from '@zakpos/contracts';
import { Counter, type Registry } from 'prom-client';
import type { Database, Tx } from '../db/database.js';

/** A handler of published events. Its name is its dedupe key and its Kafka consumer group. */
export interface EventConsumer {
  readonly name: string;
  readonly types: readonly EventType[];
  /** Applies one event. Delivery is at least once: dedupe with applyOnce or be idempotent. */
  handle(event: EventEnvelope): Promise<void>;
  /**
   * Applies events of one tenant, in order, at once: what `handle` would do with each in turn, in fewer round
   * trips (the embedded default hands a consumer a tenant's part of each relay batch). Optional.
   */
  handleBatch?(events: readonly EventEnvelope[]): Promise<void>;
}

/**
 * Runs `work` in a unit of work of the event's tenant, once per consumer and event id: the event's
 * processed_events row is written in the same transaction, so a redelivery finds it and does nothing, and
 * a failure leaves neither. True when it applied the event now.
 */
export async function applyOnce(
  db: Database,
  consumer: string,
  event: EventEnvelope,
  work: (tx: Tx) => Promise<void>,
): Promise<boolean> {
  const fresh = await applyEachOnce(db, consumer, event.tenantId, [event], (tx) => work(tx));
  return fresh.length === 1;
}

/**
 * applyOnce for events of one tenant at once: one unit of work writes their processed_events rows and runs
 * `work` with those it applied now (the others were applied before), in their order. Resolves with those.
 */
export async function applyEachOnce(
  db: Database,
  consumer: string,
  tenantId: string,
  events: readonly EventEnvelope[],
  work: (tx: Tx, fresh: readonly EventEnvelope[]) => Promise<void>,
): Promise<readonly EventEnvelope[]> {
  if (events.length === 0) return [];
  if (events.some((e) => e.tenantId !== tenantId)) throw new Error('applyEachOnce: events of another tenant');
  return db.tenant({ tenantId }, async (tx) => {
    const inserted = await tx
      .insertInto('processed_events')
      .values(events.map((e) => ({ tenant_id: tenantId, consumer, event_id: e.id })))
      .onConflict((oc) => oc.doNothing())
      .returning('event_id')
      .execute();
    const now = new Set(inserted.map((r) => r.event_id));
    const fresh = events.filter((e) => now.has(e.id));
    if (fresh.length > 0) await work(tx, fresh);
    return fresh;
  });
}

export const DELIVERY_ATTEMPTS = 5;

/** Delivers events to consumers with retries; an event a consumer refuses every time is parked (logged, counted). */
export class EventDelivery {
  private readonly failures: Counter<'consumer'>;
  private readonly parked: Counter<'consumer'>;

  constructor(
    private readonly log: (level: 'warn' | 'error', message: string, err?: unknown) => void,
    registry: Registry | undefined,
    private readonly retryDelayMs = 200,
  ) {
    const registers = registry ? [registry] : [];
    this.failures = new Counter({
      name: 'zakpos_event_handler_failures_total',
      help: 'Attempts of a consumer to apply an event that threw (each is retried)',
      labelNames: ['consumer'],
      registers,
    });
    this.parked = new Counter({
      name: 'zakpos_event_handler_parked_total',
      help: 'Events a consumer failed on every attempt and skipped (see the error log for their ids)',
      labelNames: ['consumer'],
      registers,
    });
  }

  /**
   * Delivers events of one tenant in order: to `handleBatch` at once where the consumer has it; should that
   * throw, one by one with `deliver`'s retries, so an event that keeps failing is parked alone.
   */
  async deliverAll(consumer: EventConsumer, events: readonly EventEnvelope[]): Promise<void> {
    const own = events.filter((e) => consumer.types.includes(e.type));
    if (own.length > 1 && consumer.handleBatch) {
      try {
        await consumer.handleBatch(own);
        return;
      } catch (err) {
        this.failures.inc({ consumer: consumer.name });
        this.log(
          'warn',
          `${consumer.name}: a batch of ${own.length} events failed; applying them one by one`,
          err,
        );
      }
    }
    for (const event of own) await this.deliver(consumer, event);
  }

  async deliver(consumer: EventConsumer, event: EventEnvelope): Promise<void> {
    if (!consumer.types.includes(event.type)) return;
    for (let attempt = 1; ; attempt++) {
      try {
        await consumer.handle(event);
        return;
      } catch (err) {
        this.failures.inc({ consumer: consumer.name });
        if (attempt >= DELIVERY_ATTEMPTS) {
          this.parked.inc({ consumer: consumer.name });
          this.log(
            'error',
            `event ${event.id} (${event.type}) parked by ${consumer.name} after ${attempt} attempts`,
            err,
          );
          return;
        }
        await new Promise((r) => setTimeout(r, this.retryDelayMs * 2 ** (attempt - 1)));
      }
    }
  }
}
