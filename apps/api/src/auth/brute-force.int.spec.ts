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

describe('throttling of failed attempts (OWASP ASVS 4.0.3 V2.2.1, NIST SP 800-63B 5.2.2)', () => {
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

  let lastIp = 0;
  /** A fresh source address per test, so the per-source scopes of one test do not reach another. */
  const freshIp = () => `10.77.${Math.floor(++lastIp / 250)}.${(lastIp % 250) + 1}`;
  const login = (email: string, password: string, ip: string, on = app) =>
    checkedInject(on, {
      method: 'POST',
      url: '/auth/login',
      payload: { email, password },
      remoteAddress: ip,
    });
  const scopes = async (kind: string, account: string) =>
    (
      await su.query(
        "select case when account = '' then 'source' when source = '' then 'account' else 'account_source' end as scope, failures from auth_throttles where kind = $1 and (account = $2 or (account = '' and source in (select source from auth_throttles where kind = $1 and account = $2))) order by 1",
        [kind, account],
      )
    ).rows as { scope: string; failures: number }[];
  /** Lets every current block of the account (and its sources) run out without waiting. */
  const expireBlocks = () =>
    su.query(
      "update auth_throttles set blocked_until = now() - interval '1 second' where blocked_until > now()",
    );
  const fail = async (email: string, ip: string) =>
    expect((await login(email, 'wrong password!', ip)).statusCode).toBe(401);

  it('commits the failure in each scope although the login is refused', async () => {
    const t = await createTenant(app);
    await fail(t.cashier.email, freshIp());
    expect(await scopes('password', t.cashier.email)).toEqual([
      { scope: 'account', failures: 1 },
      { scope: 'account_source', failures: 1 },
      { scope: 'source', failures: 1 },
    ]);
  });

  it('from one source: 4 free failures, then each failure delays 30 s, 60 s, 120 s… (429, Retry-After), even the right password', async () => {
    const t = await createTenant(app);
    const { email, password } = t.manager;
    const ip = freshIp();
    for (let i = 0; i < 4; i++) await fail(email, ip);
    expect((await login(email, password, ip)).statusCode).toBe(200); // a success ends the series
    for (let i = 0; i < 5; i++) await fail(email, ip);

    const blocked = await login(email, password, ip);
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().error.code).toBe('TOO_MANY_ATTEMPTS');
    expectRetryAfter(blocked, 29, 30);
    await expireBlocks();
    await fail(email, ip);
    expectRetryAfter(await login(email, password, ip), 59, 60);
    await expireBlocks();
    await fail(email, ip);
    expectRetryAfter(await login(email, password, ip), 119, 120);
    await expireBlocks();
    expect((await login(email, password, ip)).statusCode).toBe(200);
    // The account's series ended with the success; the source keeps its own (11 failures).
    expect(await scopes('password', email)).toEqual([]);
    const source = await su.query(
      "select failures from auth_throttles where kind = 'password' and account = '' and source = $1",
      [ip],
    );
    expect(source.rows).toEqual([{ failures: 11 }]);

    const audit = await su.query(
      "select data->>'delaySeconds' as delay from audit_log where tenant_id = $1 and action = 'auth.login_failed' order by id",
      [t.tenantId],
    );
    expect(audit.rows.map((r) => Number(r.delay))).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 30, 60, 120]);
  });

  it('a stranger cannot keep the owner out: their failures delay their own source, not the owner’s', async () => {
    const t = await createTenant(app);
    const stranger = freshIp();
    for (let i = 0; i < 5; i++) await fail(t.owner.email, stranger);
    expect((await login(t.owner.email, t.owner.password, stranger)).statusCode).toBe(429);
    expect((await login(t.owner.email, t.owner.password, freshIp())).statusCode).toBe(200);
  });

  it('the account scope caps failures from every source together: after 20, growing delays up to 60 s', async () => {
    const t = await createTenant(app);
    const { email, password } = t.cashier;
    for (let i = 0; i < 20; i++) await fail(email, freshIp());
    await fail(email, freshIp()); // the 21st: 1 s
    const blocked = await login(email, password, freshIp());
    expect(blocked.statusCode).toBe(429);
    expectRetryAfter(blocked, 1, 1);
    await expireBlocks();
    await su.query(
      "update auth_throttles set failures = 90 where kind = 'password' and account = $1 and source = ''",
      [email],
    );
    await fail(email, freshIp());
    expectRetryAfter(await login(email, password, freshIp()), 59, 60); // capped: at most ~60 failures an hour
  });

  it('PIN failures are counted apart: they never delay a password login, even of an owner without a PIN', async () => {
    const t = await createTenant(app);
    const pin = (userId: string, value: string) =>
      checkedInject(app, {
        method: 'POST',
        url: '/auth/pin',
        payload: { tenantId: t.tenantId, registerId: t.registerIds[0], userId, pin: value },
        remoteAddress: freshIp(),
      });
    expect(
      (
        await checkedInject(app, {
          method: 'PUT',
          url: '/auth/pin',
          payload: { currentPassword: t.cashier.password, pin: '2580' },
          headers: t.cashier.headers,
        })
      ).statusCode,
    ).toBe(200);
    for (const user of [t.cashier, t.owner]) {
      for (let i = 0; i < 5; i++) expect((await pin(user.id, '0000')).statusCode).toBe(401);
      const blocked = await pin(user.id, '2580');
      expect(blocked.statusCode).toBe(429);
      expect(blocked.json().error.code).toBe('TOO_MANY_ATTEMPTS');
      expectRetryAfter(blocked, 29, 30);
      expect((await login(user.email, user.password, freshIp())).statusCode).toBe(200);
    }
    expect(await scopes('password', t.owner.email)).toEqual([]);
  });

  it('counts concurrent failures one by one', async () => {
    const t = await createTenant(app);
    const ip = freshIp();
    await Promise.all(Array.from({ length: 4 }, () => login(t.cashier.email, 'wrong password!', ip)));
    expect(await scopes('password', t.cashier.email)).toContainEqual({ scope: 'account', failures: 4 });
  });

  it('one source spraying many accounts is delayed after 100 failures', async () => {
    const t = await createTenant(app);
    const ip = freshIp();
    await fail(t.cashier.email, ip);
    await su.query(
      "update auth_throttles set failures = 100 where kind = 'password' and account = '' and source = $1",
      [ip],
    );
    await fail(t.manager.email, ip);
    expect((await login(t.owner.email, t.owner.password, ip)).statusCode).toBe(429);
    expect((await login(t.owner.email, t.owner.password, freshIp())).statusCode).toBe(200);
  });

  it('is shared by every API instance (the state is in PostgreSQL)', async () => {
    const t = await createTenant(app);
    const other = await createTestApp();
    try {
      const ip = freshIp();
      for (let i = 0; i < 5; i++) await fail(t.manager.email, ip);
      expect((await login(t.manager.email, t.manager.password, ip, other)).statusCode).toBe(429);
    } finally {
      await other.close();
    }
  });
});
