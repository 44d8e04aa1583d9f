// docker/postgres (postgresql.conf, pg_hba.conf, init.sh + init.sql) run for real: PostgreSQL 15 from the
// system binaries, started with the shipped config where render() changes only paths, the port, the
// listen addresses and the hba file path, and adds one line letting 127.0.0.1 in with scram-sha-256 (the
// stand-in for the compose backend network). Then the API's migrations and RLS checks as its roles.
import { spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { chmod, chown, copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../apps/api/src/common/net/free-port.js';
import { migrate } from '../../apps/api/src/db/migrator.js';

const source = fileURLToPath(new URL('.', import.meta.url));
const PGBIN = '/usr/lib/postgresql/15/bin';
const DB = 'zakpos';
// The compose backend network: the only addresses the shipped pg_hba.conf lets in.
const BACKEND_LINE = 'host    all       all       172.21.0.0/24    scram-sha-256';

/** Sets `name = value` on the one line that sets it, insisting it exists (config drift fails loudly). */
function setting(conf: string, name: string, value: string): string {
  const re = new RegExp(`^${name}\\s*=.*$`, 'gm');
  const found = conf.match(re)?.length ?? 0;
  if (found !== 1) throw new Error(`postgresql.conf: expected one ${name} line, found ${found}`);
  return conf.replace(re, `${name} = ${value}`);
}

function run(cmd: string, args: string[], input?: string): string {
  const res = spawnSync(cmd, args, { encoding: 'utf8', input, timeout: 120_000 });
  if (res.status !== 0)
    throw new Error(`${cmd} ${args.join(' ')} exited ${res.status}: ${res.stderr}${res.stdout}`);
  return res.stdout;
}

/** initdb and postgres refuse root: everything server-side runs as the postgres OS user. */
const asPostgres = (args: string[]) => run('runuser', ['-u', 'postgres', '--', ...args]);

function ensurePostgresUser(): void {
  if (spawnSync('id', ['-u', 'postgres']).status === 0) return;
  run('groupadd', ['-f', 'postgres']);
  run('useradd', ['-g', 'postgres', '-M', '-s', '/usr/sbin/nologin', 'postgres']);
}

describe('docker/postgres on PostgreSQL 15', () => {
  let dir: string;
  let port: number;
  let data: string;
  const passwords = {
    owner: randomBytes(18).toString('base64url'),
    app: randomBytes(18).toString('base64url'),
    readonly: randomBytes(18).toString('base64url'),
  };
  const url = (user: string, password: string) =>
    `postgres://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/${DB}`;
  const clients: pg.Client[] = [];
  /** A client of the server on 127.0.0.1, connecting from `from` (another loopback address if asked). */
  async function connect(user: string, password: string, from = '127.0.0.1'): Promise<pg.Client> {
    const stream = () => {
      const socket = new Socket();
      const connectTo = socket.connect.bind(socket);
      socket.connect = ((p: number, host: string) =>
        connectTo({ port: p, host, localAddress: from })) as typeof socket.connect;
      return socket;
    };
    const client = new pg.Client({ connectionString: url(user, password), stream });
    clients.push(client);
    await client.connect();
    return client;
  }
  /** The superuser, over the local socket by peer authentication, as in the container. */
  const superuser = (sql: string) =>
    asPostgres([`${PGBIN}/psql`, '-X', '-At', '-h', `${dir}/sock`, '-p', `${port}`, '-d', DB, '-c', sql]);
  const runInit = () =>
    asPostgres([
      'env',
      `PGHOST=${dir}/sock`,
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

  beforeAll(async () => {
    ensurePostgresUser();
    dir = await mkdtemp(join(tmpdir(), 'zakpos-pgconf-'));
    await chmod(dir, 0o755);
    port = await freePort();
    data = join(dir, 'data');
    await Promise.all(['etc', 'sock', 'secrets'].map((d) => mkdir(join(dir, d))));

    let conf = await readFile(join(source, 'postgresql.conf'), 'utf8');
    conf = setting(conf, 'hba_file', `'${dir}/etc/pg_hba.conf'`);
    conf = setting(conf, 'listen_addresses', `'127.0.0.1'`);
    conf = setting(conf, 'port', `${port}`);
    conf = setting(conf, 'unix_socket_directories', `'${dir}/sock'`);
    await writeFile(join(dir, 'etc/postgresql.conf'), conf);
    const hba = await readFile(join(source, 'pg_hba.conf'), 'utf8');
    if (hba.split(BACKEND_LINE).length !== 2) throw new Error('pg_hba.conf: backend network line not found');
    await writeFile(
      join(dir, 'etc/pg_hba.conf'),
      hba.replace(
        BACKEND_LINE,
        `${BACKEND_LINE}\nhost    all       all       127.0.0.1/32     scram-sha-256`,
      ),
    );
    await copyFile(join(source, 'init.sql'), join(dir, 'etc/init.sql'));
    await copyFile(join(source, 'init.sh'), join(dir, 'etc/init.sh'));
    for (const [name, value] of Object.entries(passwords)) {
      await writeFile(join(dir, 'secrets', name), value, { mode: 0o600 });
    }
    const uid = Number(run('id', ['-u', 'postgres']).trim());
    const gid = Number(run('id', ['-g', 'postgres']).trim());
    for (const p of ['', 'etc', 'sock', 'secrets', ...Object.keys(passwords).map((n) => `secrets/${n}`)])
      await chown(join(dir, p), uid, gid);

    asPostgres([`${PGBIN}/initdb`, '-D', data, '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync']);
    asPostgres([
      `${PGBIN}/pg_ctl`,
      '-D',
      data,
      '-l',
      `${dir}/postgres.log`,
      '-o',
      `-c config_file=${dir}/etc/postgresql.conf`,
      '-w',
      '-t',
      '60',
      'start',
    ]);
    // The image's entrypoint creates POSTGRES_DB before running the init scripts: do the same.
    asPostgres([`${PGBIN}/createdb`, '-h', `${dir}/sock`, '-p', `${port}`, DB]);
    runInit();
    await migrate(url('zakpos_owner', passwords.owner));
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.end().catch(() => {})));
    if (data)
      spawnSync('runuser', [
        '-u',
        'postgres',
        '--',
        `${PGBIN}/pg_ctl`,
        '-D',
        data,
        '-m',
        'fast',
        '-w',
        'stop',
      ]);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('loads pg_stat_statements and creates the extensions', async () => {
    expect(superuser('show shared_preload_libraries')).toContain('pg_stat_statements');
    // The view errors out unless the library was preloaded.
    const app = await connect('zakpos_app', passwords.app);
    const stats = await app.query<{ n: string }>('select count(*) as n from pg_stat_statements');
    expect(Number(stats.rows[0]!.n)).toBeGreaterThan(0);
    const ext = await app.query<{ extname: string }>('select extname from pg_extension order by 1');
    expect(ext.rows.map((r) => r.extname)).toEqual(expect.arrayContaining(['citext', 'pg_stat_statements']));
  });

  it('stores scram-sha-256 verifiers and refuses a wrong password', async () => {
    const app = await connect('zakpos_app', passwords.app);
    const enc = await app.query<{ password_encryption: string }>('show password_encryption');
    expect(enc.rows[0]!.password_encryption).toBe('scram-sha-256');
    expect(superuser(`select rolpassword from pg_authid where rolname = 'zakpos_app'`)).toMatch(
      /^SCRAM-SHA-256\$/,
    );
    await expect(connect('zakpos_app', `${passwords.app}x`)).rejects.toMatchObject({ code: '28P01' });
    // Every rule that lets a client in over the network asks for a scram password.
    const methods = superuser(`select distinct auth_method from pg_hba_file_rules where type = 'host'`);
    expect(methods.trim().split('\n').sort()).toEqual(['reject', 'scram-sha-256']);
  });

  it('refuses the superuser over the network and any address outside pg_hba.conf', async () => {
    // The superuser has no network password at all; the rule must reject before asking for one.
    await expect(connect('postgres', 'irrelevant')).rejects.toMatchObject({ code: '28000' });
    // Right role and password, from an address no rule names (127.0.0.2: the test's stand-in).
    await expect(connect('zakpos_app', passwords.app, '127.0.0.2')).rejects.toMatchObject({ code: '28000' });
  });

  it('logs slow statements with their duration', async () => {
    const app = await connect('zakpos_app', passwords.app);
    const slow = await app.query<{ log_min_duration_statement: string }>('show log_min_duration_statement');
    expect(slow.rows[0]!.log_min_duration_statement).toBe('250ms');
    await app.query('select pg_sleep(0.3) as zakpos_slow_probe');
    let log = '';
    for (let i = 0; i < 50 && !/duration: .*zakpos_slow_probe/.test(log); i++) {
      await new Promise((r) => setTimeout(r, 100));
      log = await readFile(join(dir, 'postgres.log'), 'utf8');
    }
    expect(log).toMatch(
      /zakpos_app@zakpos\/\S* LOG: {2}duration: [\d.]+ ms {2}statement: .*zakpos_slow_probe/,
    );
  });

  it('gives the roles no superuser, no BYPASSRLS and nothing to own but zakpos_owner', async () => {
    const app = await connect('zakpos_app', passwords.app);
    const roles = await app.query<{
      rolname: string;
      rolsuper: boolean;
      rolbypassrls: boolean;
      owns: number;
    }>(
      `select rolname, rolsuper, rolbypassrls,
              (select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace
                where n.nspname = 'public' and c.relowner = r.oid)::int as owns
         from pg_roles r where rolname like 'zakpos\\_%' order by 1`,
    );
    expect(roles.rows).toEqual([
      { rolname: 'zakpos_app', rolsuper: false, rolbypassrls: false, owns: 0 },
      { rolname: 'zakpos_owner', rolsuper: false, rolbypassrls: false, owns: expect.any(Number) },
      { rolname: 'zakpos_readonly', rolsuper: false, rolbypassrls: false, owns: 0 },
    ]);
    expect(roles.rows[1]!.owns).toBeGreaterThan(10);
    const owners = await app.query<{ db: string; schema: string }>(
      `select (select datdba::regrole::text from pg_database where datname = current_database()) as db,
              (select nspowner::regrole::text from pg_namespace where nspname = 'public') as schema`,
    );
    expect(owners.rows[0]).toEqual({ db: 'zakpos_owner', schema: 'zakpos_owner' });
    await expect(app.query('create table zakpos_probe (id int)')).rejects.toMatchObject({ code: '42501' });
  });

  it('isolates tenants under row-level security for the app and read-only roles', async () => {
    const app = await connect('zakpos_app', passwords.app);
    const readonly = await connect('zakpos_readonly', passwords.readonly);
    const [a, b] = [randomUUID(), randomUUID()];
    const addStore = (c: pg.Client, tenant: string) =>
      c.query('insert into stores (tenant_id, id, code, name) values ($1, $2, $3, $4)', [
        tenant,
        randomUUID(),
        'MAIN',
        'Main store',
      ]);
    for (const tenant of [a, b]) {
      await app.query('begin');
      await app.query(`select set_config('app.tenant_id', $1, true)`, [tenant]);
      await app.query(`insert into tenants (id, name, currency) values ($1, 'Shop', 'EUR')`, [tenant]);
      await addStore(app, tenant);
      await app.query('commit');
    }

    for (const c of [app, readonly]) {
      const none = await c.query<{ t: number; s: number }>(
        'select (select count(*) from tenants)::int as t, (select count(*) from stores)::int as s',
      );
      expect(none.rows[0]).toEqual({ t: 0, s: 0 });
      await c.query('begin');
      await c.query(`select set_config('app.tenant_id', $1, true)`, [a]);
      const seen = await c.query<{ tenant_id: string }>(
        'select id as tenant_id from tenants union all select tenant_id from stores',
      );
      expect(seen.rows.map((r) => r.tenant_id)).toEqual([a, a]);
      await c.query('savepoint s');
      await expect(addStore(c, b)).rejects.toMatchObject({ code: '42501' });
      await c.query('rollback to savepoint s');
      await c.query('rollback');
    }
    // The read-only role cannot write even its own tenant's rows.
    await readonly.query('begin');
    await readonly.query(`select set_config('app.tenant_id', $1, true)`, [a]);
    await expect(addStore(readonly, a)).rejects.toMatchObject({ code: '42501' });
    await readonly.query('rollback');
  });

  it('lets the read-only role read no table outside row-level security but the known ones', async () => {
    const readonly = await connect('zakpos_readonly', passwords.readonly);
    const open = await readonly.query<{ relname: string }>(
      `select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind in ('r', 'p', 'v', 'm') and not c.relforcerowsecurity
          and has_table_privilege(c.oid, 'select')
          and not exists (select 1 from pg_depend d where d.objid = c.oid and d.deptype = 'e')
        order by 1`,
    );
    // Not login_identities (email → tenant): migration 0005 takes it back. A new table here must be a
    // deliberate choice.
    expect(open.rows.map((r) => r.relname)).toEqual(['schema_migrations']);
  });

  it('can run init again on a migrated database', async () => {
    runInit();
    const app = await connect('zakpos_app', passwords.app);
    const res = await app.query<{ n: number }>('select count(*)::int as n from schema_migrations');
    expect(res.rows[0]!.n).toBeGreaterThan(0);
  });
});
