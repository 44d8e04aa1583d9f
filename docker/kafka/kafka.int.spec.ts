// docker/kafka/server.properties on a real Apache Kafka broker (the jars from Maven Central, see
// scripts/lib/kafka.mjs and ./test-broker.ts), and docker/kafka/create-topics.sh run for real against it.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EVENT_TOPICS } from '@zakpos/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../apps/api/src/common/net/free-port.js';
import { MAIN, runKafkaTool } from '../../scripts/lib/kafka.mjs';
import { type TestBroker, startTestBroker } from './test-broker.js';

const source = fileURLToPath(new URL('.', import.meta.url));
const TOPICS = EVENT_TOPICS.map((t) => `zakpos.${t}`).sort();

describe('Kafka broker with docker/kafka/server.properties', () => {
  let broker: TestBroker;
  let libs: string;
  let bootstrap: string;
  let external: string;

  const tool = (mainClass: string, args: string[], input?: string) =>
    runKafkaTool(libs, mainClass, args, { input, timeoutMs: 60_000 });
  const listTopics = async () => {
    const r = await tool(MAIN.topics, ['--bootstrap-server', bootstrap, '--list']);
    expect(r.status, r.stderr).toBe(0);
    return r.stdout.split('\n').filter((l) => l.length > 0);
  };

  beforeAll(async () => {
    broker = await startTestBroker();
    ({ libs, bootstrap, external } = broker);
  }, 600_000);

  afterAll(async () => {
    await broker?.close();
  }, 60_000);

  // The Compose health check, without the JVM the Kafka CLI tools start on every probe.
  it('ready.sh passes against the running broker and fails on a port where nothing answers Kafka', async () => {
    const ready = (port: string | number) =>
      spawnSync('bash', [join(source, 'ready.sh'), String(port)], { encoding: 'utf8', timeout: 20_000 });
    const up = ready(bootstrap.split(':')[1]!);
    expect(up.status, up.stderr).toBe(0);
    expect(ready(await freePort()).status).not.toBe(0);
  });

  it('create-topics.sh creates every topic with 6 partitions, and re-running it changes nothing', async () => {
    const first = await broker.createTopics();
    expect(first.code, first.out).toBe(0);
    for (const topic of TOPICS) expect(first.out).toContain(`Created topic ${topic}.`);

    const again = await broker.createTopics();
    expect(again.code, again.out).toBe(0);
    expect(again.out).not.toContain('Created topic');

    expect((await listTopics()).filter((t) => t.startsWith('zakpos.'))).toEqual(TOPICS);
    const described = await tool(MAIN.topics, ['--bootstrap-server', bootstrap, '--describe']);
    expect(described.status, described.stderr).toBe(0);
    for (const topic of TOPICS) {
      expect(described.stdout).toMatch(
        new RegExp(`Topic: ${topic.replace('.', '\\.')}\\s+TopicId: \\S+\\s+PartitionCount: 6\\s`),
      );
    }
  });

  it('does not create a topic on first use: producing to an unknown topic fails', async () => {
    const r = await tool(
      MAIN.producer,
      ['--bootstrap-server', bootstrap, '--topic', 'zakpos.typo', '--producer-property', 'max.block.ms=3000'],
      'lost\n',
    );
    expect(r.stderr).toMatch(/zakpos\.typo not present in metadata|UnknownTopicOrPartition/);
    expect(await listTopics()).not.toContain('zakpos.typo');
  });

  it('round-trips events keyed by tenant id: one partition per tenant, in order (host listener)', async () => {
    const events = ['tenant-a:a1', 'tenant-b:b1', 'tenant-a:a2', 'tenant-b:b2', 'tenant-a:a3'];
    const produced = await tool(
      MAIN.producer,
      [
        '--bootstrap-server',
        external,
        '--topic',
        'zakpos.sales',
        '--reader-property',
        'parse.key=true',
        '--reader-property',
        'key.separator=:',
      ],
      `${events.join('\n')}\n`,
    );
    expect(produced.status, produced.stderr).toBe(0);

    const consumed = await tool(MAIN.consumer, [
      '--bootstrap-server',
      bootstrap,
      '--topic',
      'zakpos.sales',
      '--group',
      'zakpos-test',
      '--from-beginning',
      '--max-messages',
      String(events.length),
      '--timeout-ms',
      '30000',
      '--formatter-property',
      'print.key=true',
      '--formatter-property',
      'print.partition=true',
      '--formatter-property',
      'key.separator=|',
    ]);
    expect(consumed.status, consumed.stderr).toBe(0);
    // lines like "Partition:3|tenant-a|a1"
    const records = consumed.stdout
      .split('\n')
      .filter((l) => l.startsWith('Partition:'))
      .map((l) => {
        const [partition, key, value] = l.split('|');
        return { partition: partition!, key: key!, value: value! };
      });
    expect(records).toHaveLength(events.length);
    for (const tenant of ['tenant-a', 'tenant-b']) {
      const mine = records.filter((r) => r.key === tenant);
      expect(new Set(mine.map((r) => r.partition)).size).toBe(1);
      expect(mine.map((r) => r.value)).toEqual(
        events.filter((e) => e.startsWith(`${tenant}:`)).map((e) => e.slice(tenant.length + 1)),
      );
    }
  });
});
