// The real Kafka broker and Redis server of the bench's event scenarios, started as the infrastructure tests
// start theirs (docker/kafka/test-broker.ts, docker/redis/test-redis.ts): with the shipped
// docker/kafka/server.properties and docker/redis/redis.conf, only ports, hosts (127.0.0.1) and data folders
// rewritten. Those helpers are TypeScript outside the API's build (apps/api/dist cannot import them), so this
// file does the same through what it can import: scripts/lib/kafka.mjs and redis-server itself.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import {
  BROKER_STARTED,
  MAIN,
  ensureKafkaLibs,
  formatStorage,
  randomClusterId,
  startBroker,
  writeToolWrapper,
} from '../../../../scripts/lib/kafka.mjs';
import { freePort } from '../common/net/free-port.js';

/** Same place from src/bench and dist/bench. */
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

export interface BenchServer {
  /** The server's own process, for its CPU time. */
  pid: number;
  close(): Promise<void>;
}

export interface BenchKafka extends BenchServer {
  /** host:port of the PLAINTEXT listener. */
  bootstrap: string;
}

export interface BenchRedis extends BenchServer {
  /** redis://:password@127.0.0.1:port */
  url: string;
}

/** Replaces `from` by `to`, insisting it occurs exactly once: a drifted shipped config fails loudly. */
export function swapOnce(text: string, from: string | RegExp, to: string): string {
  const re = typeof from === 'string' ? undefined : new RegExp(from.source, 'gm');
  const found = re ? (text.match(re)?.length ?? 0) : text.split(from as string).length - 1;
  if (found !== 1) throw new Error(`expected one ${String(from)} in the shipped config, found ${found}`);
  return re ? text.replace(re, to) : text.replace(from as string, to);
}

export interface KafkaPorts {
  plaintext: number;
  controller: number;
  external: number;
}

/** docker/kafka/server.properties with the container's ports, hosts and log folder replaced. */
export function benchServerProperties(text: string, ports: KafkaPorts, dataDir: string): string {
  let t = swapOnce(
    text,
    'controller.quorum.voters=1@localhost:9093',
    `controller.quorum.voters=1@127.0.0.1:${ports.controller}`,
  );
  t = swapOnce(
    t,
    'listeners=PLAINTEXT://:9092,CONTROLLER://:9093,EXTERNAL://:9094',
    `listeners=PLAINTEXT://127.0.0.1:${ports.plaintext},CONTROLLER://127.0.0.1:${ports.controller},EXTERNAL://127.0.0.1:${ports.external}`,
  );
  t = swapOnce(
    t,
    'advertised.listeners=PLAINTEXT://kafka:9092,EXTERNAL://localhost:54629',
    `advertised.listeners=PLAINTEXT://127.0.0.1:${ports.plaintext},EXTERNAL://127.0.0.1:${ports.external}`,
  );
  return swapOnce(t, 'log.dirs=/var/lib/kafka/data', `log.dirs=${dataDir}`);
}

/** docker/redis/redis.conf with bind, port and dir replaced (the password is given on the command line). */
export function benchRedisConf(text: string, port: number, dir: string): string {
  let t = swapOnce(text, /^bind .*$/, 'bind 127.0.0.1');
  t = swapOnce(t, /^port .*$/, `port ${port}`);
  return swapOnce(t, /^dir .*$/, `dir ${dir}`);
}

/** Children to kill synchronously if the bench exits without closing them (Ctrl-C, a crash). */
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

function stopProcess(child: ChildProcess, graceMs: number): Promise<void> {
  running.delete(child);
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * One KRaft broker in `dir` (the first run fetches Kafka's jars with Maven), with the topics of the shipped
 * docker/kafka/create-topics.sh made by that script. Its log is kept (the last 64 kB) for the error message.
 */
export async function startBenchKafka(dir: string): Promise<BenchKafka> {
  const libs = ensureKafkaLibs();
  await mkdir(dir, { recursive: true });
  const ports: KafkaPorts = {
    plaintext: await freePort(),
    controller: await freePort(),
    external: await freePort(),
  };
  const config = join(dir, 'server.properties');
  const shipped = await readFile(join(ROOT, 'docker/kafka/server.properties'), 'utf8');
  await writeFile(config, benchServerProperties(shipped, ports, join(dir, 'data')));
  await formatStorage(libs, config, randomClusterId(libs));
  const child = startBroker(libs, config);
  running.add(child);
  let log = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the broker did not start in 120 s:\n${log}`)), 120_000);
    const onData = (d: Buffer) => {
      log = (log + d.toString()).slice(-65_536);
      if (log.includes(BROKER_STARTED)) {
        clearTimeout(timer);
        resolve();
      }
    };
    // Read for as long as it runs: a full pipe would stall the broker.
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the broker exited with ${code}:\n${log.slice(-4000)}`));
    });
  });
  const bootstrap = `127.0.0.1:${ports.plaintext}`;
  const topicsTool = writeToolWrapper(libs, MAIN.topics, join(dir, 'kafka-topics.sh'));
  const topics = await runScript(join(ROOT, 'docker/kafka/create-topics.sh'), {
    KAFKA_BOOTSTRAP: bootstrap,
    KAFKA_TOPICS: topicsTool,
  });
  if (topics.code !== 0) throw new Error(`create-topics.sh exited with ${topics.code}:\n${topics.out}`);
  return { bootstrap, pid: child.pid!, close: () => stopProcess(child, 20_000) };
}

/** redis-server with the shipped redis.conf and a password, as docker/redis/start.sh runs it. */
export async function startBenchRedis(dir: string): Promise<BenchRedis> {
  await mkdir(dir, { recursive: true });
  const port = await freePort();
  const password = randomBytes(18).toString('base64url');
  const shipped = await readFile(join(ROOT, 'docker/redis/redis.conf'), 'utf8');
  await writeFile(join(dir, 'redis.conf'), benchRedisConf(shipped, port, dir));
  const child = spawn('redis-server', [join(dir, 'redis.conf'), '--requirepass', password], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-16_384)));
  child.stderr!.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-16_384)));
  const url = `redis://:${encodeURIComponent(password)}@127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`redis-server exited ${child.exitCode}:\n${output}`);
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => {});
    const ok = await client
      .connect()
      .then(() => client.ping())
      .then(
        (r) => r === 'PONG',
        () => false,
      );
    client.disconnect();
    if (ok) break;
    if (i >= 100) throw new Error(`redis-server did not answer:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, pid: child.pid!, close: () => stopProcess(child, 10_000) };
}

/** Runs `script` with these variables on top of the inherited environment; its exit code and output. */
export function runScript(
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
