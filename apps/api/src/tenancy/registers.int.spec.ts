import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useApiHarness } from '../test/api-harness.js';
import { createTenant } from '../test/fixtures.js';

describe('registers', () => {
  const api = useApiHarness();
  const { call, rowCount } = api;
  const registerCount = (tenantId: string) => rowCount('registers', tenantId);

  it("every role lists its store's registers; a store not theirs is refused, another tenant's not found", async () => {
    const t = await createTenant(api.app);
    const other = await createTenant(api.app);
    for (const who of ['owner', 'manager', 'cashier'] as const) {
      const res = await call(t, who, 'GET', `/stores/${t.storeIds[0]}/registers`);
      expect(res.statusCode).toBe(200);
      expect(res.json().items).toEqual([
        expect.objectContaining({
          id: t.registerIds[0],
          storeId: t.storeIds[0],
          name: 'Till 1',
          active: true,
        }),
      ]);
    }
    expect((await call(t, 'manager', 'GET', `/stores/${t.storeIds[1]}/registers`)).statusCode).toBe(403);
    expect((await call(t, 'owner', 'GET', `/stores/${other.storeIds[0]}/registers`)).statusCode).toBe(404);
  });

  it('a manager adds a register to their store; it is audited', async () => {
    const t = await createTenant(api.app);
    const res = await call(t, 'manager', 'POST', `/stores/${t.storeIds[0]}/registers`, { name: 'Till 2' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ storeId: t.storeIds[0], name: 'Till 2', active: true });
    const audit = await api.su.query(
      `select actor_user_id from audit_log where tenant_id = $1 and action = 'register.created' and entity_id = $2`,
      [t.tenantId, res.json().id],
    );
    expect(audit.rows).toEqual([{ actor_user_id: t.manager.id }]);
  });

  it('a name already used in the store is a 409 naming name; another store may use it', async () => {
    const t = await createTenant(api.app);
    const dup = await call(t, 'owner', 'POST', `/stores/${t.storeIds[0]}/registers`, { name: ' Till 1 ' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error).toMatchObject({ code: 'CONFLICT', fields: { name: expect.any(Array) } });
    expect(await registerCount(t.tenantId)).toBe(2);
    const ok = await call(t, 'owner', 'POST', `/stores/${t.storeIds[1]}/registers`, { name: 'Till 2' });
    expect(ok.statusCode).toBe(201);
  });

  it("refuses managers outside their stores and cashiers; another tenant's store is not found", async () => {
    const t = await createTenant(api.app);
    const other = await createTenant(api.app);
    expect(
      (await call(t, 'manager', 'POST', `/stores/${t.storeIds[1]}/registers`, { name: 'X' })).statusCode,
    ).toBe(403);
    expect(
      (await call(t, 'cashier', 'POST', `/stores/${t.storeIds[0]}/registers`, { name: 'X' })).statusCode,
    ).toBe(403);
    expect(
      (await call(t, 'owner', 'POST', `/stores/${other.storeIds[0]}/registers`, { name: 'X' })).statusCode,
    ).toBe(404);
    expect(
      (await call(t, 'owner', 'POST', `/stores/${randomUUID()}/registers`, { name: 'X' })).statusCode,
    ).toBe(404);
    expect(await registerCount(t.tenantId)).toBe(2);
    expect(await registerCount(other.tenantId)).toBe(2);
  });

  it.each([
    [{ name: '' }, 'name'],
    [{ name: 'x'.repeat(121) }, 'name'],
    [{ name: 7 }, 'name'],
    [{ name: 'ok', active: 'no' }, 'active'],
    [{ name: 'ok', storeId: randomUUID() }, 'storeId'],
  ])('rejects %j naming %s', async (payload, field) => {
    const t = await createTenant(api.app);
    const res = await call(t, 'owner', 'POST', `/stores/${t.storeIds[0]}/registers`, payload);
    expect(res.statusCode).toBe(400);
    expect(Object.keys(res.json().error.fields)).toContain(field);
    expect(await registerCount(t.tenantId)).toBe(2);
  });

  it('a manager renames and deactivates a register of their store; it is audited', async () => {
    const t = await createTenant(api.app);
    const res = await call(t, 'manager', 'PATCH', `/registers/${t.registerIds[0]}`, {
      name: 'Front',
      active: false,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: t.registerIds[0], name: 'Front', active: false });
    const audit = await api.su.query(
      `select data from audit_log where tenant_id = $1 and action = 'register.updated' and entity_id = $2`,
      [t.tenantId, t.registerIds[0]],
    );
    expect(audit.rows[0].data.changes).toEqual({
      name: { from: 'Till 1', to: 'Front' },
      active: { from: true, to: false },
    });
  });

  it("refuses changes outside the manager's stores, by cashiers, to duplicate names, and to another tenant's register", async () => {
    const t = await createTenant(api.app);
    const other = await createTenant(api.app);
    expect(
      (await call(t, 'manager', 'PATCH', `/registers/${t.registerIds[1]}`, { name: 'X' })).statusCode,
    ).toBe(403);
    expect(
      (await call(t, 'cashier', 'PATCH', `/registers/${t.registerIds[0]}`, { name: 'X' })).statusCode,
    ).toBe(403);
    await call(t, 'owner', 'POST', `/stores/${t.storeIds[0]}/registers`, { name: 'Till 2' });
    const dup = await call(t, 'owner', 'PATCH', `/registers/${t.registerIds[0]}`, { name: 'Till 2' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.fields).toHaveProperty('name');
    expect(
      (await call(t, 'owner', 'PATCH', `/registers/${other.registerIds[0]}`, { active: false })).statusCode,
    ).toBe(404);
    const names = await api.su.query('select name, active from registers where id = any($1) order by name', [
      [t.registerIds[0], t.registerIds[1], other.registerIds[0]],
    ]);
    expect(names.rows).toEqual([
      { name: 'Till 1', active: true },
      { name: 'Till 1', active: true },
      { name: 'Till 1', active: true },
    ]);
    expect((await call(t, 'owner', 'PATCH', `/registers/${t.registerIds[0]}`, {})).statusCode).toBe(400);
  });

  it('a register with an open cash session cannot be deactivated (409 CASH_SESSION_OPEN naming active); once closed it can', async () => {
    const t = await createTenant(api.app);
    const till = t.registerIds[0];
    const session = await call(t, 'owner', 'POST', `/registers/${till}/cash-sessions`, { openingFloat: 0 });
    expect(session.statusCode).toBe(201);
    const refused = await call(t, 'manager', 'PATCH', `/registers/${till}`, { name: 'Front', active: false });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({
      code: 'CASH_SESSION_OPEN',
      fields: { active: expect.any(Array) },
    });
    const row = await api.su.query('select name, active from registers where id = $1', [till]);
    expect(row.rows).toEqual([{ name: 'Till 1', active: true }]);
    // Renaming, or saying active: true, is not a deactivation.
    expect(
      (await call(t, 'owner', 'PATCH', `/registers/${till}`, { name: 'Front', active: true })).statusCode,
    ).toBe(200);
    const closed = await call(t, 'owner', 'POST', `/cash-sessions/${session.json().id}/close`, {
      countedTotal: 0,
    });
    expect(closed.statusCode).toBe(200);
    const ok = await call(t, 'owner', 'PATCH', `/registers/${till}`, { active: false });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().active).toBe(false);
  });

  it('an open racing a deactivation: never an inactive register with an open cash session', async () => {
    const t = await createTenant(api.app);
    for (let round = 0; round < 12; round++) {
      const created = await call(t, 'owner', 'POST', `/stores/${t.storeIds[0]}/registers`, {
        name: `Race ${round}`,
      });
      const id = created.json().id as string;
      const [open, patch] = await Promise.all([
        call(t, 'owner', 'POST', `/registers/${id}/cash-sessions`, { openingFloat: 0 }),
        call(t, 'owner', 'PATCH', `/registers/${id}`, { active: false }),
      ]);
      // Exactly one wins: the open (and the deactivation is refused) or the deactivation (and the open is).
      const outcome = `${open.statusCode}/${patch.statusCode}`;
      expect(['201/409', '409/200'], outcome).toContain(outcome);
      expect((open.statusCode === 201 ? patch : open).json().error.code).toBe(
        open.statusCode === 201 ? 'CASH_SESSION_OPEN' : 'INVALID_STATE',
      );
      const state = await api.su.query(
        `select r.active, count(s.id)::int as open from registers r
           left join cash_sessions s on s.tenant_id = r.tenant_id and s.register_id = r.id and s.closed_at is null
          where r.tenant_id = $1 and r.id = $2 group by r.active`,
        [t.tenantId, id],
      );
      expect(state.rows[0]).toEqual(
        open.statusCode === 201 ? { active: true, open: 1 } : { active: false, open: 0 },
      );
    }
  });
});
