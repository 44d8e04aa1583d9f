// `npm run bench`: builds the API, then runs the catalog benchmark (apps/api/src/bench/bench.main.ts).
// Extra arguments pass through, e.g. `npm run bench -- --duration 30 --products 20000`.
import { spawn } from 'node:child_process';
import { build, ensureDeps } from './lib/ensure-deps.mjs';

process.chdir(new URL('..', import.meta.url).pathname);
ensureDeps();
build();
const child = spawn(process.execPath, ['apps/api/dist/bench/bench.main.js', ...process.argv.slice(2)], {
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
