import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useMigrationDatabase } from '../test/migration-database.js';

/** Migration 0012 on a database with a tenant whose chart 0011 made: it gains the safe and paid-out accounts. */
describe('migration 0012 for existing tenants', () => {
  const db = useMigrationDatabase('zakpos_m12');
  const apply = (sql: string) => db.apply(sql);

  it('adds cash in safe and cash paid out to every chart, and to the chart of a new tenant', async () => {
    await db.migrateBefore('0012');
    const [old, fresh] = [randomUUID(), randomUUID()];
    await apply(`select set_config('app.tenant_id', '${old}', true);
      insert into tenants (id, name, currency) values ('${old}', 'Old', 'EUR');
      select app_create_chart_of_accounts('${old}');`);
    await db.migrate('0012');
    await apply(`select set_config('app.tenant_id', '${fresh}', true);
      insert into tenants (id, name, currency) values ('${fresh}', 'Fresh', 'EUR');
      select app_create_chart_of_accounts('${fresh}');`);

    for (const tenant of [old, fresh]) {
      await db.owner.query('begin');
      await db.owner.query(`select set_config('app.tenant_id', $1, true)`, [tenant]);
      const rows = (
        await db.owner.query<{ code: string; type: string; purpose: string }>(
          `select code, type, purpose from accounts where purpose in ('cash_in_safe', 'cash_paid_out') order by code`,
        )
      ).rows;
      const count = (await db.owner.query<{ n: number }>('select count(*)::int as n from accounts')).rows[0]!
        .n;
      await db.owner.query('commit');
      expect(rows, tenant).toEqual([
        { code: '1005', type: 'asset', purpose: 'cash_in_safe' },
        { code: '5400', type: 'expense', purpose: 'cash_paid_out' },
      ]);
      expect(count).toBe(16);
    }
  });
});
