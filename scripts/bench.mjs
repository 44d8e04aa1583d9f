// `npm run bench`: builds the API, then runs the catalog benchmark (apps/api/src/bench/bench.main.ts).
// Extra arguments pass through, e.g. `npm run bench -- --duration 30 --products 20000`.
// The pgbench that replays the API's statements is found on PATH or in /usr/lib/postgresql/*/bin, or
// installed with apt (Debian's postgresql-15 ships it); `--pgbench <path>` names one instead.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { build, ensureDeps } from './lib/ensure-deps.mjs';
import { ensureSystemDeps } from './lib/system-deps.mjs';

process.chdir(new URL('..', import.meta.url).pathname);
ensureDeps();
build();

function findPgbench() {
  if (spawnSync('pgbench', ['--version']).status === 0) return 'pgbench';
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  return versions.map((v) => `${root}/${v}/bin/pgbench`).find((p) => existsSync(p));
}

const args = process.argv.slice(2);
if (!args.includes('--pgbench')) {
  let pgbench = findPgbench();
  if (!pgbench && spawnSync('apt-get', ['--version']).status === 0) {
    ensureSystemDeps(['postgresql-15']);
    pgbench = findPgbench();
  }
  if (pgbench) args.push('--pgbench', pgbench);
  else console.log('› no pgbench found: the benchmark runs without its pgbench ceiling');
}

// The event scenarios (apps/api/src/bench/infra-bench.ts) run a real Kafka broker (Java, its jars fetched with
// Maven) and redis-server: installed with apt when missing, unless --scenarios names none of them.
const named = args.includes('--scenarios')
  ? args[args.indexOf('--scenarios') + 1]
  : args.find((a) => a.startsWith('--scenarios='))?.slice('--scenarios='.length);
const selected = named === undefined ? ['relay'] : named.split(',');
const eventScenarios = ['checkout-kafka', 'realtime', 'barcode-cache', 'relay'];
if (selected.some((s) => eventScenarios.includes(s)) && spawnSync('apt-get', ['--version']).status === 0) {
  ensureSystemDeps(['redis-server', 'maven', 'openjdk-17-jre-headless']);
}

const child = spawn(process.execPath, ['apps/api/dist/bench/bench.main.js', ...args], {
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
