import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTenant } from '../test/fixtures.js';
import { createTestApp, uniqueEmail } from '../test/test-app.js';
import { checkedInject } from '../test/contract-check.js';

type Loose = Record<string, Record<string, unknown>>;

describe('POST /auth/signup', () => {
  let app: NestFastifyApplication;
  let su: pg.Client;
  beforeAll(async () => {
    app = await createTestApp();
    su = new pg.Client({ connectionString: inject('db').superuserUrl });
    await su.connect();
  });
  afterAll(async () => {
    await su.end();
    await app.close();
  });

  const validInput = () => ({
    tenant: { name: `Shop ${randomUUID()}`, currency: 'EUR' },
    owner: { name: 'Olga Owner', email: uniqueEmail('signup'), password: 'a long enough password' },
    store: { name: 'Main street', code: 'MAIN', timeZone: 'Europe/Paris' },
    register: { name: 'Till 1' },
  });
  const signup = (payload: unknown) =>
    checkedInject(app, { method: 'POST', url: '/auth/signup', payload: payload as object });
  const tenantsNamed = async (name: string) =>
    (await su.query<{ n: number }>('select count(*)::int as n from tenants where name = $1', [name])).rows[0]!
      .n;

  it('creates the tenant, its owner, first store and register, and logs the owner in', async () => {
    const input = validInput();
    const res = await signup(input);
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({
      expiresIn: 900,
      user: { role: 'owner', name: 'Olga Owner', email: input.owner.email, storeIds: null },
    });
    expect(body.user.tenantId).toBe(body.tenantId);
    expect(body.refreshToken.startsWith(`${body.tenantId}.`)).toBe(true);

    const tenant = await su.query('select * from tenants where id = $1', [body.tenantId]);
    expect(tenant.rows[0]).toMatchObject({
      name: input.tenant.name,
      currency: 'EUR',
      locale: 'en-US',
      prices_include_tax: true,
    });
    const store = await su.query('select * from stores where tenant_id = $1', [body.tenantId]);
    expect(store.rows).toEqual([
      expect.objectContaining({
        id: body.storeId,
        code: 'MAIN',
        name: 'Main street',
        time_zone: 'Europe/Paris',
      }),
    ]);
    const register = await su.query('select * from registers where tenant_id = $1', [body.tenantId]);
    expect(register.rows).toEqual([
      expect.objectContaining({ id: body.registerId, store_id: body.storeId, name: 'Till 1' }),
    ]);
    const user = await su.query('select * from users where tenant_id = $1', [body.tenantId]);
    expect(user.rows).toEqual([
      expect.objectContaining({ id: body.user.id, role: 'owner', email: input.owner.email }),
    ]);
    expect(user.rows[0].password_hash).toMatch(/^\$argon2id\$/);
    const identity = await su.query('select tenant_id, user_id from login_identities where email = $1', [
      input.owner.email,
    ]);
    expect(identity.rows).toEqual([{ tenant_id: body.tenantId, user_id: body.user.id }]);
    const audit = await su.query(
      'select action, actor_user_id, entity_id from audit_log where tenant_id = $1',
      [body.tenantId],
    );
    expect(audit.rows).toContainEqual({
      action: 'auth.signup',
      actor_user_id: body.user.id,
      entity_id: body.tenantId,
    });

    const me = await checkedInject(app, {
      method: 'GET',
      url: '/auth/me',
      headers: { authorization: `Bearer ${body.accessToken}` },
    });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({
      id: body.user.id,
      tenantId: body.tenantId,
      role: 'owner',
      registerId: null,
    });

    const login = await checkedInject(app, {
      method: 'POST',
      url: '/auth/login',
      payload: { email: input.owner.email.toUpperCase(), password: input.owner.password },
    });
    expect(login.statusCode).toBe(200);
    expect(login.json().user.id).toBe(body.user.id);
  });

  it('keeps the given locale and tax mode', async () => {
    const input = validInput();
    const res = await signup({
      ...input,
      tenant: { ...input.tenant, currency: 'JPY', locale: 'ja-JP', pricesIncludeTax: false },
    });
    expect(res.statusCode).toBe(201);
    const tenant = await su.query('select currency, locale, prices_include_tax from tenants where id = $1', [
      res.json().tenantId,
    ]);
    expect(tenant.rows[0]).toEqual({ currency: 'JPY', locale: 'ja-JP', prices_include_tax: false });
  });

  it('refuses an email already registered (any case) with 409 and writes nothing', async () => {
    const existing = await createTenant(app);
    const input = validInput();
    input.owner.email = existing.owner.email.toUpperCase();
    const res = await signup(input);
    expect(res.statusCode).toBe(409);
    expect(res.json()).toEqual({
      error: {
        code: 'EMAIL_TAKEN',
        message: 'this email is already registered',
        fields: { 'owner.email': ['is already registered'] },
      },
    });
    expect(await tenantsNamed(input.tenant.name)).toBe(0);
    const users = await su.query('select tenant_id from users where email = $1', [existing.owner.email]);
    expect(users.rows).toEqual([{ tenant_id: existing.tenantId }]);
    const identity = await su.query('select tenant_id from login_identities where email = $1', [
      existing.owner.email,
    ]);
    expect(identity.rows).toEqual([{ tenant_id: existing.tenantId }]);
  });

  it('throttles EMAIL_TAKEN answers per source: after 20, that source gets 429 for any email, taken or not', async () => {
    const existing = await createTenant(app);
    const from = (payload: unknown, ip: string) =>
      checkedInject(app, {
        method: 'POST',
        url: '/auth/signup',
        payload: payload as object,
        remoteAddress: ip,
      });
    const taken = () => {
      const input = validInput();
      input.owner.email = existing.owner.email;
      return input;
    };
    for (let i = 0; i < 21; i++)
      expect((await from(taken(), '10.66.0.1')).statusCode, `probe ${i + 1}`).toBe(409);
    for (const input of [taken(), validInput()]) {
      const limited = await from(input, '10.66.0.1');
      expect(limited.statusCode).toBe(429);
      expect(limited.json().error.code).toBe('TOO_MANY_ATTEMPTS');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    }
    // Another source is not affected.
    expect((await from(validInput(), '10.66.0.2')).statusCode).toBe(201);
  });

  it('lets exactly one of two concurrent signups with the same email through', async () => {
    const a = validInput();
    const b = validInput();
    b.owner.email = a.owner.email;
    const results = await Promise.all([signup(a), signup(b)]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    expect((await tenantsNamed(a.tenant.name)) + (await tenantsNamed(b.tenant.name))).toBe(1);
  });

  it.each([
    ['a missing section', (i: Loose) => delete i.register, 'register'],
    ['a missing owner email', (i: Loose) => delete i.owner!.email, 'owner.email'],
    ['a malformed email', (i: Loose) => (i.owner!.email = 'not-an-email'), 'owner.email'],
    ['a short password', (i: Loose) => (i.owner!.password = 'short'), 'owner.password'],
    ['an unknown currency', (i: Loose) => (i.tenant!.currency = 'XYZ'), 'tenant.currency'],
    ['a lowercase currency', (i: Loose) => (i.tenant!.currency = 'eur'), 'tenant.currency'],
    ['a bad locale', (i: Loose) => (i.tenant!.locale = 'not a locale!'), 'tenant.locale'],
    ['a string for a boolean', (i: Loose) => (i.tenant!.pricesIncludeTax = 'yes'), 'tenant.pricesIncludeTax'],
    ['an over-long tenant name', (i: Loose) => (i.tenant!.name = 'x'.repeat(121)), 'tenant.name'],
    ['a blank store name', (i: Loose) => (i.store!.name = '   '), 'store.name'],
    ['a bad store code', (i: Loose) => (i.store!.code = 'main street'), 'store.code'],
    ['an unknown time zone', (i: Loose) => (i.store!.timeZone = 'Mars/Olympus'), 'store.timeZone'],
    ['a number for a name', (i: Loose) => (i.register!.name = 42), 'register.name'],
    ['an unknown top-level field', (i: Loose) => (i.plan = {}), 'plan'],
    ['an unknown nested field', (i: Loose) => (i.owner!.role = 'admin'), 'owner.role'],
  ])('rejects %s with 400 naming the field and writes nothing', async (_, mutate, field) => {
    const input = validInput();
    mutate(input as unknown as Loose);
    const res = await signup(input);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
    expect(Object.keys(res.json().error.fields)).toContain(field);
    expect(await tenantsNamed(input.tenant.name)).toBe(0);
  });

  it('rejects malformed JSON', async () => {
    const res = await checkedInject(app, {
      method: 'POST',
      url: '/auth/signup',
      payload: '{"tenant":',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('MALFORMED_JSON');
  });
});
