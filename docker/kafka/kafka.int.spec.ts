// docker/kafka/server.properties on a real Apache Kafka broker (the jars from Maven Central, see
// scripts/lib/kafka.mjs), and docker/kafka/create-topics.sh run for real against it. Only the
// container-specific bits of the config are rewritten by render(): ports, advertised host, log.dirs.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../apps/api/src/common/net/free-port.js';
import {
  BROKER_STARTED,
  MAIN,
  ensureKafkaLibs,
  formatStorage,
  randomClusterId,
  runKafkaTool,
  startBroker,
  writeToolWrapper,
} from '../../scripts/lib/kafka.mjs';
import { swap } from '../config-text.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const source = join(root, 'docker/kafka');
const TOPICS = ['zakpos.cart', 'zakpos.catalog', 'zakpos.sale', 'zakpos.stock'];

interface Ports {
  plaintext: number;
  controller: number;
  external: number;
}

/** The shipped config with ports, hosts (127.0.0.1 only) and the data directory replaced. */
function render(text: string, ports: Ports, dataDir: string): string {
  let t = text;
  t = swap(
    t,
    'controller.quorum.voters=1@localhost:9093',
    `controller.quorum.voters=1@127.0.0.1:${ports.controller}`,
  );
  t = swap(
    t,
    'listeners=PLAINTEXT://:9092,CONTROLLER://:9093,EXTERNAL://:9094',
    `listeners=PLAINTEXT://127.0.0.1:${ports.plaintext},CONTROLLER://127.0.0.1:${ports.controller},EXTERNAL://127.0.0.1:${ports.external}`,
  );
  t = swap(
    t,
    'advertised.listeners=PLAINTEXT://kafka:9092,EXTERNAL://localhost:54629',
    `advertised.listeners=PLAINTEXT://127.0.0.1:${ports.plaintext},EXTERNAL://127.0.0.1:${ports.external}`,
  );
  t = swap(t, 'log.dirs=/var/lib/kafka/data', `log.dirs=${dataDir}`);
  return t;
}

/** Runs `script` with extra environment variables (on top of the inherited ones); exit code and output. */
function runScript(
  script: string,
  vars: Record<string, string>,
): Promise<{ code: number | null; out: string }> {
  const assignments = Object.entries(vars).map(([k, v]) => `${k}=${v}`);
  return new Promise((resolve, reject) => {
    const child = spawn('env', [...assignments, script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}

describe('Kafka broker with docker/kafka/server.properties', () => {
  let dir: string;
  let libs: string;
  let broker: ChildProcess | undefined;
  let brokerLog = '';
  let bootstrap: string;
  let external: string;
  let topicsWrapper: string;

  const tool = (mainClass: string, args: string[], input?: string) =>
    runKafkaTool(libs, mainClass, args, { input, timeoutMs: 60_000 });
  const listTopics = async () => {
    const r = await tool(MAIN.topics, ['--bootstrap-server', bootstrap, '--list']);
    expect(r.status, r.stderr).toBe(0);
    return r.stdout.split('\n').filter((l) => l.length > 0);
  };

  beforeAll(async () => {
    // The first run downloads the jars (~55 MB) from Maven Central.
    libs = ensureKafkaLibs();
    dir = await mkdtemp(join(tmpdir(), 'zakpos-kafka-'));
    const ports: Ports = {
      plaintext: await freePort(),
      controller: await freePort(),
      external: await freePort(),
    };
    bootstrap = `127.0.0.1:${ports.plaintext}`;
    external = `127.0.0.1:${ports.external}`;
    const config = join(dir, 'server.properties');
    await writeFile(
      config,
      render(await readFile(join(source, 'server.properties'), 'utf8'), ports, join(dir, 'data')),
    );
    await formatStorage(libs, config, randomClusterId(libs));
    topicsWrapper = writeToolWrapper(libs, MAIN.topics, join(dir, 'kafka-topics.sh'));

    const child = startBroker(libs, config);
    broker = child;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`broker did not start in 90 s:\n${brokerLog}`)),
        90_000,
      );
      const onData = (d: Buffer) => {
        brokerLog += d.toString();
        if (brokerLog.includes(BROKER_STARTED)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`broker exited with ${code}:\n${brokerLog.slice(-4000)}`));
      });
    });
  }, 600_000);

  afterAll(async () => {
    if (broker && broker.exitCode === null) {
      const exited = new Promise((resolve) => broker!.once('exit', resolve));
      broker.kill('SIGTERM');
      const timer = setTimeout(() => broker!.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    }
    if (dir) await rm(dir, { recursive: true, force: true });
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
    const vars = { KAFKA_BOOTSTRAP: bootstrap, KAFKA_TOPICS: topicsWrapper };
    const first = await runScript(join(source, 'create-topics.sh'), vars);
    expect(first.code, first.out).toBe(0);
    for (const topic of TOPICS) expect(first.out).toContain(`Created topic ${topic}.`);

    const again = await runScript(join(source, 'create-topics.sh'), vars);
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
        'zakpos.sale',
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
      'zakpos.sale',
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
