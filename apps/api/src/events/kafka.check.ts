import type { Kafka } from 'kafkajs';
import type { HealthCheck } from '../ops/health/health-check.js';

/**
 * The brokers answer a metadata request. Optional: with Kafka down, sales still commit their events to the
 * outbox, which the relay drains once the brokers are back.
 */
export function kafkaCheck(kafka: Kafka): HealthCheck {
  const admin = kafka.admin();
  let connected: Promise<void> | undefined;
  return {
    name: 'kafka',
    optional: true,
    async run() {
      try {
        await (connected ??= admin.connect());
        const cluster = await admin.describeCluster();
        return { ok: true, brokers: cluster.brokers.length };
      } catch (err) {
        connected = undefined;
        await admin.disconnect().catch(() => {});
        throw err;
      }
    },
  };
}
