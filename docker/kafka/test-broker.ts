// A real Apache Kafka broker for tests (the jars from Maven Central, scripts/lib/kafka.mjs), started with
// the shipped docker/kafka/server.properties. Only the container-specific bits are rewritten by
// benchServerProperties(): ports, hosts (127.0.0.1 only) and log.dirs. Its topics are made with the
// shipped create-topics.sh when asked. The broker can be stopped and started again on the same data and
// ports, for the fault tests.
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchServerProperties, type KafkaPorts, runScript } from '../../apps/api/src/bench/bench-servers.js';
import { freePort } from '../../apps/api/src/common/net/free-port.js';
import {
  BROKER_STARTED,
  MAIN,
  ensureKafkaLibs,
  formatStorage,
  randomClusterId,
  startBroker,
  writeToolWrapper,
} from '../../scripts/lib/kafka.mjs';

const source = fileURLToPath(new URL('.', import.meta.url));

export interface TestBroker {
  libs: string;
  dir: string;
  ports: KafkaPorts;
  /** host:port of the PLAINTEXT listener. */
  bootstrap: string;
  /** host:port of the EXTERNAL listener. */
  external: string;
  /** A kafka-topics.sh stand-in for the shipped scripts. */
  topicsTool: string;
  log(): string;
  /** Runs the shipped create-topics.sh against the broker. */
  createTopics(): Promise<{ code: number | null; out: string }>;
  /** SIGTERM (or SIGKILL), waiting for the exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again on the same data and ports, waiting until it serves. */
  start(): Promise<void>;
  /** Stops it and removes its data. */
  close(): Promise<void>;
}

/** Formats storage and starts one broker, waiting until it serves (the first run downloads ~55 MB of jars). */
export async function startTestBroker(): Promise<TestBroker> {
  const libs = ensureKafkaLibs();
  const dir = await mkdtemp(join(tmpdir(), 'zakpos-kafka-'));
  const ports: KafkaPorts = {
    plaintext: await freePort(),
    controller: await freePort(),
    external: await freePort(),
  };
  const config = join(dir, 'server.properties');
  await writeFile(
    config,
    benchServerProperties(
      await readFile(join(source, 'server.properties'), 'utf8'),
      ports,
      join(dir, 'data'),
    ),
  );
  await formatStorage(libs, config, randomClusterId(libs));
  const topicsTool = writeToolWrapper(libs, MAIN.topics, join(dir, 'kafka-topics.sh'));
  const bootstrap = `127.0.0.1:${ports.plaintext}`;

  let child: ChildProcess | undefined;
  let log = '';
  const start = async () => {
    const started = startBroker(libs, config);
    child = started;
    let seen = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`broker did not start in 90 s:\n${seen}`)), 90_000);
      const onData = (d: Buffer) => {
        log += d.toString();
        seen += d.toString();
        if (seen.includes(BROKER_STARTED)) {
          clearTimeout(timer);
          resolve();
        }
      };
      started.stdout?.on('data', onData);
      started.stderr?.on('data', onData);
      started.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`broker exited with ${code}:\n${seen.slice(-4000)}`));
      });
    });
  };
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    const running = child;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill(signal);
    const timer = setTimeout(() => running.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  };
  await start();
  return {
    libs,
    dir,
    ports,
    bootstrap,
    external: `127.0.0.1:${ports.external}`,
    topicsTool,
    log: () => log,
    createTopics: () =>
      runScript(join(source, 'create-topics.sh'), { KAFKA_BOOTSTRAP: bootstrap, KAFKA_TOPICS: topicsTool }),
    stop,
    start,
    close: async () => {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
