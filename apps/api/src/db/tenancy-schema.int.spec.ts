import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

/**
 * Structural rules every tenant-owned table must follow, checked from the catalog so that a new
 * table cannot slip through: RLS enabled and forced, a policy on app.tenant_id, keys that start
 * with tenant_id, and foreign keys between tenant tables that include it.
 */
describe('tenant tables', () => {
  let su: pg.Client;
  let tenantTables: string[];

  beforeAll(async () => {
    su = new pg.Client({ connectionString: inject('db').superuserUrl });
    await su.connect();
    const res = await su.query<{ table_name: string }>(
      `select c.table_name from information_schema.columns c
         join information_schema.tables t using (table_schema, table_name)
        where c.table_schema = 'public' and c.column_name = 'tenant_id' and t.table_type = 'BASE TABLE'
        order by 1`,
    );
    tenantTables = res.rows.map((r) => r.table_name).filter((t) => t !== 'login_identities');
  });
  afterAll(() => su.end());

  it('exist', () => {
    expect(tenantTables).toEqual(
      expect.arrayContaining(['stores', 'registers', 'users', 'audit_log', 'products']),
    );
  });

  it('have row-level security enabled and forced, with a policy on app.tenant_id', async () => {
    const res = await su.query<{
      relname: string;
      relrowsecurity: boolean;
      relforcerowsecurity: boolean;
      policies: string[];
    }>(
      `select c.relname, c.relrowsecurity, c.relforcerowsecurity,
              coalesce(array_agg(pg_get_expr(p.polqual, p.polrelid)) filter (where p.polname is not null), '{}') as policies
         from pg_class c
         -- The doors (0021, 0022, 0024): policies for the owner's SECURITY DEFINER functions only, checked below.
         left join pg_policy p on p.polrelid = c.oid and p.polname not like '%\\_door'
        where c.relname = any($1) and c.relnamespace = 'public'::regnamespace
        group by c.relname, c.relrowsecurity, c.relforcerowsecurity`,
      [[...tenantTables, 'tenants']],
    );
    expect(res.rows).toHaveLength(tenantTables.length + 1);
    for (const row of res.rows) {
      expect({ table: row.relname, rls: row.relrowsecurity, forced: row.relforcerowsecurity }).toEqual({
        table: row.relname,
        rls: true,
        forced: true,
      });
      expect(row.policies.length, `${row.relname} has a policy`).toBeGreaterThan(0);
      for (const q of row.policies)
        expect(q, `${row.relname} policy`).toContain("current_setting('app.tenant_id'");
    }
  });

  it("open no door across tenants but the relay's and the housekeeping's, each to the schema owner only", async () => {
    const res = await su.query<{
      table: string;
      name: string;
      command: string;
      roles: string[];
      owner: string;
    }>(
      `select c.relname as table, p.polname as name, p.polcmd as command, c.relowner::regrole::text as owner,
              array(select r::regrole::text from unnest(p.polroles) r) as roles
         from pg_policy p join pg_class c on c.oid = p.polrelid
        where pg_get_expr(p.polqual, p.polrelid) not like '%current_setting(''app.tenant_id''%'
           or p.polname <> 'tenant_isolation'
        order by 1, 2`,
    );
    expect(res.rows.map(({ table, name, command }) => ({ table, name, command }))).toEqual([
      { table: 'outbox', name: 'relay_door', command: '*' },
      { table: 'processed_events', name: 'housekeeping_door', command: '*' },
      { table: 'refresh_tokens', name: 'housekeeping_door', command: '*' },
      { table: 'report_exports', name: 'housekeeping_door', command: '*' },
    ]);
    const appRole = new URL(inject('db').appUrl).username;
    for (const row of res.rows) {
      expect(row.roles, `${row.table} ${row.name}`).toEqual([row.owner]);
      expect(row.owner).not.toBe(appRole);
    }
  });

  it('have primary keys and unique constraints that start with tenant_id', async () => {
    const res = await su.query<{ table: string; name: string; first: string }>(
      `select c.conrelid::regclass::text as table, c.conname as name, a.attname as first
         from pg_constraint c join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
        where c.contype in ('p', 'u') and c.conrelid::regclass::text = any($1)`,
      [tenantTables],
    );
    const tablesWithPk = new Set(res.rows.map((r) => r.table));
    for (const t of tenantTables) expect(tablesWithPk.has(t), `${t} has a primary key`).toBe(true);
    for (const row of res.rows)
      expect(`${row.table}.${row.name}: ${row.first}`).toBe(`${row.table}.${row.name}: tenant_id`);
  });

  it('reference other tenant tables only through keys that include tenant_id', async () => {
    const res = await su.query<{ table: string; name: string; cols: string[]; ref: string }>(
      `select c.conrelid::regclass::text as table, c.conname as name, c.confrelid::regclass::text as ref,
              array(select attname from pg_attribute where attrelid = c.conrelid and attnum = any(c.conkey)) as cols
         from pg_constraint c
        where c.contype = 'f' and c.conrelid::regclass::text = any($1)`,
      [tenantTables],
    );
    for (const fk of res.rows) {
      if (fk.ref === 'tenants') continue; // the tenant itself
      expect(fk.cols, `${fk.table}.${fk.name} → ${fk.ref}`).toContain('tenant_id');
    }
  });
});
