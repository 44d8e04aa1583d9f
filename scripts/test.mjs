// `npm test`: the whole suite. Installs what it needs, then format/lint/typecheck, unit and integration
// tests (the integration tests start their own PostgreSQL). Ends with one "N passed, N failed" line.
import { readFileSync, mkdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { ensureDeps, run } from './lib/ensure-deps.mjs';

process.chdir(new URL('..', import.meta.url).pathname);
ensureDeps();
console.log('› checks: format, lint, typecheck');
run('npm', ['run', '--silent', 'check']);

mkdirSync('.tmp', { recursive: true });
const report = '.tmp/vitest-report.json';
console.log('› tests: unit and integration');
const vitest = spawnSync(
  'npx',
  ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`],
  { stdio: 'inherit' },
);
let summary;
try {
  const json = JSON.parse(readFileSync(report, 'utf8'));
  summary = {
    passed: json.numPassedTests,
    failed: json.numFailedTests + (json.numRuntimeErrorTestSuites ?? 0),
  };
} catch {
  summary = { passed: 0, failed: 1 };
}
console.log(`\nvitest: ${summary.passed} passed, ${summary.failed} failed`);
if (vitest.status !== 0 || summary.failed > 0 || summary.passed === 0) process.exit(vitest.status || 1);
