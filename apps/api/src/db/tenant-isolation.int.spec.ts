import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTenant, type TestTenant } from '../test/fixtures.js';
import { populateTenant, tenantColumn, tenantTables } from '../test/tenant-scenario.js';
import { createTestApp } from '../test/test-app.js';

/**
 * Row-level security, proven with raw SQL as the API's own role: with tenant A's context, tenant B's
 * rows cannot be read, changed, deleted or forged, in EVERY tenant table (read from the catalog, so a
 * new table is covered the day it is added); with no context nothing is visible at all.
 */
describe('tenant isolation in the database', () => {
  let app: NestFastifyApplication;
  let su: pg.Client;
  let db: pg.Client;
  let a: TestTenant;
  let b: TestTenant;
  let tables: string[];

  beforeAll(async () => {
    app = await createTestApp();
    [a, b] = await Promise.all([createTenant(app), createTenant(app)]);
    await populateTenant(app, a);
    await populateTenant(app, b);
    su = new pg.Client({ connectionString: inject('db').superuserUrl });
    db = new pg.Client({ connectionString: inject('db').appUrl });
    await Promise.all([su.connect(), db.connect()]);
    tables = await tenantTables(su);
  });
  afterAll(async () => {
    await Promise.all([su?.end(), db?.end()]);
    await app?.close();
  });

  /** Runs one statement in a savepoint; returns the rows touched, or the SQLSTATE it failed with. */
  async function attempt(sql: string, params: unknown[]): Promise<number | string> {
    await db.query('savepoint s');
    try {
      const res = await db.query(sql, params);
      await db.query('release savepoint s');
      return res.rowCount ?? 0;
    } catch (err) {
      await db.query('rollback to savepoint s');
      return (err as { code: string }).code;
    }
  }

  it('tenant B has rows in every tenant table (so the checks below are not vacuous)', async () => {
    for (const table of tables) {
      const res = await su.query(
        `select count(*)::int as n from ${table} where ${tenantColumn(table)} = $1`,
        [b.tenantId],
      );
      expect(res.rows[0].n, `no rows of tenant B in ${table}: extend populateTenant()`).toBeGreaterThan(0);
    }
  });

  it("as tenant A: B's rows are invisible, cannot be updated or deleted, and cannot be inserted", async () => {
    for (const table of tables) {
      const col = tenantColumn(table);
      const row = (
        await su.query(`select row_to_json(x) as r from ${table} x where ${col} = $1 limit 1`, [b.tenantId])
      ).rows[0].r;
      await db.query('begin');
      try {
        await db.query("select set_config('app.tenant_id', $1, true)", [a.tenantId]);
        const own = await db.query(`select count(*)::int as n from ${table}`);
        expect(own.rows[0].n, `${table}: A sees its own rows`).toBeGreaterThan(0);
        const seen = await db.query(`select count(*)::int as n from ${table} where ${col} = $1`, [
          b.tenantId,
        ]);
        expect(seen.rows[0].n, `${table}: select`).toBe(0);
        // Zero rows touched, or refused outright where the role has no such grant (append-only tables).
        const updated = await attempt(`update ${table} set ${col} = ${col} where ${col} = $1`, [b.tenantId]);
        expect([0, '42501'], `${table}: update → ${updated}`).toContain(updated);
        const deleted = await attempt(`delete from ${table} where ${col} = $1`, [b.tenantId]);
        expect([0, '42501'], `${table}: delete → ${deleted}`).toContain(deleted);
        const inserted = await attempt(
          `insert into ${table} overriding system value select * from json_populate_record(null::${table}, $1)`,
          [row],
        );
        expect(inserted, `${table}: insert of B's row`).toBe('42501');
      } finally {
        await db.query('rollback');
      }
    }
    const still = await su.query('select count(*)::int as n from stores where tenant_id = $1', [b.tenantId]);
    expect(still.rows[0].n).toBe(2);
  });

  it('with no tenant context, nothing is visible and nothing can be written', async () => {
    for (const table of tables) {
      await db.query('begin');
      try {
        const res = await db.query(`select count(*)::int as n from ${table}`);
        expect(res.rows[0].n, table).toBe(0);
        const row = (await su.query(`select row_to_json(x) as r from ${table} x limit 1`)).rows[0].r;
        const inserted = await attempt(
          `insert into ${table} overriding system value select * from json_populate_record(null::${table}, $1)`,
          [row],
        );
        expect(inserted, `${table}: insert without context`).toBe('42501');
      } finally {
        await db.query('rollback');
      }
    }
  });
});
