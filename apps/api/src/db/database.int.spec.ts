import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { afterCommit, Database, sumInt8, UNIT_ATTEMPTS } from './database.js';

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

  describe('units of work', () => {
    const tenantId = randomUUID();
    const storeIds = [randomUUID(), randomUUID()];
    const scope = { tenantId };

    beforeAll(async () => {
      await db.tenant(scope, async (tx) => {
        await tx.insertInto('tenants').values({ id: tenantId, name: 'Units', currency: 'EUR' }).execute();
        await tx
          .insertInto('stores')
          .values(storeIds.map((id, i) => ({ tenant_id: tenantId, id, code: `U${i}`, name: `U${i}` })))
          .execute();
      });
    });

    const storeName = (tx: Parameters<Parameters<Database['tenant']>[1]>[0], id: string) =>
      tx.selectFrom('stores').select('name').where('tenant_id', '=', tenantId).where('id', '=', id);

    it('refuses a unit opened inside another one, tenant or anonymous, and rolls the outer one back', async () => {
      const nested = db.tenant(scope, async (tx) => {
        await tx.updateTable('stores').set({ name: 'renamed' }).where('id', '=', storeIds[0]!).execute();
        return db.tenant(scope, async () => 'inner');
      });
      await expect(nested).rejects.toThrow(/unit of work was opened inside another one/);
      await expect(db.tenant(scope, () => db.anonymous(async () => 1))).rejects.toThrow(/inside another one/);
      const name = await db.tenant(scope, (tx) => storeName(tx, storeIds[0]!).executeTakeFirstOrThrow());
      expect(name.name).toBe('U0');
    });

    it('lets independent units run side by side (no false nesting alarm)', async () => {
      const names = await Promise.all(
        storeIds.map((id) => db.tenant(scope, (tx) => storeName(tx, id).executeTakeFirstOrThrow())),
      );
      expect(names.map((n) => n.name)).toEqual(['U0', 'U1']);
    });

    it('retries a deadlock inside the unit: both writers succeed, one of them ran twice', async () => {
      const attempts = [0, 0];
      let bothLocked!: () => void;
      const firstLocks = new Promise<void>((resolve) => {
        let n = 0;
        bothLocked = () => ++n === 2 && resolve();
      });
      const writer = (i: number) =>
        db.tenant(scope, async (tx) => {
          attempts[i]!++;
          const [a, b] = i === 0 ? storeIds : [...storeIds].reverse();
          await tx
            .updateTable('stores')
            .set({ name: `w${i}` })
            .where('id', '=', a!)
            .execute();
          if (attempts[i] === 1) {
            bothLocked();
            await firstLocks;
          }
          await tx
            .updateTable('stores')
            .set({ name: `w${i}` })
            .where('id', '=', b!)
            .execute();
          return i;
        });
      // Own pool: two connections, so both first attempts hold one lock each and deadlock for sure.
      expect(await Promise.all([writer(0), writer(1)])).toEqual([0, 1]);
      expect(attempts[0]! + attempts[1]!).toBe(3);
    });

    it('gives up after a bounded number of attempts, with the database error', async () => {
      let attempts = 0;
      const always = db.tenant(scope, async (tx) => {
        attempts++;
        await sql`do $$ begin raise exception 'conflict' using errcode = '40001'; end $$`.execute(tx);
      });
      await expect(always).rejects.toMatchObject({ code: '40001' });
      expect(attempts).toBe(UNIT_ATTEMPTS);
    });

    it('does not retry other errors', async () => {
      let attempts = 0;
      const failing = db.tenant(scope, async (tx) => {
        attempts++;
        await sql`select 1/0`.execute(tx);
      });
      await expect(failing).rejects.toMatchObject({ code: '22012' });
      expect(attempts).toBe(1);
    });

    it('runs after-commit hooks once, after the commit, outside the unit; never for a rolled-back attempt', async () => {
      const seen: string[] = [];
      let attempts = 0;
      await db.tenant(scope, async (tx) => {
        attempts++;
        afterCommit(tx, async () => {
          // Outside the unit: the committed name is visible from a new unit, which may be opened here.
          const row = await db.tenant(scope, (t) => storeName(t, storeIds[1]!).executeTakeFirstOrThrow());
          seen.push(`attempt ${attempts}: ${row.name}`);
        });
        await tx.updateTable('stores').set({ name: 'committed' }).where('id', '=', storeIds[1]!).execute();
        if (attempts === 1) {
          await sql`do $$ begin raise exception 'conflict' using errcode = '40P01'; end $$`.execute(tx);
        }
        expect(seen).toEqual([]);
      });
      expect(seen).toEqual(['attempt 2: committed']);

      const rolledBack = db.tenant(scope, async (tx) => {
        afterCommit(tx, () => seen.push('must not run'));
        throw new Error('no');
      });
      await expect(rolledBack).rejects.toThrow('no');
      expect(seen).toEqual(['attempt 2: committed']);
    });

    it('reports a failing after-commit hook without failing the committed unit', async () => {
      const reported: unknown[] = [];
      const local = new Database(inject('db').appUrl, {
        poolMax: 1,
        onAfterCommitError: (e) => reported.push(e),
      });
      try {
        const result = await local.tenant(scope, async (tx) => {
          afterCommit(tx, () => {
            throw new Error('hook failed');
          });
          return 'done';
        });
        expect(result).toBe('done');
        expect(reported).toEqual([new Error('hook failed')]);
      } finally {
        await local.close();
      }
    });

    it('sets tenant and actor with BEGIN itself, inlining nothing but UUIDs', async () => {
      // The settings are in force from the first statement: no separate set_config round trip.
      const seen = await db.tenant(
        { tenantId, userId: storeIds[0]! },
        async (tx) =>
          (
            await sql<{
              t: string;
              u: string;
            }>`select current_setting('app.tenant_id') as t, current_setting('app.user_id') as u`.execute(tx)
          ).rows[0],
      );
      expect(seen).toEqual({ t: tenantId, u: storeIds[0] });
      await expect(db.tenant({ tenantId: "x'; drop table stores; --" }, async () => 1)).rejects.toThrow(
        /UUID/,
      );
    });
  });

  describe('checkSession', () => {
    it('passes a current session and refuses a bumped one in one round trip, leaving no setting behind', async () => {
      const tenantId = randomUUID();
      const userId = randomUUID();
      await db.tenant({ tenantId }, async (tx) => {
        await tx.insertInto('tenants').values({ id: tenantId, name: 'Checks', currency: 'EUR' }).execute();
        await tx
          .insertInto('users')
          .values({
            tenant_id: tenantId,
            id: userId,
            email: `check-${userId}@example.test`,
            name: 'Check',
            role: 'cashier',
            password_hash: 'not a hash: never logs in',
          })
          .execute();
      });
      // One connection: the next query sees whatever the check left on it.
      const one = new Database(inject('db').appUrl, { poolMax: 1 });
      try {
        await one.checkSession({ tenantId, userId, sessionVersion: 1 });
        await expect(one.checkSession({ tenantId, userId, sessionVersion: 2 })).rejects.toMatchObject({
          code: 'ZA001',
        });
        await expect(
          one.checkSession({ tenantId, userId: randomUUID(), sessionVersion: 1 }),
        ).rejects.toMatchObject({ code: 'ZA001' });
        const left = await one.pool.query<{ t: string | null; open: string }>(
          `select nullif(current_setting('app.tenant_id', true), '') as t, pg_current_xact_id_if_assigned()::text as open`,
        );
        expect(left.rows[0]).toEqual({ t: null, open: null });
        await expect(one.checkSession({ tenantId })).rejects.toThrow(/request scope/);
      } finally {
        await one.close();
      }
    });
  });

  describe('types', () => {
    it('reads int8 as a safe number on its own pool, leaving pg global parsers alone', async () => {
      const n = await db.anonymous(
        async (tx) => (await sql<{ n: number }>`select 9007199254740991::int8 as n`.execute(tx)).rows[0]!.n,
      );
      expect(n).toBe(Number.MAX_SAFE_INTEGER);
      const plain = await su.query('select 42::int8 as n');
      expect(plain.rows[0].n).toBe('42');
      await expect(db.anonymous((tx) => sql`select 9007199254740993::int8 as n`.execute(tx))).rejects.toThrow(
        /safe integer range/,
      );
    });

    it('reads a date as its yyyy-mm-dd text, whatever the session or process time zone', async () => {
      const day = await db.anonymous(async (tx) => {
        await sql`set local time zone 'Pacific/Kiritimati'`.execute(tx);
        return (await sql<{ d: unknown }>`select '2026-03-01'::date as d`.execute(tx)).rows[0]!.d;
      });
      expect(day).toBe('2026-03-01');
    });

    it('sums int8 columns to an int8 number, 0 over no rows', async () => {
      const [some, none] = await db.anonymous(async (tx) => [
        (
          await tx
            .selectFrom(
              sql<{ q: number }>`(select 4000000000::int8 as q union all select 5000000000::int8)`.as('v'),
            )
            .select(sumInt8('v.q').as('total'))
            .executeTakeFirstOrThrow()
        ).total,
        (
          await tx
            .selectFrom(sql<{ q: number }>`(select 1::int8 as q where false)`.as('v'))
            .select(sumInt8('v.q').as('total'))
            .executeTakeFirstOrThrow()
        ).total,
      ]);
      expect(some).toBe(9_000_000_000);
      expect(none).toBe(0);
    });
  });

  describe('statement reuse', () => {
    it('prepares each parameterised statement once per connection and reuses it', async () => {
      const local = new Database(inject('db').appUrl, { poolMax: 1 });
      try {
        for (let i = 0; i < 3; i++) {
          await local.anonymous((tx) => sql`select ${i}::int as i, 'reuse-probe' as tag`.execute(tx));
        }
        const prepared = await local.anonymous((tx) =>
          sql<{
            n: number;
          }>`select count(*)::int as n from pg_prepared_statements where statement like '%reuse-probe%'`.execute(
            tx,
          ),
        );
        expect(prepared.rows[0]!.n).toBe(1);
      } finally {
        await local.close();
      }
    });

    it('recovers when a migration changes what a prepared select returns', async () => {
      const local = new Database(inject('db').appUrl, { poolMax: 1 });
      const table = `reuse_${randomUUID().slice(0, 8)}`;
      await su.query(`create table ${table} (id int primary key); grant select on ${table} to public`);
      try {
        const read = () =>
          local.anonymous(
            async (tx) => (await sql`select * from ${sql.table(table)} where id > ${0}`.execute(tx)).rows,
          );
        await su.query(`insert into ${table} values (1)`);
        expect(await read()).toEqual([{ id: 1 }]);
        await su.query(`alter table ${table} add column note text default 'n'`);
        expect(await read()).toEqual([{ id: 1, note: 'n' }]);
      } finally {
        await local.close();
        await su.query(`drop table ${table}`);
      }
    });
  });
});
