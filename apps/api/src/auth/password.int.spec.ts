import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTenant } from '../test/fixtures.js';
import { createTestApp } from '../test/test-app.js';
import { checkedInject } from '../test/contract-check.js';

describe('POST /auth/password', () => {
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

  const post = (url: string, payload: object, headers: Record<string, string> = {}) =>
    checkedInject(app, { method: 'POST', url, payload, headers });
  const NEW_PASSWORD = 'a brand new passphrase';

  it('changes the password, ends every refresh token of the user and is audited', async () => {
    const t = await createTenant(app);
    const first = (
      await post('/auth/login', { email: t.manager.email, password: t.manager.password })
    ).json();
    const second = (
      await post('/auth/login', { email: t.manager.email, password: t.manager.password })
    ).json();
    const ownerSession = (
      await post('/auth/login', { email: t.owner.email, password: t.owner.password })
    ).json();
    const before = await su.query('select password_changed_at from users where id = $1', [t.manager.id]);

    const res = await post(
      '/auth/password',
      { currentPassword: t.manager.password, newPassword: NEW_PASSWORD },
      t.manager.headers,
    );
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ok: true });

    expect(
      (await post('/auth/login', { email: t.manager.email, password: t.manager.password })).statusCode,
    ).toBe(401);
    expect((await post('/auth/login', { email: t.manager.email, password: NEW_PASSWORD })).statusCode).toBe(
      200,
    );
    for (const s of [first, second]) {
      const refresh = await post('/auth/refresh', { refreshToken: s.refreshToken });
      expect(refresh.statusCode).toBe(401);
      expect(refresh.json().error.code).toBe('REFRESH_TOKEN_INVALID');
    }
    // Other users' sessions are untouched.
    expect((await post('/auth/refresh', { refreshToken: ownerSession.refreshToken })).statusCode).toBe(200);

    const after = await su.query('select password_changed_at from users where id = $1', [t.manager.id]);
    expect(after.rows[0].password_changed_at.getTime()).toBeGreaterThan(
      before.rows[0].password_changed_at.getTime(),
    );
    const audit = await su.query(
      "select actor_user_id, entity_id, data from audit_log where tenant_id = $1 and action = 'auth.password_changed'",
      [t.tenantId],
    );
    expect(audit.rows).toEqual([
      { actor_user_id: t.manager.id, entity_id: t.manager.id, data: { revokedSessions: 2 } },
    ]);
    expect(JSON.stringify(audit.rows)).not.toContain(NEW_PASSWORD);
  });

  it('refuses a wrong current password with 401 naming the field and changes nothing', async () => {
    const t = await createTenant(app);
    const session = (
      await post('/auth/login', { email: t.cashier.email, password: t.cashier.password })
    ).json();
    const res = await post(
      '/auth/password',
      { currentPassword: 'wrong wrong wrong', newPassword: NEW_PASSWORD },
      t.cashier.headers,
    );
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({
      error: {
        code: 'INVALID_CREDENTIALS',
        message: 'invalid credentials',
        fields: { currentPassword: ['is incorrect'] },
      },
    });
    // A wrong current password counts as a failed attempt on the account, like a failed login.
    const row = await su.query(
      "select failures from auth_throttles where kind = 'password' and account = $1 and source = ''",
      [t.cashier.email],
    );
    expect(row.rows).toEqual([{ failures: 1 }]);
    expect(
      (await post('/auth/login', { email: t.cashier.email, password: t.cashier.password })).statusCode,
    ).toBe(200);
    expect((await post('/auth/refresh', { refreshToken: session.refreshToken })).statusCode).toBe(200);
  });

  it.each([
    [
      'a short new password',
      { currentPassword: 'correct horse battery staple', newPassword: 'short' },
      'newPassword',
    ],
    [
      'the same password again',
      { currentPassword: 'correct horse battery staple', newPassword: 'correct horse battery staple' },
      'newPassword',
    ],
    ['a missing current password', { newPassword: NEW_PASSWORD }, 'currentPassword'],
    ['an unknown field', { currentPassword: 'x', newPassword: NEW_PASSWORD, userId: 'x' }, 'userId'],
  ])('rejects %s with 400 naming the field', async (_, payload, field) => {
    const t = await createTenant(app);
    const res = await post('/auth/password', payload, t.owner.headers);
    expect(res.statusCode).toBe(400);
    expect(Object.keys(res.json().error.fields)).toContain(field);
    expect((await post('/auth/login', { email: t.owner.email, password: t.owner.password })).statusCode).toBe(
      200,
    );
  });

  it('needs a token', async () => {
    const res = await post('/auth/password', { currentPassword: 'x', newPassword: NEW_PASSWORD });
    expect(res.statusCode).toBe(401);
  });
});
