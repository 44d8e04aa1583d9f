import { randomBytes } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Env } from '../config/env.js';
import { createTenant, type TestTenant } from '../test/fixtures.js';
import { createTestApp, uniqueEmail } from '../test/test-app.js';
import { checkedInject } from '../test/contract-check.js';
import { TokenService } from './token.service.js';

describe('login and access tokens', () => {
  let app: NestFastifyApplication;
  let su: pg.Client;
  let t: TestTenant;
  beforeAll(async () => {
    app = await createTestApp();
    su = new pg.Client({ connectionString: inject('db').superuserUrl });
    await su.connect();
    t = await createTenant(app);
  });
  afterAll(async () => {
    await su.end();
    await app.close();
  });

  const login = (payload: object) => checkedInject(app, { method: 'POST', url: '/auth/login', payload });
  const me = (token: string) =>
    checkedInject(app, { method: 'GET', url: '/auth/me', headers: { authorization: `Bearer ${token}` } });

  it('logs in with email and password and returns a token pair and the user', async () => {
    const res = await login({ email: t.manager.email, password: t.manager.password });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toEqual({
      accessToken: expect.any(String),
      refreshToken: expect.stringMatching(new RegExp(`^${t.tenantId}\\.`)),
      expiresIn: 900,
      user: {
        id: t.manager.id,
        tenantId: t.tenantId,
        role: 'manager',
        name: 'manager',
        email: t.manager.email,
        storeIds: [t.storeIds[0]],
      },
    });
    const claims = await app.get(TokenService).verify(body.accessToken);
    expect(claims).toEqual({
      userId: t.manager.id,
      tenantId: t.tenantId,
      role: 'manager',
      storeIds: [t.storeIds[0]],
      registerId: null,
      sessionKind: 'full',
      sessionVersion: 1,
    });
    const audit = await su.query(
      "select actor_user_id, entity_type, entity_id, data from audit_log where tenant_id = $1 and action = 'auth.login'",
      [t.tenantId],
    );
    expect(audit.rows).toContainEqual({
      actor_user_id: t.manager.id,
      entity_type: 'user',
      entity_id: t.manager.id,
      data: { method: 'password' },
    });
  });

  it('gives owners every store (null) and matches the email case-insensitively', async () => {
    const res = await login({ email: t.owner.email.toUpperCase(), password: t.owner.password });
    expect(res.statusCode).toBe(200);
    expect(res.json().user).toMatchObject({ id: t.owner.id, role: 'owner', storeIds: null });
  });

  it('answers a wrong password and an unknown email identically with 401', async () => {
    const other = await createTenant(app);
    const wrong = await login({ email: other.cashier.email, password: 'not the password at all' });
    const unknown = await login({ email: uniqueEmail('nobody'), password: other.cashier.password });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual({ error: { code: 'INVALID_CREDENTIALS', message: 'invalid credentials' } });
    expect(unknown.json()).toEqual(wrong.json());

    const audit = await su.query(
      "select actor_user_id, entity_type, entity_id, data from audit_log where tenant_id = $1 and action = 'auth.login_failed'",
      [other.tenantId],
    );
    expect(audit.rows).toEqual([
      {
        actor_user_id: other.cashier.id,
        entity_type: 'user',
        entity_id: other.cashier.id,
        data: { method: 'password', delaySeconds: 0 },
      },
    ]);
    expect(JSON.stringify(audit.rows)).not.toContain('not the password');
  });

  it('answers a known and an unknown email identically through the throttle: the same 401s, then the same 429', async () => {
    const other = await createTenant(app);
    const attempts = async (email: string, ip: string) => {
      const answers: unknown[] = [];
      for (let i = 0; i < 6; i++) {
        const res = await checkedInject(app, {
          method: 'POST',
          url: '/auth/login',
          payload: { email, password: 'not the password at all' },
          remoteAddress: ip,
        });
        answers.push({ status: res.statusCode, body: res.json(), retryAfter: res.headers['retry-after'] });
      }
      return answers;
    };
    const known = await attempts(other.manager.email, '10.55.0.1');
    const unknown = await attempts(uniqueEmail('nobody'), '10.55.0.2');
    expect(unknown).toEqual(known);
    expect(known.map((a) => (a as { status: number }).status)).toEqual([401, 401, 401, 401, 401, 429]);
  });

  it('refuses a deactivated user with the same 401', async () => {
    const other = await createTenant(app);
    await su.query('update users set active = false where tenant_id = $1 and id = $2', [
      other.tenantId,
      other.cashier.id,
    ]);
    const res = await login({ email: other.cashier.email, password: other.cashier.password });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('INVALID_CREDENTIALS');
  });

  it.each([
    ['a malformed email', { email: 'nope', password: 'whatever-long' }, 'email'],
    ['a missing password', { email: 'a@b.dev' }, 'password'],
    ['an empty password', { email: 'a@b.dev', password: '' }, 'password'],
    ['an over-long password', { email: 'a@b.dev', password: 'x'.repeat(201) }, 'password'],
    ['a number for the email', { email: 5, password: 'whatever-long' }, 'email'],
    ['an unknown field', { email: 'a@b.dev', password: 'whatever-long', tenantId: 'x' }, 'tenantId'],
  ])('rejects %s with 400 naming the field', async (_, payload, field) => {
    const res = await login(payload);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
    expect(Object.keys(res.json().error.fields)).toContain(field);
  });

  it('GET /auth/me describes the token holder', async () => {
    const res = await me(t.cashier.token);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      id: t.cashier.id,
      tenantId: t.tenantId,
      role: 'cashier',
      name: 'cashier',
      email: t.cashier.email,
      storeIds: [t.storeIds[0]],
      registerId: null,
    });
  });

  it('GET /auth/me without a token, with garbage or with a deactivated user is 401', async () => {
    const none = await checkedInject(app, { method: 'GET', url: '/auth/me' });
    expect(none.statusCode).toBe(401);
    expect(none.json().error.code).toBe('UNAUTHENTICATED');
    const garbage = await me('not.a.jwt');
    expect(garbage.statusCode).toBe(401);
    expect(garbage.json().error.code).toBe('UNAUTHENTICATED');
    const basic = await checkedInject(app, {
      method: 'GET',
      url: '/auth/me',
      headers: { authorization: 'Basic abc' },
    });
    expect(basic.statusCode).toBe(401);

    const other = await createTenant(app);
    await su.query('update users set active = false where tenant_id = $1 and id = $2', [
      other.tenantId,
      other.manager.id,
    ]);
    const disabled = await me(other.manager.token);
    expect(disabled.statusCode).toBe(401);
  });

  /** The claims of the owner's full session, for tokens signed by hand. */
  const ownerClaims = () => ({
    userId: t.owner.id,
    tenantId: t.tenantId,
    role: 'owner' as const,
    storeIds: null,
    registerId: null,
    sessionKind: 'full' as const,
    sessionVersion: 1,
  });

  it('an expired access token is 401 TOKEN_EXPIRED', async () => {
    const expired = await app.get(TokenService).sign(ownerClaims(), -10);
    const res = await me(expired);
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('TOKEN_EXPIRED');
  });

  it('a token signed with another secret is 401', async () => {
    const foreign = new TokenService({
      JWT_SECRET: randomBytes(32).toString('base64url'),
      ACCESS_TOKEN_TTL_SECONDS: 900,
    } as Env);
    const token = await foreign.sign(ownerClaims());
    const res = await me(token);
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('UNAUTHENTICATED');
  });

  it('a token whose payload was altered is 401', async () => {
    const [header, , signature] = t.cashier.token.split('.');
    const payload = Buffer.from(
      JSON.stringify({
        sub: t.cashier.id,
        tid: t.tenantId,
        role: 'owner',
        stores: null,
        reg: null,
        iss: 'zakpos',
        aud: 'zakpos-api',
        exp: 4102444800,
      }),
    ).toString('base64url');
    const res = await me(`${header}.${payload}.${signature}`);
    expect(res.statusCode).toBe(401);
  });
});
