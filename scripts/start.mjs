// `npm start`: install if needed, build, then run the API on an embedded PostgreSQL kept in ./.data.
import { spawn } from 'node:child_process';
import { build, ensureDeps } from './lib/ensure-deps.mjs';

process.chdir(new URL('..', import.meta.url).pathname);
ensureDeps();
build();
const child = spawn(process.execPath, ['apps/api/dist/embedded.main.js', '--data', '.data'], {
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
