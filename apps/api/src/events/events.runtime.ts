import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { LookupCacheConsumer } from '../catalog/lookup-cache.consumer.js';
import { ENV, type Env } from '../config/env.js';
import { PROCESS_ROLE, type ProcessRole } from '../config/process-role.js';
import { LowStockConsumer } from '../inventory/low-stock.consumer.js';
import { HealthService } from '../ops/health/health.service.js';
import { MetricsService } from '../ops/metrics/metrics.service.js';
import { RealtimeConsumer } from '../realtime/realtime.consumer.js';
import { EventDelivery, type EventConsumer } from './event-consumer.js';
import type { EventPublisher } from './event-publisher.js';
import { InProcessPublisher } from './in-process-publisher.js';
import { kafkaClient } from './kafka-client.js';
import { kafkaCheck } from './kafka.check.js';
import { KafkaConsumers } from './kafka-consumers.js';
import { KafkaPublisher } from './kafka-publisher.js';
import { OutboxRelay } from './outbox-relay.js';

/**
 * The outbox relay and the event consumers of this process. With KAFKA_BROKERS the relay publishes to Kafka
 * and the consumers read their groups there; without it (the embedded default) the relay hands events to
 * the same consumers in this process. Started once the app is up, stopped before the database closes.
 */
@Injectable()
export class EventsRuntime implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Events');
  private relay: OutboxRelay | undefined;
  private publisher: EventPublisher | undefined;
  private consumers: KafkaConsumers | undefined;

  constructor(
    @Inject(ENV) private readonly env: Env,
    @Inject(PROCESS_ROLE) private readonly role: ProcessRole,
    @Inject(MetricsService) private readonly metrics: MetricsService,
    @Inject(HealthService) private readonly health: HealthService,
    @Inject(LowStockConsumer) private readonly lowStock: LowStockConsumer,
    @Inject(LookupCacheConsumer) private readonly lookupCache: LookupCacheConsumer,
    @Inject(RealtimeConsumer) private readonly realtime: RealtimeConsumer,
  ) {}

  get enabled(): boolean {
    return this.role === 'worker' || this.env.EVENTS_RUN_IN === 'api';
  }

  /** The relay, while this process runs one. */
  get outboxRelay(): OutboxRelay | undefined {
    return this.relay;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.enabled) return;
    const log = (level: 'info' | 'warn' | 'error', message: string, err?: unknown) => {
      const detail = err instanceof Error ? `: ${err.message}` : '';
      if (level === 'info') this.logger.log(message);
      else if (level === 'warn') this.logger.warn(message + detail);
      else this.logger.error(message + detail);
    };
    const consumers: EventConsumer[] = [this.lowStock, this.lookupCache, this.realtime];
    const delivery = new EventDelivery(log, this.metrics.registry);
    const brokers = this.env.KAFKA_BROKERS;
    if (brokers) {
      const kafka = kafkaClient(brokers, `zakpos-${this.role}`, (line) => this.logger.warn(line));
      this.health.register(kafkaCheck(kafka));
      this.publisher = new KafkaPublisher(kafka);
      this.consumers = new KafkaConsumers(kafka, consumers, delivery, log);
      // Consumers join their groups in the background: a broker that is down must not hold the start up.
      this.consumers.start().catch((err: unknown) => log('error', 'event consumers did not start', err));
    } else {
      this.publisher = new InProcessPublisher(consumers, delivery);
    }
    this.relay = new OutboxRelay(
      {
        connectionString: this.env.DATABASE_URL,
        batchSize: this.env.OUTBOX_BATCH_SIZE,
        pollMs: this.env.OUTBOX_POLL_MS,
        log,
        registry: this.metrics.registry,
      },
      this.publisher,
    );
    this.relay.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.relay?.stop();
    await this.consumers?.stop();
    await this.publisher?.close();
  }
}
