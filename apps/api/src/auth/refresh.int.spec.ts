import { createHash, randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTenant, type TestTenant, type TestUser } from '../test/fixtures.js';
import { createTestApp } from '../test/test-app.js';
import { checkedInject } from '../test/contract-check.js';
import { TokenService } from './token.service.js';

interface SessionBody {
  accessToken: string;
  refreshToken: string;
  user: { storeIds: string[] | null };
}

describe('refresh tokens', () => {
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

  const post = (url: string, payload: object, headers: Record<string, string> = {}) =>
    checkedInject(app, { method: 'POST', url, payload, headers });
  const loginAs = async (u: TestUser): Promise<SessionBody> => {
    const res = await post('/auth/login', { email: u.email, password: u.password });
    expect(res.statusCode).toBe(200);
    return res.json();
  };
  const refresh = (refreshToken: string) => post('/auth/refresh', { refreshToken });
  const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');
  /** Moves a rotated token's rotation back beyond the reuse grace. */
  const pastGrace = (token: string) =>
    su.query(
      "update refresh_tokens set rotated_at = rotated_at - interval '31 seconds' where token_hash = $1",
      [sha256(token)],
    );
  const expectInvalid = (res: Awaited<ReturnType<typeof refresh>>) => {
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('REFRESH_TOKEN_INVALID');
  };

  it('rotates: a new pair works, the old refresh token does not', async () => {
    const first = await loginAs(t.manager);
    const res = await refresh(first.refreshToken);
    expect(res.statusCode).toBe(200);
    const second: SessionBody = res.json();
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.user.storeIds).toEqual([t.storeIds[0]]);
    const me = await checkedInject(app, {
      method: 'GET',
      url: '/auth/me',
      headers: { authorization: `Bearer ${second.accessToken}` },
    });
    expect(me.statusCode).toBe(200);
    expect((await refresh(second.refreshToken)).statusCode).toBe(200);
  });

  it('stores only a SHA-256 hash of the token', async () => {
    const s = await loginAs(t.cashier);
    const hash = createHash('sha256').update(s.refreshToken).digest('hex');
    const rows = await su.query('select * from refresh_tokens where tenant_id = $1 and token_hash = $2', [
      t.tenantId,
      hash,
    ]);
    expect(rows.rows).toHaveLength(1);
    expect(rows.rows[0]).toMatchObject({
      user_id: t.cashier.id,
      register_id: null,
      revoked_at: null,
      rotated_at: null,
    });
    expect(JSON.stringify(rows.rows)).not.toContain(s.refreshToken.split('.')[1]);
  });

  it('reusing a rotated token revokes the whole family, the newest token included, and is audited', async () => {
    const first = await loginAs(t.owner);
    const second: SessionBody = (await refresh(first.refreshToken)).json();
    const third: SessionBody = (await refresh(second.refreshToken)).json();
    expect(third.refreshToken).toBeTruthy();

    expectInvalid(await refresh(first.refreshToken)); // stolen copy replayed
    expectInvalid(await refresh(third.refreshToken)); // the legitimate holder is logged out too

    const family = await su.query(
      'select revoked_at from refresh_tokens where tenant_id = $1 and family_id = (select family_id from refresh_tokens where token_hash = $2)',
      [t.tenantId, createHash('sha256').update(first.refreshToken).digest('hex')],
    );
    expect(family.rows).toHaveLength(3);
    expect(family.rows.every((r) => r.revoked_at !== null)).toBe(true);
    const audit = await su.query(
      "select entity_id from audit_log where tenant_id = $1 and action = 'auth.refresh_reuse'",
      [t.tenantId],
    );
    expect(audit.rows).toContainEqual({ entity_id: t.owner.id });
  });

  it('reuse after the grace revokes only that family: other logins of the same user keep working', async () => {
    const a = await loginAs(t.cashier);
    const b = await loginAs(t.cashier);
    await refresh(a.refreshToken);
    await pastGrace(a.refreshToken);
    expectInvalid(await refresh(a.refreshToken));
    expect((await refresh(b.refreshToken)).statusCode).toBe(200);
  });

  it('concurrent refreshes of one token all succeed with the same successor, which then rotates normally', async () => {
    for (let round = 0; round < 3; round++) {
      const s = await loginAs(t.manager);
      // Real concurrency: six requests at once against the real database, serialised only by its row lock.
      const results = await Promise.all(Array.from({ length: 6 }, () => refresh(s.refreshToken)));
      expect(results.map((r) => r.statusCode)).toEqual([200, 200, 200, 200, 200, 200]);
      const successors = new Set(results.map((r) => (r.json() as SessionBody).refreshToken));
      expect(successors.size).toBe(1);
      const [successor] = [...successors] as [string];
      expect(successor).not.toBe(s.refreshToken);
      for (const r of results) {
        const me = await checkedInject(app, {
          method: 'GET',
          url: '/auth/me',
          headers: { authorization: `Bearer ${(r.json() as SessionBody).accessToken}` },
        });
        expect(me.statusCode).toBe(200);
      }
      const family = await su.query(
        'select count(*)::int as n, count(revoked_at)::int as revoked from refresh_tokens where family_id = (select family_id from refresh_tokens where token_hash = $1)',
        [sha256(s.refreshToken)],
      );
      expect(family.rows[0]).toEqual({ n: 2, revoked: 0 });
      expect((await refresh(successor)).statusCode).toBe(200);
    }
  });

  it('a retry within the grace gets the same successor; once the successor is used, or after the grace, it is theft', async () => {
    const s = await loginAs(t.owner);
    const first: SessionBody = (await refresh(s.refreshToken)).json();
    const retry: SessionBody = (await refresh(s.refreshToken)).json();
    expect(retry.refreshToken).toBe(first.refreshToken);
    await refresh(first.refreshToken); // the successor moves on
    expectInvalid(await refresh(s.refreshToken));
    expectInvalid(await refresh(first.refreshToken)); // the family is revoked

    const late = await loginAs(t.owner);
    const next: SessionBody = (await refresh(late.refreshToken)).json();
    await pastGrace(late.refreshToken);
    expectInvalid(await refresh(late.refreshToken));
    expectInvalid(await refresh(next.refreshToken));
  });

  it('an expired refresh token is refused', async () => {
    const s = await loginAs(t.manager);
    await su.query(
      "update refresh_tokens set expires_at = now() - interval '1 second' where token_hash = $1",
      [createHash('sha256').update(s.refreshToken).digest('hex')],
    );
    expectInvalid(await refresh(s.refreshToken));
  });

  it('picks up the current stores and ends the session of a deactivated user', async () => {
    const other = await createTenant(app);
    const s = await loginAs(other.manager);
    await su.query('insert into user_stores (tenant_id, user_id, store_id) values ($1, $2, $3)', [
      other.tenantId,
      other.manager.id,
      other.storeIds[1],
    ]);
    const res = await refresh(s.refreshToken);
    expect(res.statusCode).toBe(200);
    const next: SessionBody = res.json();
    expect([...(next.user.storeIds ?? [])].sort()).toEqual([...other.storeIds].sort());
    expect((await app.get(TokenService).verify(next.accessToken)).storeIds?.sort()).toEqual(
      [...other.storeIds].sort(),
    );

    await su.query('update users set active = false where tenant_id = $1 and id = $2', [
      other.tenantId,
      other.manager.id,
    ]);
    expectInvalid(await refresh(next.refreshToken));
  });

  it.each([
    ['garbage', 'garbage'],
    ['an unknown tenant', `${randomUUID()}.${'a'.repeat(43)}`],
    ['a right-shaped unknown secret', () => `${t.tenantId}.${'b'.repeat(43)}`],
    ['a token with an extra part', () => `${t.tenantId}.${'a'.repeat(43)}.x`],
    ['an uppercased tenant id', () => `${t.tenantId.toUpperCase()}.${'a'.repeat(43)}`],
  ])('refuses %s', async (_, token) => {
    expectInvalid(await refresh(typeof token === 'function' ? token() : token));
  });

  it("refuses a tenant's token moved under another tenant's id", async () => {
    const other = await createTenant(app);
    const s = await loginAs(t.owner);
    const secret = s.refreshToken.split('.')[1];
    expectInvalid(await refresh(`${other.tenantId}.${secret}`));
  });

  it.each([
    ['a missing token', {}, 'refreshToken'],
    ['a number', { refreshToken: 5 }, 'refreshToken'],
    ['an over-long token', { refreshToken: 'x'.repeat(201) }, 'refreshToken'],
    ['an unknown field', { refreshToken: 'x', userId: 'y' }, 'userId'],
  ])('rejects %s with 400', async (_, payload, field) => {
    const res = await post('/auth/refresh', payload);
    expect(res.statusCode).toBe(400);
    expect(Object.keys(res.json().error.fields)).toContain(field);
  });
});

describe('POST /auth/logout', () => {
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

  it('revokes the refresh token and its whole family, and is audited', async () => {
    const t = await createTenant(app);
    const first = (
      await post('/auth/login', { email: t.cashier.email, password: t.cashier.password })
    ).json();
    const second = (await post('/auth/refresh', { refreshToken: first.refreshToken })).json();
    const headers = { authorization: `Bearer ${second.accessToken}` };
    const res = await post('/auth/logout', { refreshToken: second.refreshToken }, headers);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ok: true });
    expect((await post('/auth/refresh', { refreshToken: second.refreshToken })).statusCode).toBe(401);
    const audit = await su.query(
      "select entity_id from audit_log where tenant_id = $1 and action = 'auth.logout'",
      [t.tenantId],
    );
    expect(audit.rows).toEqual([{ entity_id: t.cashier.id }]);
  });

  it("ignores another user's refresh token", async () => {
    const t = await createTenant(app);
    const owners = (await post('/auth/login', { email: t.owner.email, password: t.owner.password })).json();
    const res = await post('/auth/logout', { refreshToken: owners.refreshToken }, t.cashier.headers);
    expect(res.statusCode).toBe(200);
    expect((await post('/auth/refresh', { refreshToken: owners.refreshToken })).statusCode).toBe(200);
  });

  it("ignores another tenant's refresh token", async () => {
    const a = await createTenant(app);
    const b = await createTenant(app);
    const theirs = (await post('/auth/login', { email: b.owner.email, password: b.owner.password })).json();
    expect(
      (await post('/auth/logout', { refreshToken: theirs.refreshToken }, a.owner.headers)).statusCode,
    ).toBe(200);
    expect((await post('/auth/refresh', { refreshToken: theirs.refreshToken })).statusCode).toBe(200);
  });

  it('needs a token and a valid body', async () => {
    const t = await createTenant(app);
    expect((await post('/auth/logout', { refreshToken: 'x' })).statusCode).toBe(401);
    const bad = await post('/auth/logout', { token: 'x' }, t.owner.headers);
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(bad.json().error.fields).sort()).toEqual(['refreshToken', 'token']);
  });
});
