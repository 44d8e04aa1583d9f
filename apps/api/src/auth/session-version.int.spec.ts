import { describe, expect, it } from 'vitest';
import { useApiHarness } from '../test/api-harness.js';
import { createTenant, type TestTenant, type TestUser } from '../test/fixtures.js';

/**
 * Access tokens end with the user's rights: every unit of work of a request checks the token's session
 * version (migration 0008, app_session_check), so a change bites at the next request, not 15 minutes later.
 */
describe('session versions', () => {
  const api = useApiHarness();

  const as = (user: TestUser) => ({ authorization: `Bearer ${user.token}` });
  const getTenant = (user: TestUser) => api.app.inject({ method: 'GET', url: '/tenant', headers: as(user) });
  const patchUser = (t: TestTenant, id: string, payload: object) =>
    api.call(t, 'owner', 'PATCH', `/users/${id}`, payload);
  const expectEnded = async (user: TestUser) => {
    const res = await getTenant(user);
    expect(res.statusCode).toBe(401);
    expect(res.json().error).toEqual({
      code: 'UNAUTHENTICATED',
      message: 'this session has ended; log in again',
    });
  };

  it('a deactivated cashier is refused at their next request', async () => {
    const t = await createTenant(api.app);
    expect((await getTenant(t.cashier)).statusCode).toBe(200);
    expect((await patchUser(t, t.cashier.id, { active: false })).statusCode).toBe(200);
    await expectEnded(t.cashier);
  });

  it('a demoted manager, and a manager losing a store, are refused at once', async () => {
    const t = await createTenant(api.app);
    expect((await patchUser(t, t.manager.id, { role: 'cashier' })).statusCode).toBe(200);
    await expectEnded(t.manager);

    const u = await createTenant(api.app);
    expect((await patchUser(u, u.manager.id, { storeIds: [u.storeIds[1]] })).statusCode).toBe(200);
    await expectEnded(u.manager);
  });

  it('a password change ends every access token of the user', async () => {
    const t = await createTenant(api.app);
    const res = await api.call(t, 'cashier', 'POST', '/auth/password', {
      currentPassword: t.cashier.password,
      newPassword: 'a brand new passphrase',
    });
    expect(res.statusCode).toBe(200);
    await expectEnded(t.cashier);
  });

  it("an administrator's change of another user's password, email or PIN ends that user's sessions", async () => {
    for (const change of [
      { password: 'reset by the owner 1' },
      { email: `moved-${Date.now()}@test.zakpos.dev` },
      { pin: '4821' },
    ]) {
      const t = await createTenant(api.app);
      const login = await api.app.inject({
        method: 'POST',
        url: '/auth/login',
        payload: { email: t.manager.email, password: t.manager.password },
      });
      const { refreshToken } = login.json() as { refreshToken: string };
      expect((await patchUser(t, t.manager.id, change)).statusCode).toBe(200);
      await expectEnded(t.manager);
      const refreshed = await api.app.inject({
        method: 'POST',
        url: '/auth/refresh',
        payload: { refreshToken },
      });
      expect(refreshed.statusCode).toBe(401);
    }
  });

  it('changes that take no right away leave the tokens working', async () => {
    const t = await createTenant(api.app);
    expect((await patchUser(t, t.cashier.id, { name: 'Renamed' })).statusCode).toBe(200);
    expect((await patchUser(t, t.manager.id, { storeIds: [...t.storeIds] })).statusCode).toBe(200);
    expect((await getTenant(t.cashier)).statusCode).toBe(200);
    expect((await api.call(t, 'owner', 'GET', '/tenant')).statusCode).toBe(200);
  });
});
