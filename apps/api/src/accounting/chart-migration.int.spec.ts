import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { useMigrationDatabase } from '../test/migration-database.js';

/**
 * Migration 0011 on a database that already has a tenant with stock (like the demo tenant): the tenant
 * gets the chart, and its stock its opening value, per store, against opening balance equity.
 */
describe('migration 0011 for existing tenants', () => {
  const db = useMigrationDatabase('zakpos_m11');
  const apply = (sql: string) => db.apply(sql);

  it('creates the chart and posts the opening stock value, balanced', async () => {
    await db.migrateBefore('0011');

    const tenant = randomUUID();
    const [s1, s2, s3] = [randomUUID(), randomUUID(), randomUUID()];
    const [each, kg] = [randomUUID(), randomUUID()];
    const tax = randomUUID();
    await apply(`
      select set_config('app.tenant_id', '${tenant}', true);
      insert into tenants (id, name, currency) values ('${tenant}', 'Demo', 'EUR');
      insert into stores (tenant_id, id, code, name) values
        ('${tenant}', '${s1}', 'S1', 'One'), ('${tenant}', '${s2}', 'S2', 'Two'), ('${tenant}', '${s3}', 'S3', 'Three');
      insert into tax_categories (tenant_id, id, name) values ('${tenant}', '${tax}', 'VAT');
      insert into products (tenant_id, id, sku, name, price, cost, tax_category_id, unit) values
        ('${tenant}', '${each}', 'E', 'Each', 100, 250, '${tax}', 'each'),
        ('${tenant}', '${kg}', 'K', 'Kilo', 100, 333, '${tax}', 'kg');
      insert into stock_movements (tenant_id, id, store_id, product_id, quantity, reason, reason_code) values
        ('${tenant}', gen_random_uuid(), '${s1}', '${each}', 4000, 'adjustment', 'received'),
        ('${tenant}', gen_random_uuid(), '${s1}', '${kg}', 1234, 'adjustment', 'received'),
        ('${tenant}', gen_random_uuid(), '${s2}', '${each}', -2000, 'adjustment', 'damaged'),
        ('${tenant}', gen_random_uuid(), '${s3}', '${kg}', 1, 'adjustment', 'received');`);
    const empty = randomUUID();
    await apply(`select set_config('app.tenant_id', '${empty}', true);
      insert into tenants (id, name, currency) values ('${empty}', 'Empty', 'EUR');`);

    await db.migrate('0011');

    const superuserUrl = new URL(inject('db').superuserUrl);
    superuserUrl.pathname = `/${db.name}`;
    const su = new pg.Client({ connectionString: superuserUrl.toString() });
    await su.connect();
    try {
      const charts = await su.query<{ tenant_id: string; n: number }>(
        'select tenant_id, count(*)::int as n from accounts group by tenant_id order by tenant_id',
      );
      expect(Object.fromEntries(charts.rows.map((r) => [r.tenant_id, r.n]))).toEqual({
        [tenant]: 14,
        [empty]: 14,
      });
      const lines = await su.query(
        `select a.purpose, l.store_id as "storeId", l.debit::int, l.credit::int, e.source_type as "sourceType"
           from journal_lines l
           join journal_entries e on e.tenant_id = l.tenant_id and e.id = l.entry_id
           join accounts a on a.tenant_id = l.tenant_id and a.id = l.account_id
          where l.tenant_id = $1 order by l.line_no`,
        [tenant],
      );
      // S1: 4 × 250 + round(1.234 × 333 = 410.922) = 1411; S2: −2 × 250 = −500; S3: round(0.333) = 0, no line.
      const byStore = [
        { storeId: s1, debit: 1411, credit: 0 },
        { storeId: s2, debit: 0, credit: 500 },
      ].sort((x, y) => (x.storeId < y.storeId ? -1 : 1));
      expect(lines.rows).toEqual([
        ...byStore.map((l) => ({ purpose: 'inventory', sourceType: 'opening_balance', ...l })),
        { purpose: 'opening_equity', storeId: null, debit: 0, credit: 911, sourceType: 'opening_balance' },
      ]);
      expect(
        (await su.query('select count(*)::int as n from journal_entries where tenant_id = $1', [empty]))
          .rows[0].n,
      ).toBe(0);
      const forced = await su.query(
        `select relforcerowsecurity as f from pg_class where relname = 'tenants'`,
      );
      expect(forced.rows[0].f).toBe(true);
    } finally {
      await su.end();
    }
  });
});
