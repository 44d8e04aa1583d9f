import type { EventEnvelope, EventType } from '@zakpos/contracts';
import { sql } from 'kysely';
import { Counter, type Registry } from 'prom-client';
import type { Database, Tx } from '../db/database.js';

/** A handler of published events. Its name is its dedupe key and its Kafka consumer group. */
export interface EventConsumer {
  readonly name: string;
  readonly types: readonly EventType[];
  /** Applies one event. Delivery is at least once: dedupe with applyOnce or be idempotent. */
  handle(event: EventEnvelope): Promise<void>;
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
  return db.tenant({ tenantId: event.tenantId }, async (tx) => {
    const first = await tx
      .insertInto('processed_events')
      .values({ tenant_id: event.tenantId, consumer, event_id: event.id })
      .onConflict((oc) => oc.doNothing())
      .returning(sql<number>`1`.as('one'))
      .executeTakeFirst();
    if (!first) return false;
    await work(tx);
    return true;
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
