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
  private readonly wakes: (() => void)[] = [];
  private stopped = false;

  constructor(
    private readonly kafka: Kafka,
    private readonly consumers: readonly EventConsumer[],
    private readonly delivery: EventDelivery,
    private readonly log: (level: 'warn' | 'error', message: string, err?: unknown) => void,
  ) {}

  /**
   * Starts every consumer, each retrying every `retryMs` while the brokers cannot be reached (a worker started
   * before Kafka, or while it is down, joins its groups once it is back). Resolves once all have joined or on
   * stop.
   */
  async start(retryMs = 5_000): Promise<void> {
    await Promise.all(this.consumers.map((handler) => this.startOne(handler, retryMs)));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const wake of this.wakes.splice(0)) wake();
    await Promise.all(this.running.splice(0).map((c) => c.disconnect()));
  }

  private async startOne(handler: EventConsumer, retryMs: number): Promise<void> {
    while (!this.stopped) {
      const consumer = this.kafka.consumer({
        groupId: `zakpos.${handler.name}`,
        allowAutoTopicCreation: false,
        sessionTimeout: 30_000,
        heartbeatInterval: 3_000,
      });
      try {
        await consumer.connect();
        const topics = [...new Set(handler.types.map((t) => kafkaTopicOf(t)))];
        await consumer.subscribe({ topics, fromBeginning: true });
        await consumer.run({
          eachMessage: ({ topic, partition, message }) => this.apply(handler, topic, partition, message),
        });
        if (this.stopped) await consumer.disconnect();
        else this.running.push(consumer);
        return;
      } catch (err) {
        this.log('warn', `${handler.name}: could not join its Kafka group; retrying in ${retryMs} ms`, err);
        await consumer.disconnect().catch(() => {});
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, retryMs);
          this.wakes.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    }
  }

  private async apply(
    handler: EventConsumer,
    topic: string,
    partition: number,
    message: { value: Buffer | null; offset: string },
  ): Promise<void> {
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
  }
}
