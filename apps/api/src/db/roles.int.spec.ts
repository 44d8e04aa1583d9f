import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

describe('database roles', () => {
  let app: pg.Client;
  beforeAll(async () => {
    app = new pg.Client({ connectionString: inject('db').appUrl });
    await app.connect();
  });
  afterAll(() => app.end());

  it('the API role is neither superuser nor RLS-bypassing nor owner of any table', async () => {
    const role = await app.query(
      'select rolsuper, rolbypassrls, rolcreaterole, rolcreatedb from pg_roles where rolname = current_user',
    );
    expect(role.rows[0]).toEqual({
      rolsuper: false,
      rolbypassrls: false,
      rolcreaterole: false,
      rolcreatedb: false,
    });
    const owned = await app.query(
      "select count(*)::int as n from pg_tables where schemaname = 'public' and tableowner = current_user",
    );
    expect(owned.rows[0].n).toBe(0);
  });

  it('the API role cannot read the global login index directly', async () => {
    await expect(app.query('select * from login_identities')).rejects.toThrow(/permission denied/);
  });

  it('the API role cannot change the schema', async () => {
    await expect(app.query('create table intruder (id int)')).rejects.toThrow(/permission denied/);
  });
});
