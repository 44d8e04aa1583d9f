import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readMigrations } from '../db/migrator.js';

/** Migration 0012 on a database with a tenant whose chart 0011 made: it gains the safe and paid-out accounts. */
describe('migration 0012 for existing tenants', () => {
  const database = `zakpos_m12_${randomUUID().slice(0, 8)}`;
  let admin: pg.Client;
  let owner: pg.Client;

  beforeAll(async () => {
    admin = new pg.Client({ connectionString: inject('db').superuserUrl });
    await admin.connect();
    await admin.query(`create database ${database} owner zakpos_owner`);
    const url = new URL(inject('db').ownerUrl);
    url.pathname = `/${database}`;
    owner = new pg.Client({ connectionString: url.toString() });
    await owner.connect();
  });
  afterAll(async () => {
    await owner?.end();
    await admin.query(`drop database if exists ${database} with (force)`);
    await admin.end();
  });

  it('adds cash in safe and cash paid out to every chart, and to the chart of a new tenant', async () => {
    const migrations = await readMigrations();
    const apply = async (sql: string) => {
      await owner.query('begin');
      await owner.query(sql);
      await owner.query('commit');
    };
    for (const m of migrations.filter((m) => m.version < '0012')) await apply(m.sql);
    const [old, fresh] = [randomUUID(), randomUUID()];
    await apply(`select set_config('app.tenant_id', '${old}', true);
      insert into tenants (id, name, currency) values ('${old}', 'Old', 'EUR');
      select app_create_chart_of_accounts('${old}');`);
    await apply(migrations.find((m) => m.version === '0012')!.sql);
    await apply(`select set_config('app.tenant_id', '${fresh}', true);
      insert into tenants (id, name, currency) values ('${fresh}', 'Fresh', 'EUR');
      select app_create_chart_of_accounts('${fresh}');`);

    for (const tenant of [old, fresh]) {
      await owner.query('begin');
      await owner.query(`select set_config('app.tenant_id', $1, true)`, [tenant]);
      const rows = (
        await owner.query<{ code: string; type: string; purpose: string }>(
          `select code, type, purpose from accounts where purpose in ('cash_in_safe', 'cash_paid_out') order by code`,
        )
      ).rows;
      const count = (await owner.query<{ n: number }>('select count(*)::int as n from accounts')).rows[0]!.n;
      await owner.query('commit');
      expect(rows, tenant).toEqual([
        { code: '1005', type: 'asset', purpose: 'cash_in_safe' },
        { code: '5400', type: 'expense', purpose: 'cash_paid_out' },
      ]);
      expect(count).toBe(16);
    }
  });
});
