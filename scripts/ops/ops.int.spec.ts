// scripts/backup, restore, health and cleanup run for real in host mode (ZAKPOS_TARGET=host: the same
// commands the compose mode runs inside the containers) against PostgreSQL and redis-server started from the
// system binaries with the stack's config files (./ops-harness.ts). A source stack is seeded once with two
// tenants through the API's own code and SQL, Redis keys and upload files, and only read afterwards. Each
// test makes the backups and the fresh target stacks it needs and stops them when it ends, so no test
// depends on what another one did or left behind.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { chmod, cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../apps/api/src/common/net/free-port.js';
import { Database } from '../../apps/api/src/db/database.js';
import { DEMO_TENANT_ID, seedDemo } from '../../apps/api/src/seed/demo-seed.js';
import { startTestMinio } from '../../docker/minio/test-minio.js';
import { type Postgres, type Redis, root, run, script, startPostgres, startRedis } from './ops-harness.js';

/** Entries of a backup directory, without its .lock file. */
const listing = (d: string) => readdirSync(d).filter((n) => !n.startsWith('.'));
const latestMigration = readdirSync(join(root, 'apps/api/migrations'))
  .filter((f) => f.endsWith('.sql'))
  .sort()
  .at(-1)!
  .slice(0, 4);

const TABLES = ['tenants', 'stores', 'registers', 'users', 'categories', 'products', 'product_barcodes'];

interface Stack {
  pg: Postgres;
  redis: Redis;
  uploads: string;
}

describe('scripts/backup, restore, health, cleanup (host mode)', () => {
  let dir: string;
  let source: Stack;
  const otherTenant = randomUUID();
  const uploads: Record<string, Buffer> = {
    'receipts/2026/r-1.pdf': randomBytes(5000),
    'logo.png': randomBytes(777),
    'tenants/a b/notes.txt': Buffer.from('spaces in names\n'),
  };

  /** A new folder under the suite's temp dir, for one test's backups, stacks or files. */
  let folders = 0;
  const folder = async (label: string) => {
    const path = join(dir, `${++folders}-${label}`);
    await mkdir(path, { recursive: true });
    return path;
  };

  const envOf = (s: Stack, backupDir: string): Record<string, string> => ({
    PGHOST: s.pg.sock,
    PGPORT: `${s.pg.port}`,
    PG_RUN_AS: 'postgres',
    POSTGRES_DB: 'zakpos',
    REDIS_HOST: '127.0.0.1',
    REDIS_PORT: `${s.redis.port}`,
    REDIS_PASSWORD_FILE: s.redis.passwordFile,
    REDIS_DATA_DIR: s.redis.dir,
    REDIS_START_CMD: s.redis.startCmd,
    REDIS_STOP_CMD: s.redis.stopCmd,
    UPLOADS_DIR: s.uploads,
    BACKUP_DIR: backupDir,
  });

  /** Rows per table of one tenant, read as the API's role under row-level security. */
  async function tenantRows(p: Postgres, tenantId: string): Promise<Record<string, number>> {
    const client = new pg.Client({ connectionString: p.url('app') });
    await client.connect();
    try {
      await client.query('begin');
      await client.query(`select set_config('app.tenant_id', $1, true)`, [tenantId]);
      const out: Record<string, number> = {};
      for (const t of TABLES)
        out[t] = (await client.query<{ n: number }>(`select count(*)::int as n from ${t}`)).rows[0]!.n;
      await client.query('commit');
      return out;
    } finally {
      await client.end();
    }
  }

  /** Stops of the servers started by beforeAll (run in afterAll) and by the current test (run after it). */
  const suiteStops: (() => void)[] = [];
  const testStops: (() => void)[] = [];

  /** A fresh stack (migrated PostgreSQL, empty Redis, empty uploads directory), stopped after the test. */
  async function stack(label: string, stops = testStops): Promise<Stack> {
    const base = await folder(label);
    await mkdir(join(base, 'pg'));
    await mkdir(join(base, 'uploads'));
    const r = await startRedis(join(base, 'redis'));
    stops.push(() => r.stop());
    const p = await startPostgres(join(base, 'pg'));
    stops.push(() => p.stop());
    return { pg: p, redis: r, uploads: join(base, 'uploads') };
  }

  /** A complete backup of the source stack by scripts/backup, alone in a new BACKUP_DIR: its directory. */
  async function backupOfSource(extraEnv: Record<string, string> = {}): Promise<string> {
    const backups = await folder('backups');
    const res = script('backup', [], { ...envOf(source, backups), ...extraEnv });
    if (res.status !== 0) throw new Error(`scripts/backup failed (${res.status}):\n${res.stderr}`);
    return join(backups, listing(backups)[0]!);
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'zakpos-ops-'));
    await chmod(dir, 0o755); // the postgres user reaches its data and socket below
    source = await stack('source', suiteStops);

    // Tenant 1: the demo seed, through the API's own code as its role.
    const db = new Database(source.pg.url('app'), { poolMax: 2 });
    try {
      await seedDemo(db, {
        passwords: { owner: 'owner-pass-1234', manager: 'manager-pass-1234', cashier: 'cashier-pass-1234' },
        cashierPin: '4821',
      });
    } finally {
      await db.close();
    }
    // Tenant 2: SQL as the API's role with its tenant context.
    const app = new pg.Client({ connectionString: source.pg.url('app') });
    await app.connect();
    await app.query('begin');
    await app.query(`select set_config('app.tenant_id', $1, true)`, [otherTenant]);
    await app.query(`insert into tenants (id, name, currency) values ($1, 'Second Shop', 'USD')`, [
      otherTenant,
    ]);
    await app.query(`insert into stores (tenant_id, id, code, name) values ($1, $2, 'MAIN', 'Main street')`, [
      otherTenant,
      randomUUID(),
    ]);
    await app.query('commit');
    await app.end();

    source.redis.cli('SET', 'zakpos:session:1', 'alpha');
    source.redis.cli('HSET', 'bull:receipts:1', 'name', 'print', 'data', '{"id":1}');
    source.redis.cli('RPUSH', 'bull:receipts:wait', '1', '2', '3');
    source.redis.cli('-n', '1', 'SET', 'zakpos:cache:db1', 'in db 1');
    source.redis.cli('SET', 'zakpos:ttl', 'expires later', 'EX', '86400');
    for (const [name, content] of Object.entries(uploads)) {
      await mkdir(join(source.uploads, name, '..'), { recursive: true });
      await writeFile(join(source.uploads, name), content);
    }
  });

  /** Runs every stop, then throws the first failure: one server that will not stop leaves none running. */
  function stopAll(stops: (() => void)[]) {
    const errors: unknown[] = [];
    for (const stop of stops.splice(0).reverse()) {
      try {
        stop();
      } catch (err) {
        errors.push(err);
      }
    }
    if (errors.length > 0) throw errors[0];
  }

  afterEach(() => stopAll(testStops));

  afterAll(async () => {
    try {
      stopAll(suiteStops);
    } finally {
      if (dir) await rm(dir, { recursive: true, force: true });
    }
  });

  it('prints usage on --help', () => {
    for (const name of ['backup', 'restore', 'health', 'cleanup']) {
      const res = script(name, ['--help'], {});
      expect(res.status, name).toBe(0);
      expect(res.stdout, name).toMatch(/^Usage: scripts\//);
    }
  });

  // The scripts read `.env`, the copy of .env.prod docs/operations.md has the operator fill in, and say so when
  // it is missing (they used the unfilled .env.prod template: "KAFKA_CLUSTER_ID is missing a value").
  it('compose mode: reads the env file the operations guide writes, and names it when it is missing', async () => {
    const guide = readFileSync(join(root, 'docs/operations.md'), 'utf8');
    expect(guide).toMatch(/^cp \.env\.prod \.env /m);
    expect(guide).toMatch(/docker-compose\.prod\.yml --env-file \.env up -d --wait$/m);
    // A copy of the scripts in a tree of their own, which has no .env for sure.
    const tree = await folder('tree');
    await cp(join(root, 'scripts'), join(tree, 'scripts'), { recursive: true });
    const backups = await folder('unused-backups');
    await writeFile(join(backups, 'SHA256SUMS'), ''); // restore checks its argument first
    for (const name of ['health', 'backup', 'restore', 'cleanup']) {
      const res = spawnSync(join(tree, 'scripts', name), name === 'restore' ? [backups] : [], {
        encoding: 'utf8',
        env: { ...process.env, ZAKPOS_TARGET: 'compose', BACKUP_DIR: backups },
      });
      expect(res.status, name).not.toBe(0);
      expect(res.stderr, name).toContain(`env file ${tree}/.env not found: copy .env.prod to .env`);
    }
  });

  it('backs up the database, redis and the uploads with a manifest and checksums', async () => {
    const backupDir = await folder('backups');
    const res = script('backup', [], envOf(source, backupDir));
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    expect(res.stdout).toMatch(/^step: postgres: pg_dump/m);
    const names = listing(backupDir);
    expect(names).toHaveLength(1);
    expect(names[0]).toMatch(/^\d{8}T\d{6}Z$/);
    const backup = join(backupDir, names[0]!);
    expect(readdirSync(backup).sort()).toEqual([
      'SHA256SUMS',
      'manifest.txt',
      'postgres.dump',
      'redis.rdb',
      'uploads.tar.gz',
    ]);
    expect(readFileSync(join(backup, 'postgres.dump')).subarray(0, 5).toString()).toBe('PGDMP');
    const manifest = readFileSync(join(backup, 'manifest.txt'), 'utf8');
    expect(manifest).toMatch(new RegExp(`^latest_migration ${latestMigration}$`, 'm'));
    // The keys without an expiry: zakpos:ttl has one (it is in the snapshot all the same).
    expect(manifest).toMatch(/^redis_keys 4$/m);
    expect(manifest).toMatch(/^upload_files 3$/m);
    // The superuser's counts: both tenants, whatever row-level security would show one role.
    expect(manifest).toMatch(/^rows tenants 2$/m);
    expect(manifest).toMatch(/^rows stores 3$/m);
    expect(manifest).toMatch(/^rows products [1-9]\d*$/m);
    expect(readFileSync(join(backup, 'SHA256SUMS'), 'utf8')).toMatch(/^[0-9a-f]{64} {2}postgres\.dump$/m);
  });

  it('fails loudly naming the part that failed, and leaves no backup behind', async () => {
    const failed = await folder('failed-backups');
    const res = script('backup', [], { ...envOf(source, failed), UPLOADS_DIR: join(dir, 'missing') });
    expect(res.status).not.toBe(0);
    expect(res.stderr).toMatch(/FAILED: uploads: tar of the uploads directory failed/);
    expect(res.stderr).toMatch(/backup \d{8}T\d{6}Z not written/);
    expect(listing(failed)).toEqual([]);
  });

  it('restores into a fresh stack and verifies it: both tenants under RLS, redis keys, files', async () => {
    const backup = await backupOfSource();
    const target = await stack('target');
    const before = {
      demo: await tenantRows(source.pg, DEMO_TENANT_ID),
      other: await tenantRows(source.pg, otherTenant),
    };
    expect(before.demo.products).toBeGreaterThan(0);
    expect(before.other.stores).toBe(1);

    const res = script('restore', [backup], envOf(target, dirname(backup)));
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    expect(res.stdout).toMatch(/^step: done: restored and verified/m);

    expect(await tenantRows(target.pg, DEMO_TENANT_ID)).toEqual(before.demo);
    expect(await tenantRows(target.pg, otherTenant)).toEqual(before.other);
    // The API can log in: the global login index came back too.
    expect(target.pg.superuser('select count(*) from login_identities')).toBe(
      source.pg.superuser('select count(*) from login_identities'),
    );
    expect(target.redis.cli('GET', 'zakpos:session:1')).toBe('alpha');
    expect(target.redis.cli('HGET', 'bull:receipts:1', 'data')).toBe('{"id":1}');
    expect(target.redis.cli('LRANGE', 'bull:receipts:wait', '0', '-1')).toBe('1\n2\n3');
    expect(target.redis.cli('-n', '1', 'GET', 'zakpos:cache:db1')).toBe('in db 1');
    expect(Number(target.redis.cli('TTL', 'zakpos:ttl'))).toBeGreaterThan(80000);
    for (const [name, content] of Object.entries(uploads))
      expect(readFileSync(join(target.uploads, name)).equals(content), name).toBe(true);

    // And Redis keeps what it was given across its own restart (the AOF base it now loads from).
    target.redis.stop();
    target.redis.start();
    expect(target.redis.cli('GET', 'zakpos:session:1')).toBe('alpha');
  });

  it('refuses a target database that already holds tenants', async () => {
    const backup = await backupOfSource();
    const target = await stack('target');
    target.pg.superuser(
      `insert into tenants (id, name, currency) values (gen_random_uuid(), 'Already here', 'USD')`,
    );

    const res = script('restore', [backup], envOf(target, dirname(backup)));
    expect(res.status).not.toBe(0);
    expect(res.stderr).toMatch(/holds 1 tenants: restore only into a fresh stack/);
    expect(res.stdout).not.toMatch(/pg_restore/);
    expect(target.pg.superuser('select name from tenants')).toBe('Already here');
  });

  it('stops before writing anything when a file is corrupted, naming it', async () => {
    const backup = await backupOfSource();
    const bad = join(await folder('corrupted'), '20990101T000000Z');
    await cp(backup, bad, { recursive: true });
    const dump = readFileSync(join(bad, 'postgres.dump'));
    dump[dump.length >> 1] ^= 0xff;
    writeFileSync(join(bad, 'postgres.dump'), dump);
    const target = await stack('target');
    const tenant = randomUUID();
    target.pg.superuser(`insert into tenants (id, name, currency) values ('${tenant}', 'Kept', 'USD')`);
    target.pg.superuser(
      `insert into stores (tenant_id, id, code, name) values ('${tenant}', gen_random_uuid(), 'MAIN', 'kept as it was')`,
    );
    target.redis.cli('SET', 'zakpos:before-restore', 'kept');

    const res = script('restore', ['--force', bad], envOf(target, dirname(bad)));
    expect(res.status).not.toBe(0);
    expect(res.stderr).toMatch(/checksum mismatch, nothing restored: postgres\.dump: FAILED/);
    expect(res.stdout).not.toMatch(/pg_restore/);
    expect(target.pg.superuser(`select name from stores where code = 'MAIN'`)).toBe('kept as it was');
    expect(target.redis.cli('GET', 'zakpos:before-restore')).toBe('kept');
  });

  it('round-trips an encrypted backup (gpg, symmetric) and refuses a wrong passphrase', async () => {
    const gnupg = await folder('gnupg');
    await chmod(gnupg, 0o700);
    const passphrase = join(dir, `passphrase-${folders}`);
    await writeFile(passphrase, randomBytes(24).toString('base64url'), { mode: 0o600 });
    const gpgEnv = { GNUPGHOME: gnupg, BACKUP_GPG_PASSPHRASE_FILE: passphrase };
    // gpg starts an agent for this GNUPGHOME: stopped after the test like the servers.
    testStops.push(() => {
      spawnSync('gpgconf', ['--kill', 'gpg-agent'], { env: { ...process.env, GNUPGHOME: gnupg } });
    });
    const encDir = await folder('encrypted');

    const res = script('backup', [], { ...envOf(source, encDir), ...gpgEnv });
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    const enc = join(encDir, listing(encDir)[0]!);
    expect(readdirSync(enc).sort()).toEqual([
      'SHA256SUMS',
      'manifest.txt.gpg',
      'postgres.dump.gpg',
      'redis.rdb.gpg',
      'uploads.tar.gz.gpg',
    ]);
    expect(readFileSync(join(enc, 'postgres.dump.gpg')).includes('PGDMP')).toBe(false);

    const target = await stack('target');
    target.redis.cli('SET', 'zakpos:before-restore', 'kept');
    const wrong = join(dir, `wrong-passphrase-${folders}`);
    await writeFile(wrong, 'not the passphrase', { mode: 0o600 });
    const refused = script('restore', [enc], {
      ...envOf(target, encDir),
      ...gpgEnv,
      BACKUP_GPG_PASSPHRASE_FILE: wrong,
    });
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/gpg: decrypting \S+\.gpg failed/);
    expect(target.redis.cli('GET', 'zakpos:before-restore')).toBe('kept');
    expect(target.pg.superuser('select count(*) from tenants')).toBe('0');

    const restored = script('restore', [enc], { ...envOf(target, encDir), ...gpgEnv });
    expect(restored.stderr).toBe('');
    expect(restored.status).toBe(0);
    expect(target.pg.superuser(`select name from stores where code = 'MAIN'`)).toBe('Main street');
    expect(target.redis.cli('EXISTS', 'zakpos:before-restore')).toBe('0');
    expect(target.redis.cli('GET', 'zakpos:session:1')).toBe('alpha');
  });

  it('fails naming the difference when the restored data does not match the manifest', async () => {
    // A backup whose manifest promises one more product than its dump holds (checksums redone to match).
    const backup = await backupOfSource();
    const off = join(await folder('mismatch'), '20990101T000000Z');
    await cp(backup, off, { recursive: true });
    const manifest = readFileSync(join(off, 'manifest.txt'), 'utf8');
    const products = Number(/^rows products (\d+)$/m.exec(manifest)![1]);
    writeFileSync(
      join(off, 'manifest.txt'),
      manifest.replace(/^rows products \d+$/m, `rows products ${products + 1}`),
    );
    run('sh', [
      '-c',
      `cd '${off}' && sha256sum postgres.dump redis.rdb uploads.tar.gz manifest.txt >SHA256SUMS`,
    ]);
    const target = await stack('target');

    const res = script('restore', [off], envOf(target, dirname(off)));
    expect(res.status).not.toBe(0);
    expect(res.stderr).toMatch(
      new RegExp(
        `MISMATCH: rows per table differ: manifest products ${products + 1};restored products ${products};`,
      ),
    );
    expect(res.stderr).toMatch(/FAILED: the restored stack does not match the backup/);
  });

  it('keeps the newest BACKUP_KEEP_COUNT complete backups and removes .partial ones', async () => {
    const retention = await folder('retention');
    const names = ['20260101T000000Z', '20260102T000000Z', '20260103T000000Z', '20260104T000000Z'];
    for (const n of names) {
      await mkdir(join(retention, n), { recursive: true });
      await writeFile(join(retention, n, 'SHA256SUMS'), '');
    }
    await mkdir(join(retention, '20260105T000000Z.partial'));
    const env = { BACKUP_DIR: retention, BACKUP_KEEP_COUNT: '2' };

    const dry = script('cleanup', ['--dry-run'], env);
    expect(dry.status).toBe(0);
    expect(dry.stdout).toMatch(/would remove backup 20260101T000000Z/);
    expect(listing(retention)).toHaveLength(5);

    const res = script('cleanup', [], env);
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    expect(listing(retention)).toEqual(names.slice(2));
    // Age: everything older than a day goes, but never the newest complete backup.
    const aged = script('cleanup', [], { BACKUP_DIR: retention, BACKUP_KEEP_DAYS: '1' });
    expect(aged.status).toBe(0);
    expect(listing(retention)).toEqual([names[3]]);
  });

  it('health: OK for running services, FAIL and non-zero once redis is down', async () => {
    // The built API on a fresh stack's database, probed through API_URL.
    const build = spawnSync('npx', ['tsc', '-b'], { cwd: root, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`build failed:\n${build.stdout}${build.stderr}`);
    const target = await stack('target');
    const port = await freePort();
    const api = spawn('node', [join(root, 'apps/api/dist/main.js')], {
      env: {
        ...process.env,
        DATABASE_URL: target.pg.url('app'),
        JWT_SECRET: randomBytes(32).toString('base64url'),
        PORT: `${port}`,
        HOST: '127.0.0.1',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      // Probed once it logs that it listens: no time budget of its own, the test's timeout is the bound.
      let log = '';
      await new Promise<void>((resolve, reject) => {
        api.stdout!.on('data', (d: Buffer) => {
          log += d.toString();
          if (log.includes('"msg":"Server listening at')) resolve();
        });
        api.once('exit', (code) =>
          reject(new Error(`the API exited with ${code} before listening:\n${log}`)),
        );
      });
      const env = { ...envOf(target, dir), API_URL: `http://127.0.0.1:${port}` };
      const ok = script('health', ['postgres', 'redis', 'api'], env);
      expect(ok.stderr).toBe('');
      expect(ok.status).toBe(0);
      expect(ok.stdout).toMatch(/^postgres +OK /m);
      expect(ok.stdout).toMatch(/^redis +OK +PONG, AOF on/m);
      expect(ok.stdout).toMatch(new RegExp(`^api +OK +GET http://127.0.0.1:${port}/health/ready: 200$`, 'm'));
      const all = script('health', [], env);
      expect(all.status).toBe(0);
      expect(all.stdout).toMatch(/^kafka +SKIP /m);
      expect(all.stdout).toMatch(/^worker +SKIP +skipped \(host mode: no WORKER_URL\)$/m);
      expect(all.stdout).toMatch(/^minio +SKIP +skipped \(host mode: no MINIO_URL\)$/m);

      target.redis.stop();
      const down = script('health', [], env);
      expect(down.status).not.toBe(0);
      expect(down.stdout).toMatch(/^postgres +OK /m);
      expect(down.stdout).toMatch(/^redis +FAIL +PING: /m);
      expect(down.stdout).toMatch(/^api +OK /m);
      expect(down.stderr).toMatch(/unhealthy: redis/);
    } finally {
      api.kill('SIGKILL');
    }
  });

  it('health: MinIO OK by its readiness URL, then FAIL once it is down', async () => {
    const minio = await startTestMinio();
    const env = { ZAKPOS_TARGET: 'host', MINIO_URL: minio.endpoint };
    try {
      const ok = script('health', ['minio'], env);
      expect(ok.status, ok.stdout + ok.stderr).toBe(0);
      expect(ok.stdout).toMatch(
        new RegExp(`^minio +OK +GET ${minio.endpoint}/minio/health/ready: 200$`, 'm'),
      );
    } finally {
      await minio.close();
    }
    const down = script('health', ['minio'], env);
    expect(down.status).toBe(1);
    expect(down.stdout).toMatch(/^minio +FAIL +GET .*\/minio\/health\/ready: no answer$/m);
  });
});
