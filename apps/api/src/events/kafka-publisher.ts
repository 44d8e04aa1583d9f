import { type EventEnvelope, kafkaTopicOf } from '@zakpos/contracts';
import { type Kafka, Partitioners, type Producer } from 'kafkajs';
import type { EventPublisher } from './event-publisher.js';

/**
 * Publishes envelopes to their aggregate's topic, keyed by tenant id (so a tenant's events share one
 * partition and keep their order). The producer is idempotent (acks from all in-sync replicas, one request
 * in flight), so a retry after a lost acknowledgement does not write the event twice; a relay that dies
 * before marking rows published sends them again, and consumers dedupe by event id.
 */
export class KafkaPublisher implements EventPublisher {
  readonly kind = 'kafka';
  private readonly producer: Producer;
  private connected: Promise<void> | undefined;

  constructor(kafka: Kafka) {
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      // The Java client's murmur2 partitioning: a tenant lands on the same partition from any client.
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  }

  async publish(events: readonly EventEnvelope[]): Promise<void> {
    if (events.length === 0) return;
    await this.connect();
    const byTopic = new Map<string, { key: string; value: string; headers: Record<string, string> }[]>();
    for (const e of events) {
      const topic = kafkaTopicOf(e.type);
      const messages = byTopic.get(topic) ?? [];
      messages.push({
        key: e.tenantId,
        value: JSON.stringify(e),
        headers: { 'event-id': e.id, 'event-type': e.type },
      });
      byTopic.set(topic, messages);
    }
    await this.producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
    });
  }

  async close(): Promise<void> {
    if (this.connected) await this.producer.disconnect();
  }

  private connect(): Promise<void> {
    this.connected ??= this.producer.connect().catch((err: unknown) => {
      this.connected = undefined;
      throw err;
    });
    return this.connected;
  }
}
