// docker/postgres (postgresql.conf, pg_hba.conf, init.sh + init.sql) run for real: PostgreSQL 15 from the
// system binaries, started with the shipped config by ./system-postgres.ts, which changes only paths, the port
// and the listen address, and narrows the `samenet` line to 127.0.0.1 (the stand-in for the compose backend
// network). Then the API's migrations and RLS checks as its roles.
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../apps/api/src/db/database.js';
import { databaseRoleCheck } from '../../apps/api/src/ops/health/database-role.check.js';
import { DB, type Postgres, startPostgres } from './system-postgres.js';

describe('docker/postgres on PostgreSQL 15', () => {
  let dir: string;
  let server: Postgres;
  const url = (user: string, password: string) =>
    `postgres://${user}:${encodeURIComponent(password)}@127.0.0.1:${server.port}/${DB}`;
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
  const superuser = (sql: string) => server.superuser(sql);
  let passwords: Postgres['passwords'];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'zakpos-pgconf-'));
    server = await startPostgres(dir);
    passwords = server.passwords;
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.end().catch(() => {})));
    server?.stop();
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
      log = await readFile(server.logFile, 'utf8');
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

  it("gives the app role nothing the API's readiness refuses (TEMP, CREATE, BYPASSRLS, superuser)", async () => {
    const db = new Database(server.url('app'), { poolMax: 1 });
    try {
      expect(await databaseRoleCheck(db).run()).toEqual({ ok: true });
    } finally {
      await db.close();
    }
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
    server.runInit();
    const app = await connect('zakpos_app', passwords.app);
    const res = await app.query<{ n: number }>('select count(*)::int as n from schema_migrations');
    expect(res.rows[0]!.n).toBeGreaterThan(0);
  });
});
