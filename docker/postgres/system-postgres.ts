// PostgreSQL 15 from the system binaries with docker/postgres's postgresql.conf, pg_hba.conf, init.sh and
// init.sql, as a fresh stack's database after its `migrate` service ran. Only paths, the port and the listen
// address change, and 127.0.0.1 is let in with scram-sha-256 as the stand-in for the backend network. Used by
// the ops scripts' tests and by the infra-rls project, which runs the API's RLS tests against it.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, chown, copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../apps/api/src/common/net/free-port.js';
import { migrate } from '../../apps/api/src/db/migrator.js';
import { replaceOne } from '../config-text.js';

export const root = fileURLToPath(new URL('../..', import.meta.url));
const PGBIN = '/usr/lib/postgresql/15/bin';
export const DB = 'zakpos';
const BACKEND_LINE = 'host    all       all       samenet          scram-sha-256';

export function run(cmd: string, args: string[], env?: NodeJS.ProcessEnv): string {
  const res = spawnSync(cmd, args, { encoding: 'utf8', timeout: 120_000, env });
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

export interface Postgres {
  port: number;
  sock: string;
  passwords: { owner: string; app: string; readonly: string };
  url(role: 'owner' | 'app'): string;
  /** The superuser over TCP: only when started with `superuserPassword` (a test-only pg_hba.conf line). */
  superuserUrl: string | undefined;
  /** psql as the superuser over the socket (peer auth as the postgres OS user); unaligned output. */
  superuser(sql: string): string;
  /** Runs docker/postgres/init.sh (and so init.sql) again, as the image does on a first start. */
  runInit(): void;
  /** The server log (stderr of postgres). */
  logFile: string;
  stop(): void;
}

/**
 * A fresh stack's database in `dir` (created by the caller, readable by the postgres user). With
 * `superuserPassword`, tests may also log in as the superuser from 127.0.0.1 (the shipped pg_hba.conf refuses
 * it over the network): a line put first for this test server only.
 */
export async function startPostgres(
  dir: string,
  options: { superuserPassword?: string } = {},
): Promise<Postgres> {
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
  const testSuperuser = options.superuserPassword
    ? 'host    all       postgres  127.0.0.1/32     scram-sha-256\n'
    : '';
  await writeFile(
    join(dir, 'etc/pg_hba.conf'),
    testSuperuser +
      replaceOne(
        hba,
        new RegExp(`^${BACKEND_LINE.replace(/[./]/g, '\\$&')}$`),
        // samenet would admit all of 127.0.0.0/8 here; in the stack it is the backend network alone.
        'host    all       all       127.0.0.1/32     scram-sha-256',
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
  const logFile = join(dir, 'sock/postgres.log');
  asPostgres([`${PGBIN}/initdb`, '-D', data, '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync']);
  asPostgres([
    `${PGBIN}/pg_ctl`,
    '-D',
    data,
    '-l',
    logFile,
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
  const superuser = (sql: string) =>
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
    ]).trim();
  // What the image runs from /docker-entrypoint-initdb.d on the first start.
  const runInit = () =>
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
  try {
    // The image's entrypoint creates POSTGRES_DB, then runs init.sh: the same here.
    asPostgres([`${PGBIN}/createdb`, '-h', sock, '-p', `${port}`, DB]);
    runInit();
    if (options.superuserPassword)
      superuser(`alter role postgres password '${options.superuserPassword.replace(/'/g, "''")}'`);
    await migrate(url('owner'));
  } catch (err) {
    stop();
    throw err;
  }
  return {
    port,
    sock,
    logFile,
    passwords,
    url,
    superuserUrl: options.superuserPassword
      ? `postgres://postgres:${encodeURIComponent(options.superuserPassword)}@127.0.0.1:${port}/${DB}`
      : undefined,
    superuser,
    runInit,
    stop,
  };
}
