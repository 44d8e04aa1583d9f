import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTenant, type TestTenant } from '../test/fixtures.js';
import { createTestApp } from '../test/test-app.js';
import { checkedInject } from '../test/contract-check.js';

type Reply = Awaited<ReturnType<NestFastifyApplication['inject']>>;

const expectRetryAfter = (res: Reply, min: number, max: number) => {
  const seconds = Number(res.headers['retry-after']);
  expect(Number.isInteger(seconds)).toBe(true);
  expect(seconds).toBeGreaterThanOrEqual(min);
  expect(seconds).toBeLessThanOrEqual(max);
};

describe('per-IP rate limit on the public auth routes', () => {
  let app: NestFastifyApplication;
  let t: TestTenant;
  beforeAll(async () => {
    app = await createTestApp({ AUTH_RATE_LIMIT_PER_MINUTE: '3' });
    t = await createTenant(app);
  });
  afterAll(() => app.close());

  const from = (ip: string, url: string, payload: object) =>
    checkedInject(app, { method: 'POST', url, payload, remoteAddress: ip });

  it('answers the request over budget with 429 and Retry-After, per IP', async () => {
    const wrong = { email: t.owner.email, password: 'wrong password!' };
    for (let i = 0; i < 3; i++) expect((await from('10.0.0.1', '/auth/login', wrong)).statusCode).toBe(401);
    const limited = await from('10.0.0.1', '/auth/login', {
      email: t.owner.email,
      password: t.owner.password,
    });
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('RATE_LIMITED');
    expectRetryAfter(limited, 1, 60);
    // Another address still has its budget.
    expect(
      (await from('10.0.0.2', '/auth/login', { email: t.cashier.email, password: t.cashier.password }))
        .statusCode,
    ).toBe(200);
  });

  it('counts malformed attempts too', async () => {
    for (let i = 0; i < 3; i++)
      expect((await from('10.0.1.1', '/auth/login', { nope: true })).statusCode).toBe(400);
    expect((await from('10.0.1.1', '/auth/login', { nope: true })).statusCode).toBe(429);
  });

  it('limits PIN login', async () => {
    const body = { tenantId: t.tenantId, registerId: t.registerIds[0], userId: t.cashier.id, pin: '0000' };
    for (let i = 0; i < 3; i++) expect((await from('10.0.2.1', '/auth/pin', body)).statusCode).toBe(401);
    const limited = await from('10.0.2.1', '/auth/pin', body);
    expect(limited.statusCode).toBe(429);
    expectRetryAfter(limited, 1, 60);
  });

  it('limits refresh and signup', async () => {
    for (const url of ['/auth/refresh', '/auth/signup']) {
      for (let i = 0; i < 3; i++) expect((await from('10.0.3.1', url, {})).statusCode).toBe(400);
      const limited = await from('10.0.3.1', url, {});
      expect(limited.statusCode).toBe(429);
      expect(limited.headers['retry-after']).toBeDefined();
    }
  });

  it('does not limit authenticated routes', async () => {
    for (let i = 0; i < 5; i++) {
      const res = await checkedInject(app, {
        method: 'GET',
        url: '/auth/me',
        headers: t.owner.headers,
        remoteAddress: '10.0.4.1',
      });
      expect(res.statusCode).toBe(200);
    }
  });
});

describe('per-account lockout', () => {
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

  const login = (email: string, password: string) =>
    checkedInject(app, { method: 'POST', url: '/auth/login', payload: { email, password } });
  const account = async (userId: string) =>
    (await su.query('select failed_login_count, locked_until from users where id = $1', [userId]))
      .rows[0] as {
      failed_login_count: number;
      locked_until: Date | null;
    };
  /** Lets the current lock run out without waiting for it. */
  const expireLock = (userId: string) =>
    su.query("update users set locked_until = now() - interval '1 second' where id = $1", [userId]);

  it('commits the failure count although the login is refused', async () => {
    const t = await createTenant(app);
    expect((await login(t.cashier.email, 'wrong password!')).statusCode).toBe(401);
    expect(await account(t.cashier.id)).toEqual({ failed_login_count: 1, locked_until: null });
  });

  it('locks after five failures, even for the right password, and grows the lock with each further failure', async () => {
    const t = await createTenant(app);
    const { email, password, id } = t.manager;
    for (let i = 0; i < 5; i++) expect((await login(email, 'wrong password!')).statusCode).toBe(401);
    expect((await account(id)).failed_login_count).toBe(5);

    const locked = await login(email, password);
    expect(locked.statusCode).toBe(429);
    expect(locked.json().error.code).toBe('ACCOUNT_LOCKED');
    expectRetryAfter(locked, 1, 30);

    await expireLock(id);
    expect((await login(email, 'wrong password!')).statusCode).toBe(401);
    const longer = await login(email, password);
    expect(longer.statusCode).toBe(429);
    expectRetryAfter(longer, 31, 60);

    await expireLock(id);
    expect((await login(email, 'wrong password!')).statusCode).toBe(401);
    expectRetryAfter(await login(email, password), 61, 120);

    await expireLock(id);
    expect((await login(email, password)).statusCode).toBe(200);
    expect(await account(id)).toEqual({ failed_login_count: 0, locked_until: null });

    const audit = await su.query(
      "select data->>'failedCount' as n from audit_log where tenant_id = $1 and action = 'auth.account_locked' order by id",
      [t.tenantId],
    );
    expect(audit.rows.map((r) => r.n)).toEqual(['5', '6', '7']);
  });

  it('a success before the threshold resets the count', async () => {
    const t = await createTenant(app);
    for (let i = 0; i < 4; i++) await login(t.owner.email, 'wrong password!');
    expect((await login(t.owner.email, t.owner.password)).statusCode).toBe(200);
    expect((await account(t.owner.id)).failed_login_count).toBe(0);
    for (let i = 0; i < 4; i++) await login(t.owner.email, 'wrong password!');
    expect((await login(t.owner.email, t.owner.password)).statusCode).toBe(200);
  });

  it('counts concurrent failures one by one', async () => {
    const t = await createTenant(app);
    await Promise.all(Array.from({ length: 4 }, () => login(t.cashier.email, 'wrong password!')));
    expect((await account(t.cashier.id)).failed_login_count).toBe(4);
  });

  it('PIN failures count toward the same lockout, and a locked account cannot use its PIN', async () => {
    const t = await createTenant(app);
    const setPin = await checkedInject(app, {
      method: 'PUT',
      url: '/auth/pin',
      payload: { currentPassword: t.cashier.password, pin: '2580' },
      headers: t.cashier.headers,
    });
    expect(setPin.statusCode).toBe(200);
    const pin = (value: string) =>
      checkedInject(app, {
        method: 'POST',
        url: '/auth/pin',
        payload: { tenantId: t.tenantId, registerId: t.registerIds[0], userId: t.cashier.id, pin: value },
      });
    for (let i = 0; i < 5; i++) expect((await pin('0000')).statusCode).toBe(401);
    const byPin = await pin('2580');
    expect(byPin.statusCode).toBe(429);
    expect(byPin.json().error.code).toBe('ACCOUNT_LOCKED');
    const byPassword = await login(t.cashier.email, t.cashier.password);
    expect(byPassword.statusCode).toBe(429);
    expectRetryAfter(byPassword, 1, 30);
  });
});
