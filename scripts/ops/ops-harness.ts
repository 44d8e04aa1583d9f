// Real servers for the ops scripts' tests, the way the stack runs them: PostgreSQL 15 from the system binaries
// with docker/postgres's postgresql.conf, pg_hba.conf, init.sh and init.sql (paths, port and listen address
// changed; 127.0.0.1 let in with scram-sha-256 as the stand-in for the backend network), then the API's
// migrations, as a fresh stack's `migrate` service leaves it; redis-server with docker/redis/redis.conf (bind,
// port, dir changed; daemonized with a pid file so the scripts' REDIS_STOP_CMD/REDIS_START_CMD can drive it).
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, chown, copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../apps/api/src/common/net/free-port.js';
import { migrate } from '../../apps/api/src/db/migrator.js';

export const root = fileURLToPath(new URL('../..', import.meta.url));
const PGBIN = '/usr/lib/postgresql/15/bin';
export const DB = 'zakpos';
const BACKEND_LINE = 'host    all       all       172.21.0.0/24    scram-sha-256';

export function run(cmd: string, args: string[], env?: NodeJS.ProcessEnv): string {
  const res = spawnSync(cmd, args, { encoding: 'utf8', timeout: 120_000, env: env ?? process.env });
  if (res.status !== 0)
    throw new Error(`${cmd} ${args.join(' ')} exited ${res.status}: ${res.stderr}${res.stdout}`);
  return res.stdout;
}

const asPostgres = (args: string[]) => run('runuser', ['-u', 'postgres', '--', ...args]);

function ensurePostgresUser(): void {
  if (spawnSync('id', ['-u', 'postgres']).status === 0) return;
  run('groupadd', ['-f', 'postgres']);
  run('useradd', ['-g', 'postgres', '-M', '-s', '/usr/sbin/nologin', 'postgres']);
}

/** Replaces the one line matching `re` (insisting there is exactly one: config drift fails loudly). */
function replaceOne(text: string, re: RegExp, line: string, what: string): string {
  const found = text.match(new RegExp(re.source, 'gm'))?.length ?? 0;
  if (found !== 1) throw new Error(`${what}: expected one line matching ${re}, found ${found}`);
  return text.replace(new RegExp(re.source, 'm'), line);
}

export interface Postgres {
  port: number;
  sock: string;
  passwords: { owner: string; app: string; readonly: string };
  url(role: 'owner' | 'app'): string;
  /** psql as the superuser over the socket (peer auth as the postgres OS user); unaligned output. */
  superuser(sql: string): string;
  stop(): void;
}

/** A fresh stack's database in `dir` (created by the caller, readable by the postgres user). */
export async function startPostgres(dir: string): Promise<Postgres> {
  ensurePostgresUser();
  await chmod(dir, 0o755);
  const port = await freePort();
  const src = join(root, 'docker/postgres');
  await Promise.all(['etc', 'sock', 'secrets'].map((d) => mkdir(join(dir, d))));
  let conf = await readFile(join(src, 'postgresql.conf'), 'utf8');
  const set = (name: string, value: string) =>
    (conf = replaceOne(conf, new RegExp(`^${name}\\s*=.*$`), `${name} = ${value}`, 'postgresql.conf'));
  set('hba_file', `'${dir}/etc/pg_hba.conf'`);
  set('listen_addresses', `'127.0.0.1'`);
  set('port', `${port}`);
  set('unix_socket_directories', `'${dir}/sock'`);
  set('shared_buffers', '64MB');
  await writeFile(join(dir, 'etc/postgresql.conf'), conf);
  const hba = await readFile(join(src, 'pg_hba.conf'), 'utf8');
  await writeFile(
    join(dir, 'etc/pg_hba.conf'),
    replaceOne(
      hba,
      new RegExp(`^${BACKEND_LINE.replace(/[./]/g, '\\$&')}$`),
      `${BACKEND_LINE}\nhost    all       all       127.0.0.1/32     scram-sha-256`,
      'pg_hba.conf',
    ),
  );
  await copyFile(join(src, 'init.sql'), join(dir, 'etc/init.sql'));
  await copyFile(join(src, 'init.sh'), join(dir, 'etc/init.sh'));
  const passwords = {
    owner: randomBytes(18).toString('base64url'),
    app: randomBytes(18).toString('base64url'),
    readonly: randomBytes(18).toString('base64url'),
  };
  for (const [name, value] of Object.entries(passwords))
    await writeFile(join(dir, 'secrets', name), value, { mode: 0o600 });
  const uid = Number(run('id', ['-u', 'postgres']).trim());
  const gid = Number(run('id', ['-g', 'postgres']).trim());
  for (const p of ['etc', 'sock', 'secrets', ...Object.keys(passwords).map((n) => `secrets/${n}`)])
    await chown(join(dir, p), uid, gid);
  const data = join(dir, 'data');
  await mkdir(data, { mode: 0o700 });
  await chown(data, uid, gid);
  asPostgres([`${PGBIN}/initdb`, '-D', data, '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync']);
  asPostgres([
    `${PGBIN}/pg_ctl`,
    '-D',
    data,
    '-l',
    `${dir}/sock/postgres.log`,
    '-o',
    `-c config_file=${dir}/etc/postgresql.conf`,
    '-w',
    '-t',
    '60',
    'start',
  ]);
  const sock = join(dir, 'sock');
  const stop = () => {
    spawnSync('runuser', ['-u', 'postgres', '--', `${PGBIN}/pg_ctl`, '-D', data, '-m', 'fast', '-w', 'stop']);
  };
  const url = (role: 'owner' | 'app') =>
    `postgres://zakpos_${role}:${encodeURIComponent(passwords[role])}@127.0.0.1:${port}/${DB}`;
  try {
    // The image's entrypoint creates POSTGRES_DB, then runs init.sh: the same here.
    asPostgres([`${PGBIN}/createdb`, '-h', sock, '-p', `${port}`, DB]);
    asPostgres([
      'env',
      `PGHOST=${sock}`,
      `PGPORT=${port}`,
      'POSTGRES_USER=postgres',
      `ZAKPOS_DB_NAME=${DB}`,
      `POSTGRES_OWNER_PASSWORD_FILE=${dir}/secrets/owner`,
      `POSTGRES_APP_PASSWORD_FILE=${dir}/secrets/app`,
      `POSTGRES_READONLY_PASSWORD_FILE=${dir}/secrets/readonly`,
      `ZAKPOS_INIT_SQL=${dir}/etc/init.sql`,
      'sh',
      `${dir}/etc/init.sh`,
    ]);
    await migrate(url('owner'));
  } catch (err) {
    stop();
    throw err;
  }
  return {
    port,
    sock,
    passwords,
    url,
    superuser: (sql) =>
      asPostgres([
        `${PGBIN}/psql`,
        '-X',
        '-At',
        '-v',
        'ON_ERROR_STOP=1',
        '-h',
        sock,
        '-p',
        `${port}`,
        '-d',
        DB,
        '-c',
        sql,
      ]).trim(),
    stop,
  };
}

export interface Redis {
  port: number;
  dir: string;
  passwordFile: string;
  /** Shell commands for REDIS_START_CMD / REDIS_STOP_CMD (stop waits until the process has exited). */
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
  const stopCmd = `pid=$(cat '${pidFile}') && kill "$pid" && while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done`;
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
      spawnSync('sh', ['-c', stopCmd], { timeout: 30_000 });
    },
    cli,
  };
  try {
    redis.start();
  } catch (err) {
    redis.stop();
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
  return { status: res.status, stdout: res.stdout, stderr: res.stderr };
}
