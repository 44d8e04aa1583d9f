// The bench's event scenarios (issue 12 §6), after the catalog and checkout ones: what Kafka and Redis cost
// and give. A real broker and Redis server (bench-servers.ts) beside the embedded PostgreSQL; the API is
// started fresh for each configuration (the embedded default, then with KAFKA_BROKERS and REDIS_URL), one at
// a time, as each runs the outbox relay and only one relay leads (its lease):
// - checkout-kafka: the checkout registers on each configuration, CPU per sale of every process;
// - realtime: sale commit to a Socket.IO client hearing `sale.completed`, at 16 registers;
// - barcode-cache: barcode lookups without and with the Redis cache;
// - relay: the outbox relay's events/s to Kafka and to the in-process publisher (events-bench.ts).
import { randomInt } from 'node:crypto';
import { join } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { loadEnv } from '../config/env.js';
import { barcodeOf } from './bench-data.js';
import { metricSum, microsPer } from './bench-metrics.js';
import { type BenchKafka, type BenchRedis, startBenchKafka, startBenchRedis } from './bench-servers.js';
import { driveRegisters, type RegisterRun } from './checkout-bench.js';
import type { CheckoutBenchSetup } from './checkout-seed.js';
import { ownCpuMs, postgresCpuMs, processCpuMs } from './cpu.js';
import { type RelayRun, runRelayBench } from './events-bench.js';
import { type RealtimeRun, runRealtime } from './realtime-bench.js';

type Result = Awaited<ReturnType<typeof autocannon>>;

export const INFRA_SCENARIOS = ['checkout-kafka', 'realtime', 'barcode-cache', 'relay'] as const;

export interface InfraApi {
  base: string;
  pid: number;
  stop(): Promise<void>;
}

export interface InfraBench {
  scenarios: ReadonlySet<string>;
  dir: string;
  ownerUrl: string;
  appUrl: string;
  pmPid: number;
  /** The checkout's registers and products (checkout-kafka and realtime need them). */
  setup?: CheckoutBenchSetup;
  registerCounts: number[];
  realtimeRegisters: number;
  products: number;
  connections: number;
  warmup: number;
  duration: number;
  hotBarcodes: number;
  relayEvents: number;
  relayTenants: number;
  /** Starts the built API on the bench database with these variables on top of the bench's own, until healthy. */
  startApi(env: Record<string, string>): Promise<InfraApi>;
  logIn(base: string): Promise<string>;
  log(line: string): void;
}

/** CPU µs per sale (user + system, from /proc), warm-up included; undefined: not part of the configuration. */
export interface SaleCpu {
  api: number;
  postgres: number;
  kafka?: number;
  redis?: number;
  load: number;
}

export interface InfraResults {
  configs: string[];
  checkout: { config: string; registers: number; run: RegisterRun; cpu: SaleCpu }[];
  realtime: { config: string; registers: number; run: RealtimeRun }[];
  barcode: {
    config: string;
    draw: string;
    result: Result;
    cache?: { hit: number; miss: number; error: number };
  }[];
  relay: RelayRun[];
  relaySettings: { batchSize: number; pollMs: number; tenants: number };
}

interface Config {
  name: string;
  env: Record<string, string>;
  kafka?: BenchKafka;
  redis?: BenchRedis;
}

/** Runs the selected event scenarios; undefined when none is selected. No other API may be running. */
export async function runInfraBench(o: InfraBench): Promise<InfraResults | undefined> {
  const on = (s: (typeof INFRA_SCENARIOS)[number]) => o.scenarios.has(s);
  if (!INFRA_SCENARIOS.some(on)) return undefined;
  if ((on('checkout-kafka') || on('realtime')) && !o.setup)
    throw new Error('event scenarios: no checkout setup');
  // The API's own relay settings (its env defaults).
  const env = loadEnv({}, { DATABASE_URL: o.appUrl, JWT_SECRET: 'x'.repeat(32) });
  const results: InfraResults = {
    configs: [],
    checkout: [],
    realtime: [],
    barcode: [],
    relay: [],
    relaySettings: { batchSize: env.OUTBOX_BATCH_SIZE, pollMs: env.OUTBOX_POLL_MS, tenants: o.relayTenants },
  };
  let kafka: BenchKafka | undefined;
  let redis: BenchRedis | undefined;
  try {
    if (on('checkout-kafka') || on('realtime') || on('relay')) {
      o.log('starting a Kafka broker (docker/kafka/server.properties) and its topics (create-topics.sh)');
      const t = performance.now();
      kafka = await startBenchKafka(join(o.dir, 'kafka'));
      o.log(`Kafka serving on ${kafka.bootstrap} after ${((performance.now() - t) / 1000).toFixed(1)} s`);
    }
    if (on('checkout-kafka') || on('realtime') || on('barcode-cache')) {
      redis = await startBenchRedis(join(o.dir, 'redis'));
      o.log('Redis serving (docker/redis/redis.conf)');
    }
    const extra: Config = {
      name: on('checkout-kafka') || on('realtime') ? 'Kafka + Redis' : 'Redis',
      env: {},
      ...(redis ? { redis } : {}),
    };
    if (extra.name !== 'Redis' && kafka) {
      extra.kafka = kafka;
      extra.env.KAFKA_BROKERS = kafka.bootstrap;
    }
    if (redis) extra.env.REDIS_URL = redis.url;
    if (on('checkout-kafka') || on('realtime') || on('barcode-cache')) {
      for (const config of [{ name: 'embedded', env: {} }, extra]) {
        results.configs.push(config.name);
        await runConfig(o, config, results);
      }
    }
    if (on('relay')) {
      results.relay = await runRelayBench({
        ownerUrl: o.ownerUrl,
        appUrl: o.appUrl,
        pmPid: o.pmPid,
        ...(kafka ? { kafka: { bootstrap: kafka.bootstrap, pid: kafka.pid } } : {}),
        events: o.relayEvents,
        tenants: o.relayTenants,
        batchSize: env.OUTBOX_BATCH_SIZE,
        pollMs: env.OUTBOX_POLL_MS,
        log: o.log,
      });
    }
  } finally {
    await redis?.close();
    await kafka?.close();
  }
  return results;
}

async function runConfig(o: InfraBench, config: Config, results: InfraResults): Promise<void> {
  o.log(
    `${config.name}: starting the API${Object.keys(config.env).length ? ` with ${Object.keys(config.env).join(', ')}` : ''}`,
  );
  const api = await o.startApi(config.env);
  const watcher = new pg.Client({ connectionString: o.appUrl, application_name: 'zakpos-bench-watch' });
  await watcher.connect();
  try {
    await untilRelayDrained(api.base, watcher);
    const token = await o.logIn(api.base);
    const headers = { authorization: `Bearer ${token}` };
    if (o.scenarios.has('checkout-kafka')) {
      for (const registers of o.registerCounts) {
        await untilRelayDrained(api.base, watcher);
        o.log(
          `checkout-kafka (${config.name}): ${registers} registers, ${o.warmup} s warm-up, then ${o.duration} s`,
        );
        const cpuNow = () => ({
          api: processCpuMs(api.pid),
          postgres: postgresCpuMs(o.pmPid),
          kafka: config.kafka ? processCpuMs(config.kafka.pid) : 0,
          redis: config.redis ? processCpuMs(config.redis.pid) : 0,
          load: ownCpuMs(),
        });
        const before = cpuNow();
        const run = await driveRegisters(
          api.base,
          headers,
          o.setup!,
          o.setup!.registerIds.slice(0, registers),
          o.warmup,
          o.duration,
        );
        const after = cpuNow();
        const per = (k: keyof typeof before) => microsPer(after[k] - before[k], run.all);
        results.checkout.push({
          config: config.name,
          registers,
          run,
          cpu: {
            api: per('api'),
            postgres: per('postgres'),
            ...(config.kafka ? { kafka: per('kafka') } : {}),
            ...(config.redis ? { redis: per('redis') } : {}),
            load: per('load'),
          },
        });
      }
    }
    if (o.scenarios.has('realtime')) {
      await untilRelayDrained(api.base, watcher);
      const registers = o.realtimeRegisters;
      o.log(
        `realtime (${config.name}): ${registers} registers and a socket in the store, ${o.warmup} s warm-up, then ${o.duration} s`,
      );
      // A token of its own: the first may be close to its expiry by now.
      const fresh = await o.logIn(api.base);
      const run = await runRealtime({
        base: api.base,
        headers: { authorization: `Bearer ${fresh}` },
        token: fresh,
        setup: o.setup!,
        registers: o.setup!.registerIds.slice(0, registers),
        warmup: o.warmup,
        duration: o.duration,
      });
      results.realtime.push({ config: config.name, registers, run });
    }
    if (o.scenarios.has('barcode-cache')) {
      const hot = new Set<string>();
      while (hot.size < Math.min(o.hotBarcodes, o.products)) hot.add(barcodeOf(randomInt(1, o.products + 1)));
      const hotCodes = [...hot];
      const draws: [string, () => string][] = [
        [`any of ${o.products.toLocaleString('en')}`, () => barcodeOf(randomInt(1, o.products + 1))],
        [
          `${hotCodes.length.toLocaleString('en')} hot, cached first`,
          () => hotCodes[randomInt(hotCodes.length)]!,
        ],
      ];
      for (const [draw, next] of draws) {
        await untilRelayDrained(api.base, watcher);
        // The hot codes each looked up once first (in both configurations): with Redis, they are cached.
        if (draw.includes('hot')) {
          for (const code of hotCodes) {
            const res = await fetch(`${api.base}/barcodes/${code}`, { headers });
            await res.arrayBuffer();
            if (!res.ok) throw new Error(`barcode-cache: GET /barcodes/${code} answered ${res.status}`);
          }
        }
        o.log(
          `barcode-cache (${config.name}, ${draw}): ${o.warmup} s warm-up, then ${o.duration} s at ${o.connections} connections`,
        );
        const load = (duration: number) =>
          autocannon({
            url: api.base,
            connections: o.connections,
            duration,
            headers,
            requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: `/barcodes/${next()}` }) }],
          });
        if (o.warmup > 0) await load(o.warmup);
        const counts = async () => {
          const text = await (await fetch(`${api.base}/metrics`)).text();
          const of = (result: string) => metricSum(text, 'zakpos_lookup_cache_total', { result });
          return { hit: of('hit'), miss: of('miss'), error: of('error') };
        };
        const before = await counts();
        const result = await load(o.duration);
        const after = await counts();
        results.barcode.push({
          config: config.name,
          draw,
          result,
          ...(config.redis
            ? {
                cache: {
                  hit: after.hit - before.hit,
                  miss: after.miss - before.miss,
                  error: after.error - before.error,
                },
              }
            : {}),
        });
      }
    }
  } finally {
    await watcher.end();
    o.log(`${config.name}: stopping the API`);
    await api.stop();
  }
}

/** Until this API's relay leads (the previous API's lease died with it) and the outbox backlog is 0. */
async function untilRelayDrained(base: string, watcher: pg.Client): Promise<void> {
  const deadline = performance.now() + 120_000;
  for (;;) {
    const leading =
      metricSum(await (await fetch(`${base}/metrics`)).text(), 'zakpos_outbox_relay_leader') === 1;
    const { rows } = await watcher.query<{ pending: string }>('select pending from app_outbox_backlog()');
    if (leading && Number(rows[0]!.pending) === 0) return;
    if (performance.now() > deadline)
      throw new Error(`the API's relay did not ${leading ? 'drain the backlog' : 'take the lease'} in 120 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** True when a run failed: a failed sale, a lost event, a non-2xx lookup, a relay error or a short count. */
export function infraFailed(r: InfraResults): boolean {
  return (
    r.checkout.some((c) => c.run.failed > 0) ||
    r.realtime.some((c) => c.run.registers.failed > 0 || c.run.latency.missing > 0) ||
    r.barcode.some((b) => b.result.non2xx > 0 || b.result.errors > 0 || (b.cache?.error ?? 0) > 0) ||
    r.relay.some((x) => x.errors > 0 || x.published < x.events || (x.onTopics ?? x.events) < x.events)
  );
}

type Table = (rows: Record<string, string | number>[]) => void;

export function printInfra(r: InfraResults, printTable: Table): void {
  if (r.checkout.length) {
    console.log(
      `\nCheckout with Kafka and Redis configured, next to the embedded default: the same sales, registers and ` +
        `database, each configuration its own API process started fresh (${r.configs.join(', then ')}). ` +
        "The checkout's targets: ≥ 200 sales/s and p99 < 50 ms at 16 registers:",
    );
    printTable(
      r.checkout.map((c) => {
        const embedded = r.checkout.find((e) => e.config === 'embedded' && e.registers === c.registers);
        const at16 = c.registers === 16;
        return {
          registers: c.registers,
          configuration: c.config,
          'sales/s': Math.round(c.run.tps),
          'p50 ms': c.run.p50Ms.toFixed(1),
          'p99 ms': c.run.p99Ms.toFixed(1),
          failed: c.run.failed,
          '÷ embedded': embedded && embedded !== c ? (c.run.tps / embedded.run.tps).toFixed(2) : '-',
          '≥ 200/s': at16 ? (c.run.tps >= 200 ? 'PASS' : 'MISS') : '-',
          'p99 < 50': at16 ? (c.run.p99Ms < 50 ? 'PASS' : 'MISS') : '-',
        };
      }),
    );
    console.log(
      '\nCPU per sale (µs, user + system, from /proc, warm-up included): the API, the whole PostgreSQL server, ' +
        'the Kafka broker, redis-server and the load generator (this process):',
    );
    printTable(
      r.checkout.map((c) => ({
        registers: c.registers,
        configuration: c.config,
        'API µs': c.cpu.api,
        'PostgreSQL µs': c.cpu.postgres,
        'Kafka µs': c.cpu.kafka ?? '-',
        'Redis µs': c.cpu.redis ?? '-',
        'load µs': c.cpu.load,
        'total µs': c.cpu.api + c.cpu.postgres + (c.cpu.kafka ?? 0) + (c.cpu.redis ?? 0) + c.cpu.load,
      })),
    );
    for (const c of r.checkout)
      for (const [failure, n] of Object.entries(c.run.failures))
        console.log(`  ${c.config}, ${c.registers} registers: ${n} × ${failure}`);
  }

  if (r.realtime.length) {
    console.log(
      '\nSale commit to a Socket.IO client hearing its sale.completed (one client in the store, websocket, the ' +
        "bench user's token), registers selling as in the checkout. The commit is not visible from outside: " +
        'it happens after the request is sent and before its 201 returns, so the latency from commit lies ' +
        'between "after 201" (a lower bound) and "after send" (an upper bound). Same clock (this process):',
    );
    printTable(
      r.realtime.map((x) => ({
        registers: x.registers,
        configuration: x.config,
        'sales/s': Math.round(x.run.registers.tps),
        sales: x.run.registers.sales,
        heard: x.run.latency.heard,
        missing: x.run.latency.missing,
        'after 201 p50 ms': x.run.latency.fromAnswer.p50Ms.toFixed(1),
        'after 201 p99 ms': x.run.latency.fromAnswer.p99Ms.toFixed(1),
        'after 201 max ms': x.run.latency.fromAnswer.maxMs.toFixed(1),
        'after send p50 ms': x.run.latency.fromSend.p50Ms.toFixed(1),
        'after send p99 ms': x.run.latency.fromSend.p99Ms.toFixed(1),
        'sale p99 ms': x.run.registers.p99Ms.toFixed(1),
      })),
    );
  }

  if (r.barcode.length) {
    console.log(
      '\nBarcode lookup without and with the Redis cache (exact barcodes are cached for 5 min), autocannon; cache ' +
        'hits from zakpos_lookup_cache_total over the measured run (a hit still checks the session in PostgreSQL, ' +
        "in one round trip; a miss also pays the Redis read and write). The barcode lookup's target: p99 < 10 ms:",
    );
    printTable(
      r.barcode.map((b) => {
        const base = r.barcode.find((x) => x.config === 'embedded' && x.draw === b.draw);
        const cached = b.cache ? b.cache.hit + b.cache.miss + b.cache.error : 0;
        return {
          draw: b.draw,
          configuration: b.config,
          'req/s': Math.round(b.result.requests.average),
          'p50 ms': b.result.latency.p50,
          'p99 ms': b.result.latency.p99,
          'p99 < 10':
            b.result.non2xx || b.result.errors ? 'ERRORS' : b.result.latency.p99 < 10 ? 'PASS' : 'MISS',
          'cache hits': b.cache ? `${cached ? ((b.cache.hit / cached) * 100).toFixed(1) : '0.0'} %` : '-',
          'speed-up':
            base && base !== b
              ? `${(b.result.requests.average / base.result.requests.average).toFixed(2)} ×`
              : '-',
          'p99 ÷ embedded':
            base && base !== b && base.result.latency.p99
              ? (b.result.latency.p99 / base.result.latency.p99).toFixed(2)
              : '-',
          requests: b.result.requests.total,
          'non-2xx': b.result.non2xx,
          errors: b.result.errors + b.result.timeouts,
        };
      }),
    );
  }

  if (r.relay.length) {
    const s = r.relaySettings;
    console.log(
      `\nOutbox relay: committed events (a sale.completed and a 3-line stock.changed per sale) across ${s.tenants} ` +
        `tenants, the API's OutboxRelay (batches of ${s.batchSize}, poll ${s.pollMs} ms) run in this process, timed ` +
        'from its start to an empty backlog; CPU µs per event of this process (relay and publisher), PostgreSQL ' +
        'and the broker:',
    );
    printTable(
      r.relay.map((x) => ({
        publisher: x.publisher,
        events: x.events,
        seconds: (x.ms / 1000).toFixed(2),
        'events/s': Math.round(x.eventsPerSecond),
        published: x.published,
        'on the topics': x.onTopics ?? '-',
        errors: x.errors,
        'relay µs': x.cpu.relay,
        'PostgreSQL µs': x.cpu.postgres,
        'Kafka µs': x.cpu.kafka ?? '-',
      })),
    );
    for (const x of r.relay) for (const m of new Set(x.messages)) console.log(`  ${x.publisher}: ${m}`);
  }
}
