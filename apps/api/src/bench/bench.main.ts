// `npm run bench`: the catalog's hot paths under load. Starts its own PostgreSQL in a temp folder,
// bulk-seeds one tenant with 100,000 products, starts the built API on a free port and drives it with
// autocannon at 32 connections. Prints requests/s and p50/p99 latency per scenario against the targets.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { rmSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
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
import { barcodeOf, searchTerms } from './bench-data.js';
import { seedBenchTenant } from './bench-seed.js';

const { values: args } = parseArgs({
  options: {
    products: { type: 'string', default: '100000' },
    connections: { type: 'string', default: '32' },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    // The API's production default; `--log-level warn` shows what request logging costs.
    'log-level': { type: 'string', default: 'info' },
  },
});
const PRODUCTS = Number(args.products);
const CONNECTIONS = Number(args.connections);
const DURATION = Number(args.duration);
const WARMUP = Number(args.warmup);
const API_MAIN = fileURLToPath(new URL('../main.js', import.meta.url));

interface Scenario {
  name: string;
  /** No target: a reference row. */
  targetP99Ms: number | null;
  path: () => string;
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
  await seedBenchTenant(ownerUrl, PRODUCTS, {
    email: login.email,
    passwordHash: await passwordHasher.hash(login.password),
  });
  log(`seeded in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);

  const apiPort = await freePort();
  const base = `http://127.0.0.1:${apiPort}`;
  log(`starting the API on ${base}`);
  const api = startApi(apiPort, appUrl);
  apiProcess = api;
  cleanups.push(() => stopChild(api));
  await waitForHealth(`${base}/health/live`, api);

  const token = await logIn(base, login);
  const headers = { authorization: `Bearer ${token}` };
  const terms = searchTerms();
  const scenarios: Scenario[] = [
    // The floor: a public route that touches neither the token check nor the database.
    { name: 'floor: /health/live', targetP99Ms: null, path: () => '/health/live' },
    {
      name: 'barcode lookup',
      targetP99Ms: 10,
      path: () => `/barcodes/${barcodeOf(randomInt(1, PRODUCTS + 1))}`,
    },
    {
      name: 'product search',
      targetP99Ms: 30,
      path: () => `/products?q=${encodeURIComponent(terms[randomInt(terms.length)]!)}&limit=20`,
    },
  ];
  await checkScenarios(base, headers, scenarios);

  const results = [];
  for (const s of scenarios) {
    log(`${s.name}: ${WARMUP} s warm-up, then ${DURATION} s at ${CONNECTIONS} connections`);
    if (WARMUP > 0) await load(base, headers, s, WARMUP);
    results.push({ scenario: s, result: await load(base, headers, s, DURATION) });
  }

  const pgVersion = await serverVersion(appUrl);
  console.log(
    `\nZakPOS catalog benchmark: ${PRODUCTS.toLocaleString('en')} products in one tenant, ${CONNECTIONS} connections, ` +
      `${DURATION} s per scenario, API log level ${args['log-level']}\n` +
      `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.version}, PostgreSQL ${pgVersion}; ` +
      'API, database and load generator share the machine\n',
  );
  const rows = results.map(({ scenario, result }) => ({
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
    requests: result.requests.total,
    'non-2xx': result.non2xx,
    errors: result.errors + result.timeouts,
  }));
  printTable(rows);
  console.log(
    `\nWith ${CONNECTIONS} connections always busy, mean latency = ${CONNECTIONS} / throughput (Little's law): ` +
      `a p99 under 10 ms needs well over ${Math.round((CONNECTIONS / 10) * 1000)} requests/s.`,
  );
  await cleanUp();
  process.exit(rows.some((r) => r.result === 'ERRORS') ? 1 : 0);
} catch (err) {
  if (!interrupted) console.error(err);
  await cleanUp();
  process.exit(interrupted ? 130 : 1);
}

function startApi(port: number, databaseUrl: string): ChildProcess {
  const child = spawn(process.execPath, [API_MAIN], {
    env: {
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      JWT_SECRET: randomBytes(48).toString('base64url'),
      LOG_LEVEL: args['log-level'],
      // The login of the benchmark user must not trip the per-IP auth budget.
      AUTH_RATE_LIMIT_PER_MINUTE: '1000',
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
    const path = s.path();
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
    requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: s.path() }) }],
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
