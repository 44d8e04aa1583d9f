import { Logger } from '@nestjs/common';
import type { EventEnvelope } from '@zakpos/contracts';
import { z } from 'zod';
import type { EventConsumer } from '../events/event-consumer.js';
import type { Broadcast } from './broadcast.js';

/** Every payload pushed here names its store (the contract's stock.changed, sale.completed, session.*). */
const storePayload = z.object({ storeId: z.uuid() });

/**
 * Pushes the events a till or a back office shows live to the sockets of the event's store, as a Socket.IO
 * event of the same name carrying the payload plus the envelope's id, type and occurredAt. Best effort and
 * at least once: a client dedupes by `id`; nothing is retried, a socket that was away reloads over REST.
 */
export class RealtimeConsumer implements EventConsumer {
  readonly name = 'realtime';
  readonly types = ['sale.completed', 'stock.changed', 'session.closed'] as const;
  private readonly logger = new Logger('Realtime');

  /** `broadcast` is null in a process that can reach no socket (a worker without Redis). */
  constructor(private readonly broadcast: Broadcast | null) {}

  async handle(event: EventEnvelope): Promise<void> {
    if (!this.broadcast) return;
    const store = storePayload.safeParse(event.payload);
    // A payload off its contract is a bug of its writer: retrying would not give it a store.
    if (!store.success) {
      this.logger.warn(`event ${event.id} (${event.type}) names no store: not pushed`);
      return;
    }
    this.broadcast.toStore(event.tenantId, store.data.storeId, event.type, {
      ...event.payload,
      id: event.id,
      type: event.type,
      occurredAt: event.occurredAt,
    });
  }
}
