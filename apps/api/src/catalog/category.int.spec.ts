import { catalogEndpoints as catalog } from '@zakpos/contracts';
import { describe, expect, it } from 'vitest';
import { useApiHarness } from '../test/api-harness.js';
import { createTenant, type TestTenant } from '../test/fixtures.js';

describe('product categories', () => {
  const api = useApiHarness();
  const { call } = api;
  // The typed client resolves only with the contract's status (201 here) and a body its schema accepts.
  const create = async (t: TestTenant, body: { name: string; parentId?: string | null }) =>
    (await api.client(t.owner)(catalog.createCategory, { body })).id;

  it('builds a tree, lists it by name, renames and deletes leaves', async () => {
    const t = await createTenant(api.app);
    const [owner, manager, cashier] = [api.client(t.owner), api.client(t.manager), api.client(t.cashier)];
    const food = await create(t, { name: 'Food' });
    const dairy = await create(t, { name: 'Dairy', parentId: food });
    const params = { id: dairy };
    expect(await cashier(catalog.getCategory, { params })).toMatchObject({ name: 'Dairy', parentId: food });
    expect((await cashier(catalog.listCategories)).items.map((c) => c.name)).toEqual(['Dairy', 'Food']);
    const renamed = await manager(catalog.updateCategory, { params, body: { name: 'Dairy & Eggs' } });
    expect(renamed).toMatchObject({ name: 'Dairy & Eggs', parentId: food });
    const detached = await manager(catalog.updateCategory, { params, body: { parentId: null } });
    expect(detached.parentId).toBeNull();
    expect(await owner(catalog.deleteCategory, { params })).toEqual({ ok: true });
    await expect(owner(catalog.getCategory, { params })).rejects.toMatchObject({
      status: 404,
      code: 'NOT_FOUND',
    });
  });

  it('refuses a cycle, a parent of another tenant, a duplicate name and deleting a category in use', async () => {
    const t = await createTenant(api.app);
    const other = await createTenant(api.app);
    const a = await create(t, { name: 'A' });
    const b = await create(t, { name: 'B', parentId: a });
    const c = await create(t, { name: 'C', parentId: b });

    const cycle = await call(t, 'owner', 'PATCH', `/categories/${a}`, { parentId: c });
    expect(cycle.statusCode).toBe(400);
    expect(cycle.json().error.fields).toHaveProperty('parentId');
    expect((await call(t, 'owner', 'PATCH', `/categories/${a}`, { parentId: a })).statusCode).toBe(400);

    const foreign = await create(other, { name: 'Foreign' });
    const res = await call(t, 'owner', 'POST', '/categories', { name: 'D', parentId: foreign });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.fields).toHaveProperty('parentId');
    expect((await call(t, 'owner', 'GET', `/categories/${foreign}`)).statusCode).toBe(404);
    expect((await call(t, 'owner', 'PATCH', `/categories/${foreign}`, { name: 'Mine' })).statusCode).toBe(
      404,
    );

    const dup = await call(t, 'owner', 'POST', '/categories', { name: 'A' });
    expect(dup.statusCode).toBe(409);
    expect((await call(t, 'owner', 'PATCH', `/categories/${c}`, { name: 'B' })).statusCode).toBe(409);

    expect((await call(t, 'owner', 'DELETE', `/categories/${b}`)).statusCode).toBe(409); // has a child
    const tax = (
      await call(t, 'owner', 'POST', '/tax-categories', { name: 'S', rates: [{ name: 'S', rateBp: 2000 }] })
    ).json().id;
    await call(t, 'owner', 'POST', '/products', {
      sku: 'P1',
      name: 'P',
      price: 1,
      taxCategoryId: tax,
      categoryId: c,
    });
    expect((await call(t, 'owner', 'DELETE', `/categories/${c}`)).statusCode).toBe(409); // has a product
    const rows = await api.su.query('select count(*)::int as n from categories where tenant_id = $1', [
      t.tenantId,
    ]);
    expect(rows.rows[0].n).toBe(3);
  });

  it('validates input and refuses cashiers', async () => {
    const t = await createTenant(api.app);
    for (const [body, field] of [
      [{ name: '' }, 'name'],
      [{ name: 'x'.repeat(121) }, 'name'],
      [{ name: 'X', parentId: 'nope' }, 'parentId'],
      [{ name: 'X', colour: 'red' }, 'colour'],
      [{ name: 42 }, 'name'],
    ] as const) {
      const res = await call(t, 'owner', 'POST', '/categories', body);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.fields).toHaveProperty([field]);
    }
    expect((await call(t, 'cashier', 'POST', '/categories', { name: 'X' })).statusCode).toBe(403);
    const id = await create(t, { name: 'X' });
    expect((await call(t, 'cashier', 'PATCH', `/categories/${id}`, { name: 'Y' })).statusCode).toBe(403);
    expect((await call(t, 'cashier', 'DELETE', `/categories/${id}`)).statusCode).toBe(403);
  });
});
