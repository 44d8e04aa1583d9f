// `npm test`: the whole suite. Installs what it needs (each install says so on a "›" line), then
// format/lint/typecheck, then the unit and integration tests (which start their own PostgreSQL) on this
// machine's Node and again on the current Node LTS, then the OpenAPI fuzzer, then the infra tests. Beside them
// from the start, the stack tier (the Compose stack on a Docker engine, started here when none answers): it
// spends most of its time waiting on containers (health probes, drains, restarts), so it shares the cores
// rather than adding its wall time; its output is printed when it ends. Ends with one "N passed, N failed" line.
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { composeBin } from './lib/compose.mjs';
import { ensureDeps, run } from './lib/ensure-deps.mjs';
import { hadolintBin } from './lib/hadolint.mjs';
import { mailpitBin } from './lib/mailpit.mjs';
import { mcBin, minioBin } from './lib/object-store.mjs';
import { ensureKafkaLibs } from './lib/kafka.mjs';
import { nodeLts } from './lib/node-lts.mjs';
import { schemathesisCommand } from './lib/schemathesis.mjs';
import { ensureSystemDeps } from './lib/system-deps.mjs';

process.chdir(new URL('..', import.meta.url).pathname);
ensureDeps();
ensureSystemDeps();
const lts = nodeLts();
// The tests' tools and servers, kept in ~/.cache/zakpos: fetched here, one after the other, rather than by
// test files running in parallel.
for (const fetchTool of [
  hadolintBin,
  schemathesisCommand,
  composeBin,
  minioBin,
  mcBin,
  mailpitBin,
  ensureKafkaLibs,
]) {
  try {
    fetchTool();
  } catch (err) {
    console.error(`\n✗ ${err instanceof Error ? err.message : err}`);
    process.exit(1);
  }
}
console.log('› checks: format, lint, typecheck');
run('npm', ['run', '--silent', 'check']);

function vitestArgs(name, projects) {
  return [
    'node_modules/vitest/vitest.mjs',
    'run',
    ...projects.flatMap((p) => ['--project', p]),
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=.tmp/vitest-${name}.json`,
  ];
}

/** Passed and failed tests of a finished run, from its JSON report; a run that reports nothing failed. */
function outcome(name, status) {
  try {
    const json = JSON.parse(readFileSync(`.tmp/vitest-${name}.json`, 'utf8'));
    const failed = json.numFailedTests + (json.numRuntimeErrorTestSuites ?? 0) + (status === 0 ? 0 : 1);
    return { passed: json.numPassedTests, failed: json.numPassedTests > 0 ? failed : failed + 1 };
  } catch {
    return { passed: 0, failed: 1 };
  }
}

function vitest(node, name, projects) {
  console.log(`\n› ${name}: ${projects.join(', ')} tests`);
  const result = spawnSync(node, vitestArgs(name, projects), { stdio: 'inherit' });
  return outcome(name, result.status);
}

/** vitest() in the background, its output in .tmp/vitest-<name>.log until it is printed at the end. */
function vitestBeside(node, name, projects) {
  const log = `.tmp/vitest-${name}.log`;
  const fd = openSync(log, 'w');
  console.log(`\n› ${name}: ${projects.join(', ')} tests, beside the others (output at the end)`);
  const child = spawn(node, vitestArgs(name, projects), { stdio: ['ignore', fd, fd] });
  closeSync(fd);
  return new Promise((resolve) => {
    child.on('error', () => resolve({ log, status: 1 }));
    child.on('exit', (code) => resolve({ log, status: code ?? 1 }));
  }).then(({ log, status }) => {
    console.log(`\n› ${name}: ${projects.join(', ')} tests (run beside the others)`);
    process.stdout.write(readFileSync(log, 'utf8'));
    return outcome(name, status);
  });
}

mkdirSync('.tmp', { recursive: true });
// The Compose stack on a real engine: its global setup starts dockerd when none answers and builds the
// stand-in images once (docker/stand-ins), so a warm run only brings the stacks up.
const stackTier = vitestBeside(process.execPath, 'stack', ['stack']);
const runs = [
  vitest(process.execPath, `node-${process.versions.node}`, ['unit', 'int']),
  vitest(lts.bin, `node-${lts.version}`, ['unit', 'int']),
];
// The OpenAPI fuzzer: a few minutes, bounded by itself; once, as it tests the API's answers, not the engine.
runs.push(vitest(process.execPath, 'fuzz', ['fuzz']));
// Config files against real servers: once is enough, they do not depend on the Node version.
const infraSpecs = ['docker', 'scripts'].flatMap((dir) =>
  existsSync(dir)
    ? readdirSync(dir, { recursive: true }).filter((f) => String(f).endsWith('.int.spec.ts'))
    : [],
);
if (infraSpecs.length > 0) runs.push(vitest(process.execPath, 'infra', ['infra', 'infra-rls']));
runs.push(await stackTier);
const total = runs.reduce((t, r) => ({ passed: t.passed + r.passed, failed: t.failed + r.failed }), {
  passed: 0,
  failed: 0,
});
console.log(`\nvitest: ${total.passed} passed, ${total.failed} failed`);
process.exit(total.failed > 0 ? 1 : 0);
