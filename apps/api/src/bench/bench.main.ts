// `npm run bench`: the catalog's hot paths under load, each beside its own ceiling. Starts its own
// PostgreSQL in a temp folder, bulk-seeds one tenant with 100,000 products, starts the built API on a free
// port and drives it with autocannon at 32 connections. For each scenario that reaches the database it
// first captures, on the wire, the statements the API sends for each request of the scenario's sample,
// then replays exactly those with pgbench (extended and prepared protocol) and with node-postgres at the
// same concurrency, as the same app role, against the same database. Prints requests/s, p50/p99 latency
// against the targets, the ratio to the pgbench ceiling, and the CPU one request costs each process.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { rmSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import { passwordHasher } from '../auth/password-hasher.js';
import { freePort } from '../common/net/free-port.js';
import { bootstrapDatabase } from '../db/bootstrap.js';
import { roleUrls } from '../db/connection-urls.js';
import { startEmbeddedPostgres, type RunningPostgres } from '../db/embedded-postgres.js';
import { migrate } from '../db/migrator.js';
import { barcodeOf, pgbenchBarcodeVariable, searchTerms } from './bench-data.js';
import { seedBenchTenant } from './bench-seed.js';
import { machineBusyMs, ownCpuMs, postgresCpuMs, postmasterPid, processCpuMs } from './cpu.js';
import { summarizeCpuProfiles } from './cpu-profile.js';
import { type PgbenchVariable, PgbenchVariables, runPgbench } from './pgbench.js';
import { type NodePgMode, replayWithNodePg, type ReplayRequest, type ReplayResult } from './replay.js';
import { type CapturedStatement, startWireCapture, type WireCapture } from './wire-capture.js';
import { checkoutScript, driveRegisters, type RegisterRun, saleBody } from './checkout-bench.js';
import { type CheckoutBenchSetup, md5Uuid, seedCheckoutBench } from './checkout-seed.js';
import { infraFailed, printInfra, runInfraBench } from './infra-bench.js';

const { values: args } = parseArgs({
  options: {
    products: { type: 'string', default: '100000' },
    connections: { type: 'string', default: '32' },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    // The API's production default; `--log-level warn` shows what request logging costs.
    'log-level': { type: 'string', default: 'info' },
    // The API's DB_POOL_MAX (its default), also the pool of the node-postgres replay.
    'db-pool': { type: 'string', default: '10' },
    // Requests per scenario whose statements are captured and replayed. Search is replayed as one pgbench
    // script per request, each prepared once per client in prepared mode: few keep that a ceiling.
    sample: { type: 'string', default: '30' },
    // Which scenarios to run, e.g. `--scenarios barcode` with `--cpu-prof` for a profile of one.
    // The event scenarios (infra-bench.ts) run last, with a Kafka broker and a Redis server of their own.
    scenarios: {
      type: 'string',
      default: 'floor,barcode,search,checkout,checkout-kafka,realtime,barcode-cache,relay',
    },
    // The checkout scenario's concurrent registers, each selling one sale after another.
    registers: { type: 'string', default: '16,64' },
    // Checkouts captured on the wire to write the checkout's pgbench scripts from.
    'checkout-sample': { type: 'string', default: '20' },
    // The realtime scenario's registers; barcode-cache's hot codes; the relay scenario's events and tenants.
    'realtime-registers': { type: 'string', default: '16' },
    'hot-barcodes': { type: 'string', default: '1000' },
    'relay-events': { type: 'string', default: '20000' },
    'relay-tenants': { type: 'string', default: '4' },
    // The pgbench binary (scripts/bench.mjs finds or installs one); without it, no pgbench rows.
    pgbench: { type: 'string' },
    // A folder for the API's V8 CPU profile (node --cpu-prof); its top self-time functions are printed.
    // The replays are skipped then: the profile is of the API under load, not idle.
    'cpu-prof': { type: 'string' },
  },
});
const PRODUCTS = Number(args.products);
const CONNECTIONS = Number(args.connections);
const DURATION = Number(args.duration);
const WARMUP = Number(args.warmup);
const DB_POOL = Number(args['db-pool']);
const SAMPLE = Number(args.sample);
const SCENARIOS = new Set(args.scenarios.split(','));
const CPU_PROF_DIR = args['cpu-prof'] ? resolve(args['cpu-prof']) : undefined;
const API_MAIN = fileURLToPath(new URL('../main.js', import.meta.url));
const RATIO_GOAL = 0.7;

interface Scenario {
  key: string;
  name: string;
  /** No target: a reference row. */
  targetP99Ms: number | null;
  /** The path of the load generator's next request. */
  next: () => string;
  /** Requests whose statements are captured and replayed; none when it does not reach the database. */
  sample: string[];
  /** The parameter pgbench draws itself rather than replaying the sample's values. */
  variable?: PgbenchVariable;
}

interface CpuPerRequest {
  run: string;
  requests: number;
  /** The process under test: the API, pgbench or this process's node-postgres. */
  clientMs: number;
  serverMs: number;
  /** autocannon, in this process; the replays are their own load generators. */
  loadMs: number;
  /** The whole machine, every process included, and the run's wall-clock time (warm-up included for the replays). */
  machineMs: number;
  wallMs: number;
}

/** What to undo, in the order things were started; run once, in reverse, however the run ends. */
const cleanups: (() => Promise<unknown>)[] = [];
let cleaning: Promise<void> | undefined;
function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    for (const step of [...cleanups].reverse()) {
      await step().catch((e: unknown) => console.error('cleanup:', e));
    }
  })();
  return cleaning;
}
// On Ctrl-C, embedded-postgres's own exit hook stops the server and exits the process without waiting
// for us; so the API is told to stop at once, and what must not outlive us is undone synchronously
// on exit.
let interrupted = false;
let apiProcess: ChildProcess | undefined;
let tempDir: string | undefined;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    console.error(`\n${signal}: stopping`);
    apiProcess?.kill('SIGTERM');
    void cleanUp().then(() => process.exit(130));
  });
}
process.on('exit', () => {
  if (apiProcess && apiProcess.exitCode === null && apiProcess.signalCode === null)
    apiProcess.kill('SIGKILL');
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
});

const log = (line: string) => console.log(`› ${line}`);

try {
  const dir = await mkdtemp(join(tmpdir(), 'zakpos-bench-'));
  tempDir = dir;
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  await chmod(dir, 0o755); // the server runs as the postgres user when we are root

  const pgPort = await freePort();
  log(`starting PostgreSQL on port ${pgPort}`);
  const postgres: RunningPostgres = await startEmbeddedPostgres({
    dataDir: join(dir, 'data'),
    port: pgPort,
    superuserPassword: randomBytes(18).toString('base64url'),
  });
  cleanups.push(() => postgres.stop());
  const secrets = {
    ownerPassword: randomBytes(18).toString('base64url'),
    appPassword: randomBytes(18).toString('base64url'),
  };
  await bootstrapDatabase({ superuserUrl: postgres.superuserUrl(), database: 'zakpos_bench', ...secrets });
  const { ownerUrl, appUrl } = roleUrls({
    host: '127.0.0.1',
    port: pgPort,
    database: 'zakpos_bench',
    ...secrets,
  });
  await migrate(ownerUrl);

  const login = { email: 'cashier@bench.zakpos.test', password: randomBytes(12).toString('base64url') };
  log(`seeding ${PRODUCTS.toLocaleString('en')} products`);
  const seedStart = performance.now();
  const { tenantId } = await seedBenchTenant(ownerUrl, PRODUCTS, {
    email: login.email,
    passwordHash: await passwordHasher.hash(login.password),
  });
  log(`seeded in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);

  const jwtSecret = randomBytes(48).toString('base64url');
  const apiPort = await freePort();
  const base = `http://127.0.0.1:${apiPort}`;
  log(`starting the API on ${base}`);
  if (CPU_PROF_DIR) await mkdir(CPU_PROF_DIR, { recursive: true });
  const api = startApi(apiPort, appUrl, jwtSecret, CPU_PROF_DIR);
  apiProcess = api;
  cleanups.push(() => stopChild(api));
  await waitForHealth(`${base}/health/live`, api);

  const token = await logIn(base, login);
  const headers = { authorization: `Bearer ${token}` };
  const terms = searchTerms();
  const codes = new Set<string>();
  while (codes.size < Math.min(SAMPLE, PRODUCTS)) codes.add(barcodeOf(randomInt(1, PRODUCTS + 1)));
  const searchPaths = evenSample(terms, SAMPLE).map((t) => `/products?q=${encodeURIComponent(t)}&limit=20`);
  const allScenarios: Scenario[] = [
    // The floor: a public route that touches neither the token check nor the database.
    { key: 'floor', name: 'floor: /health/live', targetP99Ms: null, next: () => '/health/live', sample: [] },
    {
      key: 'barcode',
      name: 'barcode lookup',
      targetP99Ms: 10,
      next: () => `/barcodes/${barcodeOf(randomInt(1, PRODUCTS + 1))}`,
      sample: [...codes].map((code) => `/barcodes/${code}`),
      variable: {
        name: 'code',
        set: pgbenchBarcodeVariable(PRODUCTS),
        valueIn: (r) => r.path.slice('/barcodes/'.length),
      },
    },
    {
      // pgbench cannot draw a string: the load generator and pgbench both draw from the same sample.
      key: 'search',
      name: 'product search',
      targetP99Ms: 30,
      next: () => searchPaths[randomInt(searchPaths.length)]!,
      sample: searchPaths,
    },
  ];
  const scenarios = allScenarios.filter((s) => SCENARIOS.has(s.key));
  const registerCounts = args.registers.split(',').map(Number);
  const realtimeRegisters = Number(args['realtime-registers']);
  // The registers that sell: the checkout's, and those of the event scenarios that sell (infra-bench.ts).
  const sellingSetup =
    SCENARIOS.has('checkout') || SCENARIOS.has('checkout-kafka') || SCENARIOS.has('realtime')
      ? await seedCheckoutBench(ownerUrl, tenantId, Math.max(...registerCounts, realtimeRegisters) + 1, 1001)
      : undefined;
  const checkoutSetup = SCENARIOS.has('checkout') ? sellingSetup : undefined;
  await checkScenarios(base, headers, scenarios);

  const pgDataDir = join(dir, 'data');
  const pmPid = postmasterPid(pgDataDir);
  const captured = CPU_PROF_DIR
    ? new Map<string, ReplayRequest[]>()
    : await captureStatements(scenarios, headers, appUrl, jwtSecret);
  for (const [key, requests] of captured) {
    const scenario = scenarios.find((s) => s.key === key)!;
    const counts = new Set(requests.map((r) => r.statements.length));
    log(
      `${scenario.name}: ${[...counts].sort().join(' or ')} statements per request, captured on the wire; e.g. GET ${requests[0]!.path}:`,
    );
    for (const st of requests[0]!.statements) {
      const oneLine = st.sql.replace(/\s+/g, ' ').trim();
      const what =
        st.protocol === 'simple' ? 'simple' : `extended${st.statementName ? ` "${st.statementName}"` : ''}`;
      log(
        `  [${what}, ${st.params.length} params] ${oneLine.length > 110 ? `${oneLine.slice(0, 107)}...` : oneLine}`,
      );
    }
  }

  const results: { scenario: Scenario; result: Awaited<ReturnType<typeof load>> }[] = [];
  const replays: { scenario: Scenario; run: string; result: ReplayResult; statements: number }[] = [];
  const cpuRows: (CpuPerRequest & { scenario: string })[] = [];
  for (const s of scenarios) {
    log(`${s.name}: ${WARMUP} s warm-up, then ${DURATION} s at ${CONNECTIONS} connections`);
    if (WARMUP > 0) await load(base, headers, s, WARMUP);
    const before = {
      api: processCpuMs(api.pid!),
      pg: postgresCpuMs(pmPid),
      load: ownCpuMs(),
      machine: machineBusyMs(),
      at: performance.now(),
    };
    const result = await load(base, headers, s, DURATION);
    cpuRows.push({
      scenario: s.name,
      run: 'API',
      requests: result.requests.total,
      clientMs: processCpuMs(api.pid!) - before.api,
      serverMs: postgresCpuMs(pmPid) - before.pg,
      loadMs: ownCpuMs() - before.load,
      machineMs: machineBusyMs() - before.machine,
      wallMs: performance.now() - before.at,
    });
    results.push({ scenario: s, result });

    const requests = captured.get(s.key);
    if (!requests) continue;
    const statements = Math.max(...requests.map((r) => r.statements.length));
    const replayRuns: [string, () => Promise<ReplayResult>][] = [];
    if (args.pgbench) {
      for (const mode of ['extended', 'prepared'] as const) {
        replayRuns.push([
          `pgbench ${mode}`,
          async () => {
            const r = await runPgbench({
              bin: args.pgbench!,
              url: appUrl,
              requests,
              variable: s.variable,
              clients: CONNECTIONS,
              warmup: WARMUP,
              duration: DURATION,
              mode,
              dir,
              postmasterPid: pmPid,
            });
            if (mode === 'extended') log(`  ${r.scripts} pgbench script${r.scripts > 1 ? 's' : ''}`);
            return r;
          },
        ]);
      }
    }
    const nodeRuns: [string, NodePgMode][] = [
      ['node-postgres', 'exact'],
      ['node-postgres, named statements', 'named'],
      ['node-postgres, 1 round trip', 'one-round-trip'],
    ];
    for (const [run, mode] of nodeRuns) {
      replayRuns.push([
        run,
        () =>
          replayWithNodePg({
            url: appUrl,
            requests,
            clients: CONNECTIONS,
            poolMax: DB_POOL,
            warmup: WARMUP,
            duration: DURATION,
            mode,
            postmasterPid: pmPid,
          }),
      ]);
    }
    for (const [run, replay] of replayRuns) {
      log(`${s.name}, replayed by ${run}: ${WARMUP} s warm-up, then ${DURATION} s at ${CONNECTIONS} clients`);
      const before = { machine: machineBusyMs(), at: performance.now() };
      const r = await replay();
      replays.push({ scenario: s, run, result: r, statements });
      cpuRows.push({
        scenario: s.name,
        run,
        requests: r.cpu.transactions,
        clientMs: r.cpu.clientMs,
        serverMs: r.cpu.serverMs,
        loadMs: 0,
        machineMs: machineBusyMs() - before.machine,
        wallMs: performance.now() - before.at,
      });
    }
  }

  const checkout = checkoutSetup
    ? await runCheckoutScenario({
        base,
        headers,
        setup: checkoutSetup,
        registerCounts,
        appUrl,
        ownerUrl,
        tenantId,
        jwtSecret,
        dir,
        pmPid,
        apiPid: api.pid!,
      })
    : undefined;

  if (CPU_PROF_DIR) {
    log('stopping the API to write its CPU profile');
    await stopChild(api);
  }

  // The event scenarios start APIs of their own, one at a time: this one's relay would hold the lease.
  await stopChild(api);
  const infra = await runInfraBench({
    scenarios: SCENARIOS,
    dir,
    ownerUrl,
    appUrl,
    pmPid,
    ...(sellingSetup ? { setup: sellingSetup } : {}),
    registerCounts,
    realtimeRegisters,
    products: PRODUCTS,
    connections: CONNECTIONS,
    warmup: WARMUP,
    duration: DURATION,
    hotBarcodes: Number(args['hot-barcodes']),
    relayEvents: Number(args['relay-events']),
    relayTenants: Number(args['relay-tenants']),
    startApi: async (env) => {
      const port = await freePort();
      const child = startApi(port, appUrl, jwtSecret, undefined, env);
      process.on('exit', () => child.kill('SIGKILL'));
      cleanups.push(() => stopChild(child));
      await waitForHealth(`http://127.0.0.1:${port}/health/live`, child);
      return { base: `http://127.0.0.1:${port}`, pid: child.pid!, stop: () => stopChild(child) };
    },
    logIn: (base) => logIn(base, login),
    log,
  });

  const pgVersion = await serverVersion(appUrl);
  console.log(
    `\nZakPOS benchmark: ${PRODUCTS.toLocaleString('en')} products in one tenant, ${CONNECTIONS} connections, ` +
      `${DURATION} s per run, API log level ${args['log-level']}, API pool ${DB_POOL} connections, ` +
      `${SAMPLE}-request sample per scenario\n` +
      `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.version}, PostgreSQL ${pgVersion}; ` +
      'API, database and load generator share the machine\n',
  );
  const ceilingOf = (s: Scenario, run: string) =>
    replays.find((r) => r.scenario === s && r.run === run)?.result.tps;
  // CPU per request of every process involved, from the table below.
  const totalCpuUs = (scenario: Scenario, run: string) => {
    const c = cpuRows.find((r) => r.scenario === scenario.name && r.run === run);
    return c?.requests ? ((c.clientMs + c.serverMs + c.loadMs) * 1000) / c.requests : undefined;
  };
  const rows = results.map(({ scenario, result }) => {
    const ceiling = ceilingOf(scenario, 'pgbench extended');
    const ratio = ceiling ? result.requests.average / ceiling : undefined;
    const apiCpu = totalCpuUs(scenario, 'API');
    const ceilingCpu = totalCpuUs(scenario, 'pgbench extended');
    return {
      scenario: scenario.name,
      'req/s': Math.round(result.requests.average),
      'p50 ms': result.latency.p50,
      'p99 ms': result.latency.p99,
      target: scenario.targetP99Ms === null ? '-' : `p99 < ${scenario.targetP99Ms} ms`,
      result:
        result.non2xx || result.errors
          ? 'ERRORS'
          : scenario.targetP99Ms === null
            ? '-'
            : result.latency.p99 < scenario.targetP99Ms
              ? 'PASS'
              : 'MISS',
      'pgbench ext tps': ceiling ? Math.round(ceiling) : '-',
      'pgbench prep tps': Math.round(ceilingOf(scenario, 'pgbench prepared') ?? 0) || '-',
      'API/ext': ratio === undefined ? '-' : ratio.toFixed(2),
      [`≥ ${RATIO_GOAL}`]: ratio === undefined ? '-' : ratio >= RATIO_GOAL ? 'PASS' : 'MISS',
      // The same ratio from CPU per request, which other load on the machine changes far less.
      'by CPU': apiCpu && ceilingCpu ? (ceilingCpu / apiCpu).toFixed(2) : '-',
      requests: result.requests.total,
      'non-2xx': result.non2xx,
      errors: result.errors + result.timeouts,
    };
  });
  // The catalog's tables, when a catalog scenario ran.
  if (rows.length > 0) {
    printTable(rows);
    console.log(
      `API/ext: API req/s ÷ pgbench extended tps, goal ≥ ${RATIO_GOAL}. by CPU: pgbench's CPU per transaction ÷ the ` +
        "API's per request (all processes, autocannon included): the ratio when CPU is the limit and the machine is ours alone.",
    );

    if (replays.length) {
      console.log(
        `\nThe same statements, captured from the API on the wire and replayed at ${CONNECTIONS} concurrent clients as the ` +
          `app role (pgbench: one thread, one connection per client; node-postgres: this process, a pool of ${DB_POOL}):`,
      );
      printTable(
        replays.map(({ scenario, run, result, statements }) => {
          const api = results.find((r) => r.scenario === scenario)!.result.requests.average;
          return {
            scenario: scenario.name,
            replay: run,
            'round trips': run.endsWith('1 round trip') ? 1 : statements,
            tps: Math.round(result.tps),
            'p50 ms': result.p50Ms.toFixed(1),
            'p99 ms': result.p99Ms.toFixed(1),
            failed: result.failed,
            'API ÷ this': (api / result.tps).toFixed(2),
          };
        }),
      );
    }

    console.log(
      '\nCPU per request (µs, user + system, from /proc): the process under test, the whole PostgreSQL server, ' +
        'and autocannon (the replays are their own load generators); others: what processes outside the run took meanwhile:',
    );
    printTable(
      cpuRows.map((c) => {
        const per = (ms: number) => (c.requests ? Math.round((ms * 1000) / c.requests) : 0);
        return {
          scenario: c.scenario,
          run: c.run,
          'client µs': per(c.clientMs),
          'PostgreSQL µs': per(c.serverMs),
          'autocannon µs': c.loadMs ? per(c.loadMs) : '-',
          'total µs': per(c.clientMs + c.serverMs + c.loadMs),
          // What the rest of the machine (other users' processes) took meanwhile, in cores.
          'others, cores': Math.max(0, (c.machineMs - c.clientMs - c.serverMs - c.loadMs) / c.wallMs).toFixed(
            2,
          ),
        };
      }),
    );

    console.log(
      `\nWith ${CONNECTIONS} connections always busy, mean latency = ${CONNECTIONS} / throughput (Little's law): ` +
        `a p99 under 10 ms needs well over ${Math.round((CONNECTIONS / 10) * 1000)} requests/s.`,
    );
  }

  if (CPU_PROF_DIR) {
    const profile = await summarizeCpuProfiles(CPU_PROF_DIR);
    console.log(`\nAPI CPU profile (${CPU_PROF_DIR}), self time by package:`);
    printTable(
      profile.packages
        .slice(0, 15)
        .map((p) => ({ package: p.name, ms: Math.round(p.ms), '%': (p.share * 100).toFixed(1) })),
    );
    console.log('\nTop functions by self time:');
    printTable(
      profile.functions
        .slice(0, 30)
        .map((f) => ({ function: f.name, ms: Math.round(f.ms), '%': (f.share * 100).toFixed(1) })),
    );
  }
  if (checkout) printCheckout(checkout);
  if (infra) printInfra(infra, printTable);
  await cleanUp();
  process.exit(
    rows.some((r) => r.result === 'ERRORS') ||
      replays.some((r) => r.result.failed) ||
      checkout?.runs.some((r) => r.api.failed > 0 || (r.pgbench?.failed ?? 0) > 0) ||
      (infra && infraFailed(infra))
      ? 1
      : 0,
  );
} catch (err) {
  if (!interrupted) console.error(err);
  await cleanUp();
  process.exit(interrupted ? 130 : 1);
}

/** `n` items spread evenly over the list (all of it when it is shorter). */
function evenSample<T>(items: T[], n: number): T[] {
  if (items.length <= n) return items;
  return Array.from({ length: n }, (_, i) => items[Math.floor((i * items.length) / n)]!);
}

/**
 * The statements each sampled request sends to PostgreSQL. A second API instance, connected through
 * a recording pass-through (wire-capture.ts), serves the samples one at a time: everything executed
 * between sending a request and reading its response belongs to it.
 */
async function captureStatements(
  scenarios: Scenario[],
  headers: Record<string, string>,
  appUrl: string,
  jwtSecret: string,
): Promise<Map<string, ReplayRequest[]>> {
  const captured = new Map<string, ReplayRequest[]>();
  const withDatabase = scenarios.filter((s) => s.sample.length > 0);
  if (withDatabase.length === 0) return captured;
  log(`capturing the statements of ${withDatabase.map((s) => s.name).join(', ')} (${SAMPLE} requests each)`);
  await withCapturingApi(appUrl, jwtSecret, async (base, wire) => {
    for (const s of withDatabase) {
      const requests: ReplayRequest[] = [];
      for (const path of s.sample) {
        wire.take();
        const res = await fetch(`${base}${path}`, { headers });
        await res.arrayBuffer();
        if (!res.ok) throw new Error(`capture: GET ${path} answered ${res.status}`);
        const statements = wire.take();
        if (statements.length === 0) throw new Error(`capture: GET ${path} sent no statement`);
        requests.push({ path, statements });
      }
      captured.set(s.key, requests);
    }
  });
  return captured;
}

/**
 * A second API instance, connected through a recording pass-through (wire-capture.ts): what `work`
 * sends it one request at a time, it sends PostgreSQL, and `wire.take()` returns.
 */
async function withCapturingApi(
  appUrl: string,
  jwtSecret: string,
  work: (base: string, wire: WireCapture) => Promise<void>,
): Promise<void> {
  const db = new URL(appUrl);
  const wire = await startWireCapture({ host: db.hostname, port: Number(db.port) });
  const viaWire = new URL(appUrl);
  viaWire.port = String(wire.port);
  const port = await freePort();
  // Without the outbox relay and the event consumers (they run in the bench's API): their connections
  // would go through the wire too, and their statements land among the sample's.
  const capturing = startApi(port, viaWire.toString(), jwtSecret, undefined, { EVENTS_RUN_IN: 'worker' });
  try {
    const base = `http://127.0.0.1:${port}`;
    await waitForHealth(`${base}/health/live`, capturing);
    // The start-up role check is not awaited by the start: a readiness answer comes after it.
    await (await fetch(`${base}/health/ready`)).arrayBuffer();
    await work(base, wire);
  } finally {
    await stopChild(capturing);
    await wire.close();
  }
}

interface CheckoutScenario {
  base: string;
  headers: Record<string, string>;
  setup: CheckoutBenchSetup;
  registerCounts: number[];
  appUrl: string;
  ownerUrl: string;
  tenantId: string;
  jwtSecret: string;
  dir: string;
  pmPid: number;
  apiPid: number;
}

/** CPU per sale in µs (user + system, from /proc), warm-up included. */
interface CheckoutCpu {
  client: number;
  postgres: number;
  /** The load generator (this process); pgbench is its own. */
  load: number;
}

interface CheckoutResults {
  statements: CapturedStatement[];
  roundTrips: number;
  runs: {
    registers: number;
    api: RegisterRun;
    apiCpu: CheckoutCpu;
    pgbench?: ReplayResult;
    pgbenchCpu?: CheckoutCpu;
  }[];
}

/**
 * Checkout: registers selling over the HTTP API exactly as a register calls it, then the same
 * transaction's statements (captured on the wire from checkouts of the same workload) replayed by
 * pgbench at the same concurrency, against the same database: the ceiling.
 */
async function runCheckoutScenario(c: CheckoutScenario): Promise<CheckoutResults> {
  const captureRegister = c.setup.registerIds[c.setup.registerIds.length - 1]!;
  const sessionOf = (registerIndex: number) => md5Uuid(`bench-session-${registerIndex}`);
  const sample = { registerId: captureRegister, sessionId: sessionOf(c.setup.registerIds.length - 1) };
  // A few sales first, so that every account the workload posts to exists (tax and tender accounts are
  // created by their first sale) and the captured checkouts are the steady state.
  for (let i = 0; i < 5; i++) await postCheckout(c.base, c.headers, saleBody(c.setup, captureRegister));
  const requests: ReplayRequest[] = [];
  const count = Number(args['checkout-sample']);
  log(`checkout: capturing the statements of ${count} checkouts`);
  await withCapturingApi(c.appUrl, c.jwtSecret, async (base, wire) => {
    for (let i = 0; i < count; i++) {
      wire.take();
      const body = saleBody(c.setup, captureRegister);
      await postCheckout(base, c.headers, body);
      requests.push({ path: `POST /sales ${String(body.id)}`, statements: wire.take() });
    }
  });
  const known = await knownIds(c.ownerUrl, c.tenantId);
  const vars = new PgbenchVariables();
  const scripts = requests.map((r) => checkoutScript(r, known, sample, vars));
  const statements = requests[0]!.statements;
  log(`checkout: ${statements.length} statements per sale, captured on the wire:`);
  for (const st of statements) {
    const oneLine = st.sql.replace(/\s+/g, ' ').trim();
    log(
      `  [${st.protocol}, ${st.params.length} params] ${oneLine.length > 110 ? `${oneLine.slice(0, 107)}...` : oneLine}`,
    );
  }
  const runs: CheckoutResults['runs'] = [];
  for (const registers of c.registerCounts) {
    const ids = c.setup.registerIds.slice(0, registers);
    log(`checkout: ${registers} registers over the API, ${WARMUP} s warm-up, then ${DURATION} s`);
    const before = { api: processCpuMs(c.apiPid), pg: postgresCpuMs(c.pmPid), load: ownCpuMs() };
    const api = await driveRegisters(c.base, c.headers, c.setup, ids, WARMUP, DURATION);
    const per = (ms: number, n: number) => (n ? Math.round((ms * 1000) / n) : 0);
    const apiCpu = {
      client: per(processCpuMs(c.apiPid) - before.api, api.all),
      postgres: per(postgresCpuMs(c.pmPid) - before.pg, api.all),
      load: per(ownCpuMs() - before.load, api.all),
    };
    let pgbench: ReplayResult | undefined;
    if (args.pgbench) {
      log(
        `checkout: the same statements by pgbench at ${registers} clients, ${WARMUP} s warm-up, then ${DURATION} s`,
      );
      pgbench = await runPgbench({
        bin: args.pgbench,
        url: c.appUrl,
        requests,
        prebuilt: { scripts, defines: vars.defines() },
        clients: registers,
        warmup: WARMUP,
        duration: DURATION,
        mode: 'extended',
        dir: c.dir,
        postmasterPid: c.pmPid,
      });
    }
    const pgbenchCpu = pgbench && {
      client: per(pgbench.cpu.clientMs, pgbench.cpu.transactions),
      postgres: per(pgbench.cpu.serverMs, pgbench.cpu.transactions),
      load: 0,
    };
    runs.push({ registers, api, apiCpu, ...(pgbench ? { pgbench, pgbenchCpu } : {}) });
  }
  const roundTrips = statements.length;
  return { statements, roundTrips, runs };
}

function printCheckout(c: CheckoutResults): void {
  console.log(
    `\nCheckout: 3-line sales (the hot product in 30 %), cash with change or card + cash, each register one sale after ` +
      `another; ${c.statements.length} SQL statements and ${c.roundTrips} round trips per sale. Targets: ≥ 200 sales/s and ` +
      'p99 < 50 ms at 16 registers, the API ≥ 50 % of the pgbench ceiling:',
  );
  printTable(
    c.runs.map((r) => {
      const ratio = r.pgbench ? r.api.tps / r.pgbench.tps : undefined;
      const at16 = r.registers === 16;
      return {
        registers: r.registers,
        'API sales/s': Math.round(r.api.tps),
        'p50 ms': r.api.p50Ms.toFixed(1),
        'p99 ms': r.api.p99Ms.toFixed(1),
        failed: r.api.failed,
        'pgbench tps': r.pgbench ? Math.round(r.pgbench.tps) : '-',
        'pgbench p50': r.pgbench ? r.pgbench.p50Ms.toFixed(1) : '-',
        'pgbench p99': r.pgbench ? r.pgbench.p99Ms.toFixed(1) : '-',
        'pgbench failed': r.pgbench?.failed ?? '-',
        'API/pgbench': ratio === undefined ? '-' : ratio.toFixed(2),
        '≥ 0.5': ratio === undefined ? '-' : ratio >= 0.5 ? 'PASS' : 'MISS',
        '≥ 200/s': at16 ? (r.api.tps >= 200 ? 'PASS' : 'MISS') : '-',
        'p99 < 50': at16 ? (r.api.p99Ms < 50 ? 'PASS' : 'MISS') : '-',
      };
    }),
  );
  console.log(
    '\nCPU per sale (µs, user + system, from /proc, warm-up included): the API or pgbench, the whole PostgreSQL ' +
      'server, and the load generator of the API runs (this process):',
  );
  printTable(
    c.runs.flatMap((r) => [
      { registers: r.registers, run: 'API', ...cpuRow(r.apiCpu) },
      ...(r.pgbenchCpu ? [{ registers: r.registers, run: 'pgbench', ...cpuRow(r.pgbenchCpu) }] : []),
    ]),
  );
  for (const r of c.runs) {
    for (const [failure, n] of Object.entries(r.api.failures))
      console.log(`  ${r.registers} registers: ${n} × ${failure}`);
  }
}

function cpuRow(cpu: CheckoutCpu) {
  return {
    'client µs': cpu.client,
    'PostgreSQL µs': cpu.postgres,
    'load µs': cpu.load || '-',
    'total µs': cpu.client + cpu.postgres + cpu.load,
  };
}

async function postCheckout(base: string, headers: Record<string, string>, body: Record<string, unknown>) {
  const res = await fetch(`${base}/sales`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status !== 201) throw new Error(`checkout: POST /sales answered ${res.status} ${text}`);
}

/** Every id of the tenant's that a checkout reads rather than mints. */
async function knownIds(ownerUrl: string, tenantId: string): Promise<Set<string>> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query(`select set_config('app.tenant_id', $1, false)`, [tenantId]);
    const tables = [
      'products',
      'stores',
      'registers',
      'users',
      'cash_sessions',
      'accounts',
      'tax_categories',
      'categories',
    ];
    const { rows } = await client.query<{ id: string }>(
      [`select $1::uuid::text as id`, ...tables.map((t) => `select id::text from ${t}`)].join(' union all '),
      [tenantId],
    );
    return new Set(rows.map((r) => r.id));
  } finally {
    await client.end();
  }
}

function startApi(
  port: number,
  databaseUrl: string,
  jwtSecret: string,
  cpuProfDir: string | undefined,
  extraEnv: Record<string, string> = {},
): ChildProcess {
  const nodeArgs = cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`] : [];
  const child = spawn(process.execPath, [...nodeArgs, API_MAIN], {
    env: {
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      DB_POOL_MAX: String(DB_POOL),
      JWT_SECRET: jwtSecret,
      LOG_LEVEL: args['log-level'],
      // The login of the benchmark user must not trip the per-IP auth budget.
      AUTH_RATE_LIMIT_PER_MINUTE: '1000',
      ...extraEnv,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  // Its errors are shown, except the noise of a run being interrupted under load.
  child.stderr?.on('data', (chunk: Buffer) => {
    if (!interrupted) process.stderr.write(chunk);
  });
  child.on('exit', (code, signal) => {
    if (!interrupted && code !== 0 && signal !== 'SIGTERM') console.error(`API exited (${code ?? signal})`);
  });
  return child;
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function waitForHealth(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error('the API exited before it was ready');
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the API did not become ready at ${url}`);
}

async function logIn(base: string, login: { email: string; password: string }): Promise<string> {
  const res = await fetch(`${base}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(login),
  });
  if (!res.ok) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

/** One request of each scenario must succeed before any load is measured. */
async function checkScenarios(
  base: string,
  headers: Record<string, string>,
  scenarios: Scenario[],
): Promise<void> {
  for (const s of scenarios) {
    const path = s.next();
    const res = await fetch(`${base}${path}`, { headers });
    if (!res.ok) throw new Error(`${s.name}: GET ${path} answered ${res.status} ${await res.text()}`);
  }
}

function load(base: string, headers: Record<string, string>, s: Scenario, duration: number) {
  return autocannon({
    url: base,
    connections: CONNECTIONS,
    duration,
    headers,
    requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: s.next() }) }],
  });
}

async function serverVersion(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ v: string }>("select current_setting('server_version') as v")).rows[0]!.v;
  } finally {
    await client.end();
  }
}

function printTable(rows: Record<string, string | number>[]): void {
  const columns = Object.keys(rows[0] ?? {});
  const width = (c: string) => Math.max(c.length, ...rows.map((r) => String(r[c]).length));
  const line = (cells: (c: string) => string) => columns.map((c) => cells(c).padEnd(width(c))).join('  ');
  console.log(line((c) => c));
  console.log(line((c) => '-'.repeat(width(c))));
  for (const r of rows) console.log(line((c) => String(r[c])));
}
