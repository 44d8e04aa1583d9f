import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTenant, type TestTenant, type TestUser } from '../test/fixtures.js';
import { createTestApp } from '../test/test-app.js';
import { checkedInject } from '../test/contract-check.js';
import { hashPin } from './pin.js';
import { TokenService } from './token.service.js';

describe('register PINs', () => {
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

  const setPin = (u: TestUser, pin: string, currentPassword = u.password) =>
    checkedInject(app, {
      method: 'PUT',
      url: '/auth/pin',
      payload: { currentPassword, pin },
      headers: u.headers,
    });
  const pinLogin = (payload: object) => checkedInject(app, { method: 'POST', url: '/auth/pin', payload });
  const at = (t: TestTenant, u: TestUser, register: 0 | 1, pin: string) =>
    pinLogin({ tenantId: t.tenantId, registerId: t.registerIds[register], userId: u.id, pin });

  describe('PUT /auth/pin', () => {
    it('sets the caller’s own PIN after checking the password, hashed and audited', async () => {
      const t = await createTenant(app);
      const res = await setPin(t.cashier, '4821');
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ ok: true });
      const row = await su.query('select pin_hash from users where id = $1', [t.cashier.id]);
      expect(row.rows[0].pin_hash).toMatch(/^\$argon2id\$/);
      const audit = await su.query(
        "select entity_id, data from audit_log where tenant_id = $1 and action = 'auth.pin_set'",
        [t.tenantId],
      );
      expect(audit.rows).toEqual([{ entity_id: t.cashier.id, data: {} }]);
    });

    it('refuses a wrong password with 401 and keeps the old PIN', async () => {
      const t = await createTenant(app);
      await setPin(t.cashier, '4821');
      const res = await setPin(t.cashier, '9999', 'not my password');
      expect(res.statusCode).toBe(401);
      expect(res.json().error).toMatchObject({
        code: 'INVALID_CREDENTIALS',
        fields: { currentPassword: ['is incorrect'] },
      });
      expect((await at(t, t.cashier, 0, '4821')).statusCode).toBe(200);
    });

    it.each([
      ['three digits', { pin: '123' }, 'pin'],
      ['seven digits', { pin: '1234567' }, 'pin'],
      ['letters', { pin: '12ab' }, 'pin'],
      ['a number instead of a string', { pin: 1234 }, 'pin'],
      ['an unknown field', { pin: '1234', userId: randomUUID() }, 'userId'],
    ])('rejects %s with 400', async (_, extra, field) => {
      const t = await createTenant(app);
      const res = await checkedInject(app, {
        method: 'PUT',
        url: '/auth/pin',
        payload: { currentPassword: t.cashier.password, ...extra },
        headers: t.cashier.headers,
      });
      expect(res.statusCode).toBe(400);
      expect(Object.keys(res.json().error.fields)).toContain(field);
    });

    it('needs a token', async () => {
      const res = await checkedInject(app, {
        method: 'PUT',
        url: '/auth/pin',
        payload: { currentPassword: 'x', pin: '1234' },
      });
      expect(res.statusCode).toBe(401);
    });
  });

  describe('POST /auth/pin', () => {
    it('logs a cashier in on a register of their store, bound to that register', async () => {
      const t = await createTenant(app);
      await setPin(t.cashier, '123456');
      const res = await at(t, t.cashier, 0, '123456');
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body).toMatchObject({
        registerId: t.registerIds[0],
        user: { id: t.cashier.id, role: 'cashier', storeIds: [t.storeIds[0]] },
      });
      const claims = await app.get(TokenService).verify(body.accessToken);
      expect(claims).toMatchObject({
        userId: t.cashier.id,
        registerId: t.registerIds[0],
        storeIds: [t.storeIds[0]],
      });
      const me = await checkedInject(app, {
        method: 'GET',
        url: '/auth/me',
        headers: { authorization: `Bearer ${body.accessToken}` },
      });
      expect(me.json()).toMatchObject({
        id: t.cashier.id,
        registerId: t.registerIds[0],
        storeIds: [t.storeIds[0]],
      });
      const audit = await su.query(
        "select data from audit_log where tenant_id = $1 and action = 'auth.login'",
        [t.tenantId],
      );
      expect(audit.rows).toEqual([
        { data: { method: 'pin', registerId: t.registerIds[0], storeId: t.storeIds[0] } },
      ]);
    });

    it('keeps the register binding across a refresh', async () => {
      const t = await createTenant(app);
      await setPin(t.manager, '2468');
      const first = (await at(t, t.manager, 0, '2468')).json();
      const res = await checkedInject(app, {
        method: 'POST',
        url: '/auth/refresh',
        payload: { refreshToken: first.refreshToken },
      });
      expect(res.statusCode).toBe(200);
      const claims = await app.get(TokenService).verify(res.json().accessToken);
      expect(claims).toMatchObject({ registerId: t.registerIds[0], storeIds: [t.storeIds[0]] });

      // Deactivating the register ends the sessions bound to it at their next refresh.
      await su.query('update registers set active = false where tenant_id = $1 and id = $2', [
        t.tenantId,
        t.registerIds[0],
      ]);
      const after = await checkedInject(app, {
        method: 'POST',
        url: '/auth/refresh',
        payload: { refreshToken: res.json().refreshToken },
      });
      expect(after.statusCode).toBe(401);
    });

    it('refuses a register of a store the user is not assigned to with 403', async () => {
      const t = await createTenant(app);
      await setPin(t.cashier, '1357');
      const res = await at(t, t.cashier, 1, '1357');
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('FORBIDDEN');
    });

    it('gives an owner with a PIN a register session: it may sell and read, never administer (403)', async () => {
      const t = await createTenant(app);
      expect((await setPin(t.owner, '7391')).statusCode).toBe(200);
      const res = await at(t, t.owner, 0, '7391');
      expect(res.statusCode).toBe(200);
      const headers = { authorization: `Bearer ${res.json().accessToken}` };
      const claims = await app.get(TokenService).verify(res.json().accessToken);
      expect(claims).toMatchObject({ role: 'owner', sessionKind: 'register', registerId: t.registerIds[0] });
      const as = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
        checkedInject(app, { method, url, headers, ...(payload ? { payload } : {}) });

      for (const [method, url, payload] of [
        ['PATCH', '/tenant', { name: 'Taken over' }],
        [
          'POST',
          '/users',
          {
            email: 'new-owner@test.zakpos.dev',
            name: 'X',
            role: 'owner',
            password: 'a long enough password',
          },
        ],
        ['PATCH', `/users/${t.cashier.id}`, { active: false }],
        ['POST', '/stores', { code: 'S9', name: 'Store 9' }],
        ['POST', `/stores/${t.storeIds[0]}/registers`, { name: 'Till 9' }],
        ['POST', '/categories', { name: 'Cat' }],
        ['POST', `/stores/${t.storeIds[0]}/stock/adjustments`, {}],
        ['GET', '/users', undefined],
        ['GET', '/audit-log', undefined],
      ] as const) {
        const refused = await as(method, url, payload);
        expect(refused.statusCode, `${method} ${url}`).toBe(403);
        expect(refused.json().error.code).toBe('FORBIDDEN');
      }
      expect((await as('GET', '/tenant')).statusCode).toBe(200);
      expect((await as('GET', '/products')).statusCode).toBe(200);
      // The same owner's password session keeps owner power.
      expect((await as('GET', '/users')).statusCode).toBe(403);
      expect(
        (await checkedInject(app, { method: 'GET', url: '/users', headers: t.owner.headers })).statusCode,
      ).toBe(200);
    });

    it('lets an owner use any register, limited to that register’s store', async () => {
      const t = await createTenant(app);
      await setPin(t.owner, '9753');
      const res = await at(t, t.owner, 1, '9753');
      expect(res.statusCode).toBe(200);
      expect(res.json().user).toMatchObject({ role: 'owner', storeIds: [t.storeIds[1]] });
    });

    it('accepts a PIN set by hashPin (the users module’s way)', async () => {
      const t = await createTenant(app);
      await su.query('update users set pin_hash = $1 where id = $2', [await hashPin('0000'), t.manager.id]);
      expect((await at(t, t.manager, 0, '0000')).statusCode).toBe(200);
      await expect(hashPin('12')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    });

    it('answers a wrong PIN, a user without a PIN and unknown ids with the same 401', async () => {
      const t = await createTenant(app);
      const other = await createTenant(app);
      await setPin(t.cashier, '1111');
      const expected = { error: { code: 'INVALID_CREDENTIALS', message: 'invalid credentials' } };
      const attempts = [
        at(t, t.cashier, 0, '2222'),
        at(t, t.manager, 0, '1111'), // no PIN set
        pinLogin({ tenantId: t.tenantId, registerId: randomUUID(), userId: t.cashier.id, pin: '1111' }),
        pinLogin({ tenantId: t.tenantId, registerId: t.registerIds[0], userId: randomUUID(), pin: '1111' }),
        pinLogin({ tenantId: randomUUID(), registerId: t.registerIds[0], userId: t.cashier.id, pin: '1111' }),
        // another tenant's register or user, named under this tenant
        pinLogin({
          tenantId: t.tenantId,
          registerId: other.registerIds[0],
          userId: t.cashier.id,
          pin: '1111',
        }),
        pinLogin({
          tenantId: other.tenantId,
          registerId: other.registerIds[0],
          userId: t.cashier.id,
          pin: '1111',
        }),
      ];
      for (const res of await Promise.all(attempts)) {
        expect(res.statusCode).toBe(401);
        expect(res.json()).toEqual(expected);
      }
    });

    it('refuses an inactive register or user with 401', async () => {
      const t = await createTenant(app);
      await setPin(t.cashier, '1111');
      await su.query('update registers set active = false where tenant_id = $1 and id = $2', [
        t.tenantId,
        t.registerIds[0],
      ]);
      expect((await at(t, t.cashier, 0, '1111')).statusCode).toBe(401);
      const u = await createTenant(app);
      await setPin(u.cashier, '1111');
      await su.query('update users set active = false where tenant_id = $1 and id = $2', [
        u.tenantId,
        u.cashier.id,
      ]);
      expect((await at(u, u.cashier, 0, '1111')).statusCode).toBe(401);
    });

    it.each([
      ['a short PIN', { pin: '123' }, 'pin'],
      ['a non-digit PIN', { pin: '12a4' }, 'pin'],
      ['a malformed tenant id', { tenantId: 'tenant-1' }, 'tenantId'],
      ['a missing register id', { registerId: undefined }, 'registerId'],
      ['an unknown field', { email: 'a@b.dev' }, 'email'],
    ])('rejects %s with 400', async (_, patch, field) => {
      const res = await pinLogin({
        tenantId: randomUUID(),
        registerId: randomUUID(),
        userId: randomUUID(),
        pin: '1234',
        ...patch,
      });
      expect(res.statusCode).toBe(400);
      expect(Object.keys(res.json().error.fields)).toContain(field);
    });
  });
});
