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
});
