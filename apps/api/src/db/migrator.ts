import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

/** apps/api/migrations, from both src/db and dist/db. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));

export interface MigrationFile {
  version: string;
  name: string;
  sql: string;
  checksum: string;
}

export async function readMigrations(dir = MIGRATIONS_DIR): Promise<MigrationFile[]> {
  const names = (await readdir(dir)).filter((n) => /^\d{4}_[a-z0-9_]+\.sql$/.test(n)).sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(`${dir}/${name}`, 'utf8');
      return {
        version: name.slice(0, 4),
        name,
        sql,
        checksum: createHash('sha256').update(sql).digest('hex'),
      };
    }),
  );
}

const LOCK_KEY = 7_220_001; // advisory lock: one migrator at a time

/**
 * Connection errors of a server that is not accepting connections yet: nothing listens, its host name is not
 * in DNS yet (a container being started), it is starting up (57P03).
 */
const NOT_UP_YET = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', '57P03']);

/**
 * A connected client; while `waitMs` lasts, a server that is not up yet is retried. Every other error (a wrong
 * password, a missing database) fails at once: waiting would not mend it.
 */
async function connectWhenUp(url: string, waitMs: number, log: (line: string) => void) {
  const deadline = Date.now() + waitMs;
  for (let attempt = 1; ; attempt++) {
    const client = new pg.Client({ connectionString: url, application_name: 'zakpos-migrate' });
    try {
      await client.connect();
      return client;
    } catch (err) {
      await client.end().catch(() => {});
      const code = (err as { code?: string }).code;
      if (code === undefined || !NOT_UP_YET.has(code) || Date.now() >= deadline) throw err;
      log(`database not accepting connections yet (${code}); retrying`);
      await new Promise((resolve) => setTimeout(resolve, Math.min(2_000, 200 * attempt)));
    }
  }
}

/**
 * Applies pending migrations in order, each in its own transaction, as the owner role.
 * Refuses to run when an applied migration's file has changed since.
 * `waitMs`: how long a server that is not up yet is waited for (the Compose migrate step, which a whole-stack
 * restart starts beside PostgreSQL); 0 fails on the first refused connection.
 */
export async function migrate(
  ownerUrl: string,
  log: (line: string) => void = () => {},
  { waitMs = 0 }: { waitMs?: number } = {},
): Promise<{ applied: string[] }> {
  const client = await connectWhenUp(ownerUrl, waitMs, log);
  try {
    await client.query('select pg_advisory_lock($1)', [LOCK_KEY]);
    await client.query(`create table if not exists schema_migrations (
      version text primary key,
      name text not null,
      checksum text not null,
      applied_at timestamptz not null default now()
    )`);
    await client.query('grant select on schema_migrations to zakpos_app');
    const done = new Map(
      (
        await client.query<{ version: string; checksum: string }>(
          'select version, checksum from schema_migrations',
        )
      ).rows.map((r) => [r.version, r.checksum]),
    );
    const applied: string[] = [];
    for (const m of await readMigrations()) {
      const prior = done.get(m.version);
      if (prior !== undefined) {
        if (prior !== m.checksum) throw new Error(`migration ${m.name} was changed after it was applied`);
        continue;
      }
      log(`applying ${m.name}`);
      await client.query('begin');
      try {
        await client.query(m.sql);
        await client.query('insert into schema_migrations (version, name, checksum) values ($1, $2, $3)', [
          m.version,
          m.name,
          m.checksum,
        ]);
        await client.query('commit');
      } catch (err) {
        await client.query('rollback');
        throw new Error(`migration ${m.name} failed: ${(err as Error).message}`, { cause: err });
      }
      applied.push(m.name);
    }
    return { applied };
  } finally {
    await client.end();
  }
}

/** Versions present on disk but not applied: the readiness check reports them. */
export async function pendingMigrations(
  query: (sql: string) => Promise<{ version: string }[]>,
): Promise<string[]> {
  const applied = new Set((await query('select version from schema_migrations')).map((r) => r.version));
  return (await readMigrations()).filter((m) => !applied.has(m.version)).map((m) => m.name);
}
