import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../db/database.js';
import { useApiHarness } from '../test/api-harness.js';
import { createTenant, type TestTenant } from '../test/fixtures.js';
import { customerSearchQuery } from './customer.repository.js';
import { customerQuery } from './customer-search-terms.js';

interface Item {
  id: string;
  name: string;
  phone: string | null;
  email: string | null;
  note: string | null;
}

describe('customers', () => {
  const h = useApiHarness();
  let t: TestTenant;
  let other: TestTenant;

  const create = async (tt: TestTenant, body: object, who: 'owner' | 'cashier' = 'owner') => {
    const res = await h.call(tt, who, 'POST', '/customers', body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as Item;
  };
  const search = async (q: string, tt: TestTenant = t) => {
    const res = await h.call(tt, 'cashier', 'GET', `/customers?q=${encodeURIComponent(q)}&limit=200`);
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as { items: Item[] }).items.map((i) => i.name);
  };

  beforeAll(async () => {
    t = await createTenant(h.app);
    other = await createTenant(h.app);
    await create(t, { name: 'Anna Schmidt', phone: '+49 151 2345-678', email: 'Anna.Schmidt@Example.com' });
    await create(t, { name: 'Zoë Müller', phone: '0151 999 000', email: 'zoe@example.org', note: 'regular' });
    await create(t, { name: 'Bob Smith', email: 'bob_s@example.net' });
    await create(t, { name: '100% Club' });
    await create(t, { name: '100 Club' });
    await create(t, { name: 'Snap_Peas Ltd' });
    await create(t, { name: 'Snapper Co' });
    await create(other, { name: 'Anna Other', phone: '+491512345678', email: 'anna.schmidt@example.com' });
  });

  it('creates a customer with its phone normalised and its email lower-cased, and audits only field names', async () => {
    const c = await create(
      t,
      { name: '  Carla Diaz ', phone: ' +34 (91) 123.45.67 ', email: 'CARLA@x.es' },
      'cashier',
    );
    expect(c).toMatchObject({ name: 'Carla Diaz', phone: '+34911234567', email: 'carla@x.es', note: null });
    const got = await h.call(t, 'cashier', 'GET', `/customers/${c.id}`);
    expect(got.statusCode).toBe(200);
    expect(got.json()).toEqual(c);
    const audit = await h.su.query(
      `select action, entity_type, data from audit_log where tenant_id = $1 and entity_id = $2`,
      [t.tenantId, c.id],
    );
    expect(audit.rows).toEqual([
      { action: 'customer.created', entity_type: 'customer', data: { fields: ['name', 'phone', 'email'] } },
    ]);
    expect(JSON.stringify(audit.rows)).not.toMatch(/carla|34911/i);
  });

  it('updates only the fields sent, null clears, and audits which fields changed', async () => {
    const c = await create(t, { name: 'Dan Eno', phone: '12345', email: 'dan@x.io', note: 'vip' });
    const res = await h.call(t, 'cashier', 'PATCH', `/customers/${c.id}`, { phone: null, note: 'VIP 2' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ name: 'Dan Eno', phone: null, email: 'dan@x.io', note: 'VIP 2' });
    expect(res.json().updatedAt >= res.json().createdAt).toBe(true);
    // The search terms follow: the old phone no longer finds the customer, a new name does.
    expect(await search('12345')).not.toContain('Dan Eno');
    await h.call(t, 'owner', 'PATCH', `/customers/${c.id}`, { name: 'Daniel Eno' });
    expect(await search('danie')).toEqual(['Daniel Eno']);
    const audit = await h.su.query(
      `select data from audit_log where tenant_id = $1 and entity_id = $2 and action = 'customer.updated' order by id`,
      [t.tenantId, c.id],
    );
    expect(audit.rows.map((r) => r.data)).toEqual([{ fields: ['phone', 'note'] }, { fields: ['name'] }]);
  });

  it('finds customers by a prefix of any name word, the email or the phone, case- and accent-blind', async () => {
    expect(await search('ann')).toEqual(['Anna Schmidt']);
    expect(await search('SCHM')).toEqual(['Anna Schmidt']);
    expect(await search('anna sch')).toEqual(['Anna Schmidt']);
    expect(await search('zoe')).toEqual(['Zoë Müller']);
    expect(await search('mull')).toEqual(['Zoë Müller']);
    expect(await search('anna.schmidt@ex')).toEqual(['Anna Schmidt']);
    expect(await search('ZOE@EXAMPLE.O')).toEqual(['Zoë Müller']);
    expect(await search('4915123')).toEqual(['Anna Schmidt']);
    expect(await search('+49 151 23')).toEqual(['Anna Schmidt']);
    expect(await search('0151-999')).toEqual(['Zoë Müller']);
    // A prefix only: the middle of a word, an email or a phone finds nothing.
    expect(await search('chmidt')).toEqual([]);
    expect(await search('example')).toEqual([]);
    expect(await search('2345678')).toEqual([]);
    // Another tenant's customers are never found.
    expect(await search('anna', other)).toEqual(['Anna Other']);
  });

  it('takes LIKE wildcards literally', async () => {
    expect(await search('100%')).toEqual(['100% Club']);
    expect(await search('100')).toEqual(['100 Club', '100% Club']);
    expect(await search('snap_')).toEqual(['Snap_Peas Ltd']);
    expect(await search('%')).toEqual([]);
    expect(await search('_')).toEqual([]);
    expect(await search('bob_')).toEqual(['Bob Smith']);
  });

  it('answers 409 naming the field when another customer has the email (any case) or the phone', async () => {
    const taken = async (body: object, field: string, id?: string) => {
      const res = id
        ? await h.call(t, 'owner', 'PATCH', `/customers/${id}`, body)
        : await h.call(t, 'owner', 'POST', '/customers', { name: 'Dup', ...body });
      expect(res.statusCode, res.body).toBe(409);
      expect(res.json().error.code).toBe('CONFLICT');
      expect(Object.keys(res.json().error.fields)).toEqual([field]);
    };
    await taken({ email: 'ANNA.SCHMIDT@example.COM' }, 'email');
    await taken({ phone: '+491512345678' }, 'phone');
    await taken({ phone: '+49-151-234-5678' }, 'phone');
    const bob = (await search('bob'))[0];
    expect(bob).toBe('Bob Smith');
    const bobId = (await h.call(t, 'owner', 'GET', '/customers?q=bob').then((r) => r.json())).items[0].id;
    await taken({ email: 'zoe@example.org' }, 'email', bobId);
    // Keeping one's own email is no clash; another tenant's customers do not count.
    const same = await h.call(t, 'owner', 'PATCH', `/customers/${bobId}`, { email: 'BOB_S@example.net' });
    expect(same.statusCode, same.body).toBe(200);
    await create(other, { name: 'Zoe', email: 'zoe@example.org', phone: '0151999000' });
    expect(await h.rowCount('customers', t.tenantId)).toBeGreaterThan(0);
  });

  it('keeps the email and phone unique when two writers race', async () => {
    const own = await createTenant(h.app);
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        h.call(own, 'owner', 'POST', '/customers', { name: `Racer ${i}`, email: 'race@x.io' }),
      ),
    );
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
    for (const r of results.filter((x) => x.statusCode === 409)) {
      expect(Object.keys(r.json().error.fields)).toEqual(['email']);
    }
    expect(await h.rowCount('customers', own.tenantId)).toBe(1);
    expect(await h.rowCount('customer_search_terms', own.tenantId)).toBe(3); // racer, <i>, race@x.io
  });

  it('answers 400 naming the field, and writes nothing', async () => {
    const own = await createTenant(h.app);
    for (const [body, field] of [
      [{}, 'name'],
      [{ name: '   ' }, 'name'],
      [{ name: 'x'.repeat(201) }, 'name'],
      [{ name: 'A', phone: '12' }, 'phone'],
      [{ name: 'A', phone: '+12+34567' }, 'phone'],
      [{ name: 'A', phone: 'call me' }, 'phone'],
      [{ name: 'A', phone: '1'.repeat(21) }, 'phone'],
      [{ name: 'A', email: 'not-an-email' }, 'email'],
      [{ name: 'A', note: '' }, 'note'],
      [{ name: 'A', loyaltyPoints: 5 }, 'loyaltyPoints'],
    ] as const) {
      const res = await h.call(own, 'owner', 'POST', '/customers', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.fields, JSON.stringify(body)).toHaveProperty([field]);
    }
    const c = await create(own, { name: 'Ok' });
    const empty = await h.call(own, 'owner', 'PATCH', `/customers/${c.id}`, {});
    expect(empty.statusCode).toBe(400);
    const bad = await h.call(own, 'owner', 'PATCH', `/customers/${c.id}`, { name: 'New', phone: 'x' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields).toHaveProperty(['phone']);
    expect((await h.call(own, 'owner', 'GET', `/customers/${c.id}`)).json().name).toBe('Ok');
    expect(await h.rowCount('customers', own.tenantId)).toBe(1);
    const cursor = await h.call(own, 'owner', 'GET', '/customers?cursor=nonsense');
    expect(cursor.statusCode).toBe(400);
    expect(cursor.json().error.fields).toHaveProperty(['cursor']);
  });

  it("answers 404 for an unknown id and for another tenant's customer", async () => {
    const theirs = await create(other, { name: 'Hidden' });
    for (const id of [randomUUID(), theirs.id]) {
      expect((await h.call(t, 'owner', 'GET', `/customers/${id}`)).statusCode).toBe(404);
      expect((await h.call(t, 'owner', 'PATCH', `/customers/${id}`, { name: 'Mine' })).statusCode).toBe(404);
    }
    expect((await h.call(other, 'owner', 'GET', `/customers/${theirs.id}`)).json().name).toBe('Hidden');
  });

  it('pages through every customer once, in (name, id) order, with and without a query', async () => {
    const own = await createTenant(h.app);
    for (let i = 0; i < 23; i++)
      await create(own, { name: `Pat ${String(Math.floor(i / 2)).padStart(2, '0')}` });
    await create(own, { name: 'Quinn' });
    const pageThrough = async (q: string, limit: number) => {
      const seen: Item[] = [];
      let cursor: string | null = null;
      do {
        const url = `/customers?limit=${limit}${q ? `&q=${q}` : ''}${cursor ? `&cursor=${cursor}` : ''}`;
        const res = await h.call(own, 'cashier', 'GET', url);
        expect(res.statusCode, res.body).toBe(200);
        const body = res.json() as { items: Item[]; nextCursor: string | null };
        expect(body.items.length).toBeLessThanOrEqual(limit);
        seen.push(...body.items);
        cursor = body.nextCursor;
      } while (cursor);
      return seen;
    };
    const all = await pageThrough('', 200);
    expect(all).toHaveLength(24);
    const sorted = [...all].sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
    );
    expect(all.map((c) => c.id)).toEqual(sorted.map((c) => c.id));
    for (const limit of [1, 5, 23, 24]) {
      expect((await pageThrough('', limit)).map((c) => c.id)).toEqual(all.map((c) => c.id));
      expect((await pageThrough('pat', limit)).map((c) => c.id)).toEqual(all.slice(0, 23).map((c) => c.id));
    }
    // A cursor of another tenant does not open.
    const first = (await h.call(own, 'owner', 'GET', '/customers?limit=1')).json().nextCursor;
    expect((await h.call(t, 'owner', 'GET', `/customers?cursor=${first}`)).statusCode).toBe(400);
  });

  it('serves a search from the prefix index under row-level security (EXPLAIN as the app role)', async () => {
    const own = await createTenant(h.app);
    // Enough rows of two tenants that an index is worth it, written as the superuser.
    for (const tenant of [own.tenantId, other.tenantId]) {
      await h.su.query(
        `with c as (
           insert into customers (tenant_id, id, name, email)
           select $1::uuid, gen_random_uuid(), 'Bulk ' || g, 'bulk' || g || '-' || $1::text || '@x.io'
             from generate_series(1, 3000) g
           returning tenant_id, id, name, email)
         insert into customer_search_terms (tenant_id, customer_id, term)
         select tenant_id, id, lower(name) from c union all select tenant_id, id, email from c`,
        [tenant],
      );
    }
    await h.su.query('analyze customers, customer_search_terms');
    // An email prefix 11 of the 6000 bulk customers begin.
    const plan = await h.app.get(Database).tenant({ tenantId: own.tenantId }, async (tx) => {
      const role = await sql<{ r: string; bypass: boolean }>`
        select current_user as r, rolbypassrls as bypass from pg_roles where rolname = current_user`.execute(
        tx,
      );
      expect(role.rows[0]).toEqual({ r: 'zakpos_app', bypass: false });
      const query = customerSearchQuery(tx, own.tenantId, { query: customerQuery('bulk123'), limit: 51 });
      const compiled = query.compile();
      const res = await tx.executeQuery<{ 'QUERY PLAN': string }>({
        ...compiled,
        sql: `explain ${compiled.sql}`,
      });
      return res.rows.map((r) => r['QUERY PLAN']).join('\n');
    });
    expect(plan, plan).toMatch(/customer_search_terms_prefix/);
    expect(plan, plan).not.toMatch(/Seq Scan on customer_search_terms/);
  });
});
