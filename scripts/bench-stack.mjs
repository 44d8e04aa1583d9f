// `npm run bench:stack`: the Compose stack benchmark (docker/stack/stack.bench.ts) on this machine's Docker
// engine, started when none answers. Extra arguments pass through, e.g.
// `npm run bench:stack -- --variants test,prod --load-seconds 30 --registers 8`; `-- --help` lists them.
import { spawn } from 'node:child_process';
import { ensureDeps, run } from './lib/ensure-deps.mjs';

process.chdir(new URL('..', import.meta.url).pathname);
ensureDeps();
// The harness's typed client imports @zakpos/contracts, which resolves to its built dist/.
console.error('› building @zakpos/contracts (tsc -b)');
run('npx', ['tsc', '-b', 'packages/contracts']);

const child = spawn('node_modules/.bin/tsx', ['docker/stack/stack.bench.ts', ...process.argv.slice(2)], {
  stdio: 'inherit',
});
// The bench removes its stacks on these signals itself: pass them on and wait for it.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
