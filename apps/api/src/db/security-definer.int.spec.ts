import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { useApiHarness } from '../test/api-harness.js';
import { createTenant, type TestTenant } from '../test/fixtures.js';

const TEMP_ROLE = 'zakpos_app_with_temp';

/**
 * The SECURITY DEFINER functions run as the schema owner. PostgreSQL searches the session's temporary
 * schema first unless the search path names pg_temp, so wherever the API role may create temporary
 * objects (PostgreSQL's default for PUBLIC), a temporary table or type of a name a definer uses
 * unqualified would run the role's code as the owner. The attacker here is the API role plus TEMP
 * (a role in zakpos_app, so the API role itself stays as the other test files expect): its code copies
 * every tenant's login_identities into a temporary table it can read.
 */
describe('SECURITY DEFINER functions under a role that may create temporary objects', () => {
  const api = useApiHarness();
  let attacker: pg.Client;
  let t: TestTenant;
  let other: TestTenant;
  let productId: string;

  beforeAll(async () => {
    const appUrl = new URL(inject('db').appUrl);
    const database = appUrl.pathname.slice(1);
    const password = randomBytes(18).toString('base64url');
    await api.su.query(`drop role if exists ${TEMP_ROLE}`);
    await api.su.query(`create role ${TEMP_ROLE} login password '${password}' in role ${appUrl.username}`);
    await api.su.query(`grant temporary on database ${database} to ${TEMP_ROLE}`);
    const url = new URL(appUrl);
    url.username = TEMP_ROLE;
    url.password = password;
    attacker = new pg.Client({ connectionString: url.toString() });
    await attacker.connect();

    [t, other] = await Promise.all([createTenant(api.app), createTenant(api.app)]);
    const tax = await api.call(t, 'owner', 'POST', '/tax-categories', {
      name: 'Standard',
      rates: [{ name: 'VAT', rateBp: 2000 }],
    });
    const product = await api.call(t, 'owner', 'POST', '/products', {
      sku: 'SHADOW-1',
      name: 'Shadow',
      price: 100,
      taxCategoryId: tax.json().id,
    });
    expect(product.statusCode).toBe(201);
    productId = product.json().id;
  });
  afterAll(async () => {
    await attacker?.end();
    const database = new URL(inject('db').appUrl).pathname.slice(1);
    await api.su.query(`revoke temporary on database ${database} from ${TEMP_ROLE}`);
    await api.su.query(`drop role if exists ${TEMP_ROLE}`);
  });

  /** In the attacker's open transaction: a temporary table `loot`, filled by pg_temp.steal() as whoever runs it. */
  /** A temporary citext domain whose check runs the attacker's code. */
  async function shadowCitext(): Promise<void> {
    await prepareLoot();
    await attacker.query(`create function pg_temp.steal_check(text) returns boolean language plpgsql as $$
        begin perform pg_temp.steal(); return true; end $$`);
    await attacker.query('create domain pg_temp.citext as text check (pg_temp.steal_check(value))');
  }

  async function prepareLoot(): Promise<void> {
    await attacker.query(`select set_config('app.tenant_id', $1, true)`, [t.tenantId]);
    await attacker.query('create temp table loot (email text, tenant_id uuid) on commit drop');
    await attacker.query('grant all on pg_temp.loot to public');
    await attacker.query(`create function pg_temp.steal() returns void language plpgsql as $$
      begin insert into pg_temp.loot select email::text, tenant_id from public.login_identities; end $$`);
  }
  const stolenTenants = async () =>
    (await attacker.query<{ tenant_id: string }>('select distinct tenant_id from pg_temp.loot')).rows.map(
      (r) => r.tenant_id,
    );

  it('the attacker may create temporary objects (the premise of the other tests)', async () => {
    const { rows } = await attacker.query(
      `select has_database_privilege(current_database(), 'TEMP') as temp, current_user as name`,
    );
    expect(rows[0]).toEqual({ temp: true, name: TEMP_ROLE });
  });

  it('a temporary stock_levels table does not capture a movement, nor run code as the owner', async () => {
    await attacker.query('begin');
    try {
      await prepareLoot();
      await attacker.query(`create function pg_temp.steal_row() returns trigger language plpgsql as $$
        begin perform pg_temp.steal(); return null; end $$`);
      await attacker.query(`create temp table stock_levels (
        tenant_id uuid, store_id uuid, product_id uuid, on_hand bigint, updated_at timestamptz,
        primary key (tenant_id, store_id, product_id)) on commit drop`);
      await attacker.query('grant all on pg_temp.stock_levels to public');
      await attacker.query(`create trigger steal after insert or update on pg_temp.stock_levels
        for each row execute function pg_temp.steal_row()`);
      await attacker.query(
        `insert into stock_movements (tenant_id, id, store_id, product_id, quantity, reason, reason_code)
         values ($1, $2, $3, $4, 7000, 'adjustment', 'received')`,
        [t.tenantId, randomUUID(), t.storeIds[0], productId],
      );
      const shadow = await attacker.query('select count(*)::int as n from pg_temp.stock_levels');
      const stolen = await stolenTenants();
      const real = await attacker.query(
        'select on_hand from public.stock_levels where tenant_id = $1 and store_id = $2 and product_id = $3',
        [t.tenantId, t.storeIds[0], productId],
      );
      expect(stolen).not.toContain(other.tenantId);
      expect(stolen).toEqual([]);
      expect(shadow.rows[0].n).toBe(0);
      expect(real.rows).toEqual([{ on_hand: '7000' }]);
    } finally {
      await attacker.query('rollback');
    }
  });

  it('a temporary citext domain does not run code in auth_lookup_email', async () => {
    await attacker.query('begin');
    try {
      await shadowCitext();
      const found = await attacker.query('select * from auth_lookup_email($1)', [
        t.owner.email.toUpperCase(),
      ]);
      const stolen = await stolenTenants();
      expect(stolen).not.toContain(other.tenantId);
      expect(stolen).toEqual([]);
      // Still the case-insensitive lookup of public.citext.
      expect(found.rows).toEqual([{ tenant_id: t.tenantId, user_id: t.owner.id }]);
    } finally {
      await attacker.query('rollback');
    }
  });

  it('a temporary citext domain does not run code in auth_claim_email', async () => {
    await attacker.query('begin');
    try {
      await shadowCitext();
      await attacker.query('select auth_claim_email($1, $2)', [t.owner.email, t.owner.id]);
      const stolen = await stolenTenants();
      expect(stolen).not.toContain(other.tenantId);
      expect(stolen).toEqual([]);
    } finally {
      await attacker.query('rollback');
    }
  });

  it('every SECURITY DEFINER function searches pg_temp last', async () => {
    const { rows } = await api.su.query<{ name: string; config: string[] | null }>(
      `select p.oid::regprocedure::text as name, p.proconfig as config
         from pg_proc p join pg_namespace n on n.oid = p.pronamespace
        where p.prosecdef and n.nspname = 'public' order by 1`,
    );
    expect(rows.map((r) => r.name)).toEqual(
      expect.arrayContaining([
        'auth_claim_email(text,uuid)',
        'auth_lookup_email(text)',
        'stock_movements_apply()',
      ]),
    );
    for (const r of rows) {
      expect({ name: r.name, config: r.config }).toEqual({
        name: r.name,
        config: ['search_path=pg_catalog, public, pg_temp'],
      });
    }
  });
});
