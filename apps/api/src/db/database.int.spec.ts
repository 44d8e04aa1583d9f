import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Database } from './database.js';

describe('Database', () => {
  const applicationName = `zakpos-test-${randomUUID().slice(0, 8)}`;
  const lost: Error[] = [];
  let db: Database;
  let su: pg.Client;

  beforeAll(async () => {
    db = new Database(inject('db').appUrl, {
      poolMax: 2,
      applicationName,
      onConnectionError: (e) => lost.push(e),
    });
    su = new pg.Client({ connectionString: inject('db').superuserUrl });
    await su.connect();
  });
  afterAll(async () => {
    await db.close();
    await su.end();
  });

  const terminate = () =>
    su.query('select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1', [
      applicationName,
    ]);

  it('sets the tenant for the transaction only', async () => {
    const tenantId = randomUUID();
    const seen = await db.tenant(
      { tenantId },
      async (tx) =>
        (await sql<{ t: string }>`select current_setting('app.tenant_id', true) as t`.execute(tx)).rows[0]?.t,
    );
    expect(seen).toBe(tenantId);
    const after = await db.anonymous(
      async (tx) =>
        (await sql<{ t: string | null }>`select current_setting('app.tenant_id', true) as t`.execute(tx))
          .rows[0]?.t,
    );
    expect(after || null).toBeNull();
  });

  it('survives the server dropping an idle connection, and reconnects', async () => {
    await db.anonymous((tx) => sql`select 1`.execute(tx));
    await terminate();
    await new Promise((r) => setTimeout(r, 100));
    expect(lost.length).toBeGreaterThan(0);
    const res = await db.anonymous((tx) => sql<{ one: number }>`select 1 as one`.execute(tx));
    expect(res.rows[0]?.one).toBe(1);
  });

  it('survives the server dropping a connection mid-transaction: that work fails, the next succeeds', async () => {
    const work = db.anonymous(async (tx) => {
      await terminate();
      return sql`select pg_sleep(0.5)`.execute(tx);
    });
    await expect(work).rejects.toThrow();
    const res = await db.anonymous((tx) => sql<{ one: number }>`select 1 as one`.execute(tx));
    expect(res.rows[0]?.one).toBe(1);
  });
});
