// Apache Kafka from its jars on Maven Central, for the tests that run docker/kafka/server.properties on a
// real broker (no Docker here). The broker, its runtime dependencies and the CLI tools are fetched once
// with Maven into a cache outside the work tree and run with `java -cp "<libs>/*" <main class>`.
// Needs Java 17+ and Maven (both in scripts/lib/system-deps.mjs).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { clearTimeout, setTimeout } from 'node:timers';
import { cacheDir, moveIntoPlace } from './cache.mjs';

// The newest 4.x whose artifacts are all on the Maven Central mirror reachable here (4.4.0 lacks
// kafka-tools); keep it equal to the apache/kafka image tag in the compose files.
export const KAFKA_VERSION = '4.3.1';
// kafka-clients logs through slf4j 1.7: a binding of the same line, so the broker's log reaches stderr.
const SLF4J_VERSION = '1.7.36';

export const MAIN = {
  broker: 'kafka.Kafka',
  storage: 'kafka.tools.StorageTool',
  topics: 'org.apache.kafka.tools.TopicCommand',
  producer: 'org.apache.kafka.tools.ConsoleProducer',
  consumer: 'org.apache.kafka.tools.consumer.ConsoleConsumer',
};

export function kafkaLibsDir(version = KAFKA_VERSION) {
  return join(cacheDir(), `kafka-${version}`, 'libs');
}

function pom(version) {
  const dep = (g, a, v) =>
    `<dependency><groupId>${g}</groupId><artifactId>${a}</artifactId><version>${v}</version></dependency>`;
  return `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>zakpos</groupId><artifactId>kafka-libs</artifactId><version>1</version><packaging>pom</packaging>
  <dependencies>
    ${dep('org.apache.kafka', 'kafka_2.13', version)}
    ${dep('org.apache.kafka', 'kafka-tools', version)}
    ${dep('org.slf4j', 'slf4j-simple', SLF4J_VERSION)}
  </dependencies>
</project>
`;
}

/** The directory holding Kafka's jars, downloaded from Maven Central on first use. */
export function ensureKafkaLibs(version = KAFKA_VERSION) {
  const libs = kafkaLibsDir(version);
  const marker = join(libs, '.complete');
  if (existsSync(marker)) return libs;
  console.log(`› fetching Apache Kafka ${version} jars from Maven Central into ${libs}`);
  const work = mkdtempSync(join(tmpdir(), 'zakpos-kafka-pom-'));
  try {
    writeFileSync(join(work, 'pom.xml'), pom(version));
    const staging = join(work, 'libs');
    const result = spawnSync(
      'mvn',
      ['-q', '-B', 'dependency:copy-dependencies', `-DoutputDirectory=${staging}`, '-DincludeScope=runtime'],
      { cwd: work, stdio: 'inherit' },
    );
    if (result.error) throw result.error;
    if (result.status !== 0) throw new Error(`mvn dependency:copy-dependencies exited with ${result.status}`);
    writeFileSync(join(staging, '.complete'), `${version}\n`);
    mkdirSync(dirname(libs), { recursive: true });
    // A libs folder without the marker is incomplete: replaced. A complete one (a parallel fetch) is kept.
    if (!existsSync(marker)) rmSync(libs, { recursive: true, force: true });
    moveIntoPlace(staging, libs, marker);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return libs;
}

/** `java` arguments that run `mainClass` from the Kafka jars. Small heap, fast start: tests and tools. */
export function javaArgs(libs, mainClass, args, { heap = '256m', logLevel = 'warn' } = {}) {
  return [
    `-Xmx${heap}`,
    '-XX:+UseSerialGC',
    '-XX:TieredStopAtLevel=1',
    `-Dorg.slf4j.simpleLogger.defaultLogLevel=${logLevel}`,
    '-cp',
    `${libs}/*`,
    mainClass,
    ...args,
  ];
}

/** Runs a Kafka tool to completion; returns { status, stdout, stderr }. */
export function runKafkaTool(libs, mainClass, args, { input, timeoutMs = 120_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn('java', javaArgs(libs, mainClass, args), { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status: status ?? (signal ? `killed by ${signal}` : null), stdout, stderr });
    });
    child.stdin.end(input ?? '');
  });
}

/** Formats a KRaft log directory for `configPath` (once, before the first start). */
export async function formatStorage(libs, configPath, clusterId) {
  const r = await runKafkaTool(libs, MAIN.storage, ['format', '-t', clusterId, '-c', configPath]);
  if (r.status !== 0) throw new Error(`kafka storage format failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r;
}

/** A new random cluster id, from Kafka's own generator. */
export function randomClusterId(libs) {
  const r = spawnSync('java', javaArgs(libs, MAIN.storage, ['random-uuid']), { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`kafka random-uuid failed: ${r.stderr}`);
  return r.stdout.trim();
}

/**
 * Starts a broker on `configPath`; the caller stops it. It logs at info level to stderr, where
 * BROKER_STARTED appears once it serves.
 */
export function startBroker(libs, configPath, { stdio = 'pipe', heap = '512m' } = {}) {
  return spawn('java', javaArgs(libs, MAIN.broker, [configPath], { heap, logLevel: 'info' }), { stdio });
}

export const BROKER_STARTED = 'Kafka Server started';

/** Writes an executable shell wrapper that runs `mainClass` like Kafka's bin/*.sh scripts do. */
export function writeToolWrapper(libs, mainClass, path) {
  const quoted = javaArgs(libs, mainClass, []).map((a) => `'${a.replaceAll("'", `'\\''`)}'`);
  writeFileSync(path, `#!/bin/sh\nexec java ${quoted.join(' ')} "$@"\n`, { mode: 0o755 });
  return path;
}
