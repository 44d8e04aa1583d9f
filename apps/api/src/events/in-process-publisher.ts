import type { EventEnvelope } from '@zakpos/contracts';
import type { EventConsumer, EventDelivery } from './event-consumer.js';
import type { EventPublisher } from './event-publisher.js';

/**
 * The embedded default's broker: the relay hands each event, in order, to this process's consumers and marks
 * it published once every consumer applied it (or parked it). Same consumers, same dedupe as with Kafka.
 */
export class InProcessPublisher implements EventPublisher {
  readonly kind = 'in-process';

  constructor(
    private readonly consumers: readonly EventConsumer[],
    private readonly delivery: EventDelivery,
  ) {}

  async publish(events: readonly EventEnvelope[]): Promise<void> {
    for (const event of events) {
      for (const consumer of this.consumers) await this.delivery.deliver(consumer, event);
    }
  }

  async close(): Promise<void> {}
}
