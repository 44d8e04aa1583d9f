// Real servers for the ops scripts' tests, the way the stack runs them: PostgreSQL 15 from the system binaries
// with docker/postgres's postgresql.conf, pg_hba.conf, init.sh and init.sql (paths, port and listen address
// changed; 127.0.0.1 let in with scram-sha-256 as the stand-in for the backend network), then the API's
// migrations, as a fresh stack's `migrate` service leaves it; redis-server with docker/redis/redis.conf (bind,
// port, dir changed; daemonized with a pid file so the scripts' REDIS_STOP_CMD/REDIS_START_CMD can drive it).
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort } from '../../apps/api/src/common/net/free-port.js';
import { replaceOne } from '../../docker/config-text.js';
import { root, run } from '../../docker/postgres/system-postgres.js';

export { DB, type Postgres, root, run, startPostgres } from '../../docker/postgres/system-postgres.js';

export interface Redis {
  port: number;
  dir: string;
  passwordFile: string;
  /** Shell commands for REDIS_START_CMD / REDIS_STOP_CMD (stop waits until the process has exited; a stopped
   * server is left as it is). */
  startCmd: string;
  stopCmd: string;
  start(): void;
  stop(): void;
  /** redis-cli, authenticated; the reply as printed (raw). */
  cli(...args: string[]): string;
}

/** redis-server with docker/redis/redis.conf and a password, data in `dir`/data. */
export async function startRedis(dir: string): Promise<Redis> {
  const port = await freePort();
  const data = join(dir, 'data');
  await mkdir(data, { recursive: true });
  const password = randomBytes(24).toString('base64url');
  const passwordFile = join(dir, 'redis_password');
  await writeFile(passwordFile, password, { mode: 0o600 });
  let conf = await readFile(join(root, 'docker/redis/redis.conf'), 'utf8');
  const set = (name: string, value: string) =>
    (conf = replaceOne(conf, new RegExp(`^${name} .*$`), `${name} ${value}`, 'redis.conf'));
  set('bind', '127.0.0.1');
  set('port', `${port}`);
  set('dir', data);
  set('daemonize', 'yes');
  set('logfile', join(dir, 'redis.log'));
  // The container gives the password on stdin; a daemonized server reads it from its (mode 600) config.
  conf += `\npidfile ${join(dir, 'redis.pid')}\nrequirepass ${password}\n`;
  const confFile = join(dir, 'redis.conf');
  await writeFile(confFile, conf, { mode: 0o600 });
  const pidFile = join(dir, 'redis.pid');
  const startCmd = `redis-server '${confFile}'`;
  // Waits until the process has exited: gone, or a zombie. Daemonized, redis-server is a child of PID 1, which
  // may never reap it (in a container PID 1 is often node or npm), and `kill -0` succeeds on a zombie.
  const stopCmd =
    `[ -f '${pidFile}' ] || exit 0; pid=$(cat '${pidFile}') && kill "$pid" && ` +
    `while [ -e "/proc/$pid" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$pid/status" 2>/dev/null; do sleep 0.1; done`;
  const cli = (...args: string[]) =>
    run('redis-cli', ['--no-auth-warning', '-p', `${port}`, ...args], {
      ...process.env,
      REDISCLI_AUTH: password,
    }).replace(/\n$/, '');
  const waitPong = () => {
    for (let i = 0; i < 100; i++) {
      const r = spawnSync('redis-cli', ['--no-auth-warning', '-p', `${port}`, 'PING'], {
        encoding: 'utf8',
        env: { ...process.env, REDISCLI_AUTH: password },
      });
      if (r.stdout.trim() === 'PONG') return;
      spawnSync('sleep', ['0.1']);
    }
    throw new Error(`redis-server on ${port} did not answer`);
  };
  const redis: Redis = {
    port,
    dir: data,
    passwordFile,
    startCmd,
    stopCmd,
    start: () => {
      run('sh', ['-c', startCmd]);
      waitPong();
    },
    stop: () => {
      const r = spawnSync('sh', ['-c', stopCmd], { encoding: 'utf8', timeout: 30_000 });
      if (r.status !== 0)
        throw new Error(`stopping redis-server on ${port} failed (${r.status ?? r.signal}): ${r.stderr}`);
    },
    cli,
  };
  try {
    redis.start();
  } catch (err) {
    // Best effort: the start's error is the one to report.
    spawnSync('sh', ['-c', stopCmd], { timeout: 30_000 });
    throw err;
  }
  return redis;
}

export interface ScriptResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs scripts/<name> in host mode with the given environment on top of the test's own. */
export function script(name: string, args: string[], env: Record<string, string>): ScriptResult {
  const res = spawnSync(join(root, 'scripts', name), args, {
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, ZAKPOS_TARGET: 'host', ...env },
  });
  // A script killed at the timeout has no status: say so where the tests look first.
  const killed = res.error
    ? `\n[${name}: ${res.error.message}]`
    : res.signal
      ? `\n[${name}: killed by ${res.signal}]`
      : '';
  return { status: res.status, stdout: res.stdout, stderr: res.stderr + killed };
}
