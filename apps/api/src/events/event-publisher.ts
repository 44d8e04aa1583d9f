import type { EventEnvelope } from '@zakpos/contracts';

/**
 * Where the outbox relay hands events: Kafka (KAFKA_BROKERS set) or this process's consumers (the embedded
 * default). `publish` resolves only once every event is durably accepted (the broker acknowledged it, or
 * every consumer applied it); the relay marks rows published only then.
 */
export interface EventPublisher {
  readonly kind: 'kafka' | 'in-process';
  publish(events: readonly EventEnvelope[]): Promise<void>;
  close(): Promise<void>;
}
