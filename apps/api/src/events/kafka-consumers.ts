import { EVENT_TYPE_TOPICS, eventEnvelopeSchema, kafkaTopicOf } from '@zakpos/contracts';
import type { Consumer, Kafka } from 'kafkajs';
import type { EventConsumer, EventDelivery } from './event-consumer.js';

/**
 * Each consumer reads its topics in its own Kafka consumer group (`zakpos.<name>`), so replicas of a
 * process share the partitions and every event reaches each consumer once per group. An offset is
 * committed only after the consumer applied (or parked) the message; a crash in between redelivers it, and
 * the consumer's dedupe makes that harmless. A message that is not a valid envelope is logged and skipped.
 */
export class KafkaConsumers {
  private readonly running: Consumer[] = [];

  constructor(
    private readonly kafka: Kafka,
    private readonly consumers: readonly EventConsumer[],
    private readonly delivery: EventDelivery,
    private readonly log: (level: 'warn' | 'error', message: string, err?: unknown) => void,
  ) {}

  async start(): Promise<void> {
    for (const handler of this.consumers) {
      const consumer = this.kafka.consumer({
        groupId: `zakpos.${handler.name}`,
        allowAutoTopicCreation: false,
        sessionTimeout: 30_000,
        heartbeatInterval: 3_000,
      });
      this.running.push(consumer);
      await consumer.connect();
      const topics = [...new Set(handler.types.map((t) => kafkaTopicOf(t)))];
      await consumer.subscribe({ topics, fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ topic, partition, message }) => {
          let value: unknown;
          try {
            value = JSON.parse(message.value?.toString('utf8') ?? '');
          } catch {
            value = undefined;
          }
          const parsed = eventEnvelopeSchema.safeParse(value);
          if (!parsed.success || !(parsed.data.type in EVENT_TYPE_TOPICS)) {
            this.log(
              'error',
              `${handler.name}: skipped a message that is not an event envelope (${topic}/${partition}@${message.offset})`,
            );
            return;
          }
          await this.delivery.deliver(handler, parsed.data);
        },
      });
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.running.splice(0).map((c) => c.disconnect()));
  }
}
