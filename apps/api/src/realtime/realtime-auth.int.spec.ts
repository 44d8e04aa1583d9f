import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenService } from '../auth/token.service.js';
import type { Env } from '../config/env.js';
import { checkedInject } from '../test/contract-check.js';
import { createTenant, type TestTenant, type TestUser } from '../test/fixtures.js';
import { createTestApp } from '../test/test-app.js';
import { AUTH_EXPIRED_EVENT, RealtimeGateway } from './realtime.gateway.js';
import { connectClient, refusal, storeUser, type TestClient } from './realtime.test-fixtures.js';

/**
 * The handshake is checked as a REST request is (token, then session version), and the rooms come from the
 * token alone. An in-process API on the shared database, listening on a port; no relay (EVENTS_RUN_IN=worker).
 */
describe('the Socket.IO gateway: who gets in, and what they hear', () => {
  let app: NestFastifyApplication;
  let url: string;
  let t: TestTenant;
  const clients: TestClient[] = [];

  beforeAll(async () => {
    app = await createTestApp();
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
    t = await createTenant(app);
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await app?.close();
  });

  const connect = async (token: string) => {
    const client = await connectClient(url, token);
    clients.push(client);
    return client;
  };
  const claimsOf = (user: TestUser, storeIds: string[] | null) => ({
    userId: user.id,
    tenantId: t.tenantId,
    role: user.role,
    storeIds,
    registerId: null,
    sessionKind: 'full' as const,
    sessionVersion: 1,
  });

  it('refuses a handshake with no token, a malformed or foreign token, or a refresh token, naming why', async () => {
    expect(await refusal(url, {})).toEqual({
      code: 'UNAUTHENTICATED',
      message: 'authentication required: send the access token as auth.token',
    });
    expect(await refusal(url, { token: 42 })).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(await refusal(url, { token: 'not.a.jwt' })).toEqual({
      code: 'UNAUTHENTICATED',
      message: 'invalid access token',
    });
    // Well formed, but signed with another secret.
    const foreign = new TokenService({ JWT_SECRET: 'z'.repeat(40), ACCESS_TOKEN_TTL_SECONDS: 900 } as Env);
    expect(await refusal(url, { token: await foreign.sign(claimsOf(t.cashier, [t.storeIds[0]])) })).toEqual({
      code: 'UNAUTHENTICATED',
      message: 'invalid access token',
    });
    const login = await checkedInject(app, {
      method: 'POST',
      url: '/auth/login',
      payload: { email: t.cashier.email, password: t.cashier.password },
    });
    expect(login.statusCode, login.body).toBe(200);
    expect(await refusal(url, { token: login.json().refreshToken })).toEqual({
      code: 'UNAUTHENTICATED',
      message: 'invalid access token',
    });
    // The same login's access token is admitted.
    await connect(login.json().accessToken);
  });

  it('refuses an expired access token as TOKEN_EXPIRED', async () => {
    const expired = await app.get(TokenService).sign(claimsOf(t.manager, [t.storeIds[0]]), -60);
    expect(await refusal(url, { token: expired })).toEqual({
      code: 'TOKEN_EXPIRED',
      message: 'access token expired',
    });
  });

  it('refuses a token whose session has ended (its user deactivated), as the REST guard does', async () => {
    const other = await createTenant(app);
    await connect(other.cashier.token);
    const off = await checkedInject(app, {
      method: 'PATCH',
      url: `/users/${other.cashier.id}`,
      headers: other.owner.headers,
      payload: { active: false },
    });
    expect(off.statusCode, off.body).toBe(200);
    expect(await refusal(url, { token: other.cashier.token })).toEqual({
      code: 'UNAUTHENTICATED',
      message: 'this session has ended; log in again',
    });
  });

  it('disconnects a socket when its token expires, after telling it why', async () => {
    const ttlSeconds = 4;
    const token = await app.get(TokenService).sign(claimsOf(t.manager, [t.storeIds[0]]), ttlSeconds);
    const expiresAt = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).exp * 1000;
    const client = await connect(token);
    const reason = await new Promise<string>((resolve) => client.socket.once('disconnect', resolve));
    expect(Date.now()).toBeGreaterThanOrEqual(expiresAt);
    expect(reason).toBe('io server disconnect');
    expect(client.heard).toEqual([
      { event: AUTH_EXPIRED_EVENT, data: { code: 'TOKEN_EXPIRED', message: 'access token expired' } },
    ]);
  });

  it("joins the rooms the token gives: an owner hears every store, a cashier only its own, another tenant's user nothing", async () => {
    const owner = await connect(t.owner.token);
    const cashier0 = await connect(t.cashier.token);
    const cashier1 = await connect((await storeUser(app, t, 'cashier', t.storeIds[1])).token);
    const other = await createTenant(app);
    const stranger = await connect(other.owner.token);
    const gateway = app.get(RealtimeGateway);
    // One process emits these in order, so a socket that hears the last has been sent every one before it.
    gateway.toStore(t.tenantId, t.storeIds[1], 'probe', { store: 1 });
    gateway.toStore(t.tenantId, t.storeIds[0], 'probe', { store: 0 });
    await owner.hear('probe', (d) => d.store === 0);
    await cashier0.hear('probe', (d) => d.store === 0);
    expect(owner.all('probe')).toEqual([{ store: 1 }, { store: 0 }]);
    expect(cashier0.all('probe')).toEqual([{ store: 0 }]);
    gateway.toStore(t.tenantId, t.storeIds[1], 'probe', { store: 1, again: true });
    await cashier1.hear('probe', (d) => d.again === true);
    expect(cashier1.all('probe')).toEqual([{ store: 1 }, { store: 1, again: true }]);
    // The stranger's tenant last: everything above was sent before it.
    gateway.toStore(other.tenantId, other.storeIds[0], 'probe', { stranger: true });
    await stranger.hear('probe');
    expect(stranger.all('probe')).toEqual([{ stranger: true }]);
  });
});
