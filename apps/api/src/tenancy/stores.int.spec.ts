import { randomUUID } from 'node:crypto';
import { tenancyEndpoints as tenancy } from '@zakpos/contracts';
import { describe, expect, it } from 'vitest';
import { useApiHarness } from '../test/api-harness.js';
import { createTenant } from '../test/fixtures.js';

describe('stores', () => {
  const api = useApiHarness();
  const { call, rowCount } = api;
  const storeCount = (tenantId: string) => rowCount('stores', tenantId);

  it('owners list every store; managers and cashiers only theirs', async () => {
    const t = await createTenant(api.app);
    const owner = await api.client(t.owner)(tenancy.listStores);
    expect(owner.items.map((s) => s.code)).toEqual(['S1', 'S2']);
    for (const who of ['manager', 'cashier'] as const) {
      const res = await api.client(t[who])(tenancy.listStores);
      expect(res.items.map((s) => s.id)).toEqual([t.storeIds[0]]);
    }
  });

  it('reads one store; another of the tenant is refused to a manager, another tenant’s is not found', async () => {
    const t = await createTenant(api.app);
    const other = await createTenant(api.app);
    const res = await api.client(t.cashier)(tenancy.getStore, { params: { id: t.storeIds[0] } });
    expect(res).toMatchObject({
      id: t.storeIds[0],
      code: 'S1',
      timeZone: 'UTC',
      address: null,
      oversellPolicy: 'allow_negative',
      active: true,
    });
    expect((await call(t, 'manager', 'GET', `/stores/${t.storeIds[1]}`)).statusCode).toBe(403);
    expect((await call(t, 'owner', 'GET', `/stores/${other.storeIds[0]}`)).statusCode).toBe(404);
    expect((await call(t, 'owner', 'GET', `/stores/${randomUUID()}`)).statusCode).toBe(404);
    const bad = await call(t, 'owner', 'GET', '/stores/not-a-uuid');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields).toHaveProperty('id');
  });

  it('the owner opens a store (code upper-cased) and it is audited', async () => {
    const t = await createTenant(api.app);
    const res = await call(t, 'owner', 'POST', '/stores', {
      code: 'north-1',
      name: 'North',
      timeZone: 'Europe/Paris',
      address: '1 rue de la Paix',
      oversellPolicy: 'refuse',
    });
    expect(res.statusCode).toBe(201);
    const store = res.json();
    expect(store).toMatchObject({
      code: 'NORTH-1',
      name: 'North',
      timeZone: 'Europe/Paris',
      address: '1 rue de la Paix',
      oversellPolicy: 'refuse',
      active: true,
    });
    expect((await call(t, 'owner', 'GET', `/stores/${store.id}`)).json()).toEqual(store);
    const audit = await api.su.query(
      `select actor_user_id, data from audit_log where tenant_id = $1 and action = 'store.created' and entity_id = $2`,
      [t.tenantId, store.id],
    );
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0].data.store.code).toBe('NORTH-1');
  });

  it('a code already used in the tenant is a 409 naming code; another tenant may use it', async () => {
    const t = await createTenant(api.app);
    const res = await call(t, 'owner', 'POST', '/stores', { code: 's1', name: 'Again' });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'CONFLICT', fields: { code: expect.any(Array) } });
    expect(await storeCount(t.tenantId)).toBe(2);
    const other = await createTenant(api.app);
    expect((await call(other, 'owner', 'POST', '/stores', { code: 'X9', name: 'X' })).statusCode).toBe(201);
    expect((await call(t, 'owner', 'POST', '/stores', { code: 'X9', name: 'X' })).statusCode).toBe(201);
  });

  it('managers and cashiers may not open or change stores', async () => {
    const t = await createTenant(api.app);
    for (const who of ['manager', 'cashier'] as const) {
      expect((await call(t, who, 'POST', '/stores', { code: 'M1', name: 'Mine' })).statusCode).toBe(403);
      expect((await call(t, who, 'PATCH', `/stores/${t.storeIds[0]}`, { name: 'Mine' })).statusCode).toBe(
        403,
      );
    }
    expect(await storeCount(t.tenantId)).toBe(2);
  });

  it.each([
    [{ code: 'S3', name: 'x', timeZone: 'Mars/Olympus_Mons' }, 'timeZone'],
    [{ code: 'S3', name: 'x', timeZone: 12 }, 'timeZone'],
    [{ code: 'ÄB', name: 'x' }, 'code'],
    [{ code: '-AB', name: 'x' }, 'code'],
    [{ code: 'A'.repeat(21), name: 'x' }, 'code'],
    [{ code: 'S3', name: 'x'.repeat(121) }, 'name'],
    [{ code: 'S3' }, 'name'],
    [{ code: 'S3', name: 'x', address: 'a'.repeat(501) }, 'address'],
    [{ code: 'S3', name: 'x', oversellPolicy: 'maybe' }, 'oversellPolicy'],
    [{ code: 'S3', name: 'x', active: 'yes' }, 'active'],
    [{ code: 'S3', name: 'x', tenantId: randomUUID() }, 'tenantId'],
  ])('rejects %j naming %s and writes nothing', async (payload, field) => {
    const t = await createTenant(api.app);
    const res = await call(t, 'owner', 'POST', '/stores', payload);
    expect(res.statusCode).toBe(400);
    expect(Object.keys(res.json().error.fields)).toContain(field);
    expect(await storeCount(t.tenantId)).toBe(2);
  });

  it('the owner changes a store and the change is audited', async () => {
    const t = await createTenant(api.app);
    const res = await call(t, 'owner', 'PATCH', `/stores/${t.storeIds[1]}`, {
      name: 'Harbour',
      timeZone: 'America/New_York',
      address: null,
      oversellPolicy: 'refuse',
      active: false,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      id: t.storeIds[1],
      code: 'S2',
      name: 'Harbour',
      timeZone: 'America/New_York',
      oversellPolicy: 'refuse',
      active: false,
    });
    const audit = await api.su.query(
      `select data from audit_log where tenant_id = $1 and action = 'store.updated' and entity_id = $2`,
      [t.tenantId, t.storeIds[1]],
    );
    expect(audit.rows[0].data.changes).toMatchObject({
      name: { from: 'Store 2', to: 'Harbour' },
      oversellPolicy: { from: 'allow_negative', to: 'refuse' },
      active: { from: true, to: false },
    });
  });

  it('renaming a code onto another store’s is a 409; another tenant’s store is not found; empty PATCH is a 400', async () => {
    const t = await createTenant(api.app);
    const other = await createTenant(api.app);
    const dup = await call(t, 'owner', 'PATCH', `/stores/${t.storeIds[1]}`, { code: 'S1' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.fields).toHaveProperty('code');
    expect((await call(t, 'owner', 'PATCH', `/stores/${t.storeIds[1]}`, { code: 'S2' })).statusCode).toBe(
      200,
    );
    const foreign = await call(t, 'owner', 'PATCH', `/stores/${other.storeIds[0]}`, { name: 'Mine now' });
    expect(foreign.statusCode).toBe(404);
    const untouched = await api.su.query('select name from stores where tenant_id = $1 and id = $2', [
      other.tenantId,
      other.storeIds[0],
    ]);
    expect(untouched.rows[0].name).toBe('Store 1');
    const empty = await call(t, 'owner', 'PATCH', `/stores/${t.storeIds[1]}`, {});
    expect(empty.statusCode).toBe(400);
  });
});
