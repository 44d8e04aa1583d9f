import type { EventEnvelope } from '@zakpos/contracts';
import type { EventConsumer, EventDelivery } from './event-consumer.js';
import type { EventPublisher } from './event-publisher.js';

/** Tenants whose events one consumer applies at the same time. */
export const IN_PROCESS_TENANT_CONCURRENCY = 8;

/**
 * The embedded default's broker: the relay hands each batch to this process's consumers and marks it published
 * once every consumer applied (or parked) every event. As Kafka would with a consumer group each and the tenant
 * as key: each consumer sees a tenant's events in order, consumers go at their own pace (a socket push does not
 * wait for a low-stock check), and one tenant's events do not wait for another's. A consumer with
 * `handleBatch` gets a tenant's events of the batch at once: the next batch waits for the slowest consumer,
 * so its cost per batch, not per event, is what a socket push waits behind under load.
 */
export class InProcessPublisher implements EventPublisher {
  readonly kind = 'in-process';

  constructor(
    private readonly consumers: readonly EventConsumer[],
    private readonly delivery: EventDelivery,
  ) {}

  async publish(events: readonly EventEnvelope[]): Promise<void> {
    const byTenant = new Map<string, EventEnvelope[]>();
    for (const event of events) {
      const own = byTenant.get(event.tenantId);
      if (own) own.push(event);
      else byTenant.set(event.tenantId, [event]);
    }
    const tenants = [...byTenant.values()];
    await Promise.all(
      this.consumers.map(async (consumer) => {
        let next = 0;
        const lane = async () => {
          while (next < tenants.length) {
            await this.delivery.deliverAll(consumer, tenants[next++]!);
          }
        };
        await Promise.all(
          Array.from({ length: Math.min(IN_PROCESS_TENANT_CONCURRENCY, tenants.length) }, lane),
        );
      }),
    );
  }

  async close(): Promise<void> {}
}
