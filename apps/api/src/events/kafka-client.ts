import { Kafka, logLevel } from 'kafkajs';

/**
 * The KafkaJS client of this process. KafkaJS is pure JavaScript; @confluentinc/kafka-javascript (the other
 * maintained choice) needs librdkafka binaries fetched from GitHub at install or a native build, neither of
 * which works on a machine that reaches only the npm registry. KafkaJS speaks the protocol versions
 * Kafka 4 kept (checked by the relay tests against the 4.x broker of docker/kafka).
 */
export function kafkaClient(
  brokers: readonly string[],
  clientId: string,
  log: (line: string) => void,
): Kafka {
  return new Kafka({
    clientId,
    brokers: [...brokers],
    connectionTimeout: 3_000,
    requestTimeout: 10_000,
    retry: { initialRetryTime: 200, retries: 5, maxRetryTime: 5_000 },
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ level, log: entry }) => {
        if (level <= logLevel.WARN) log(`kafka: ${entry.message}`);
      },
  });
}
