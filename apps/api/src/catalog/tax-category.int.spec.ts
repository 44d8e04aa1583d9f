import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useApiHarness } from '../test/api-harness.js';
import { createTenant } from '../test/fixtures.js';

describe('tax categories', () => {
  const api = useApiHarness();
  const { call, rowCount: count } = api;

  const qst = {
    name: 'GST + QST',
    rates: [
      { name: 'GST', rateBp: 500 },
      { name: 'QST', rateBp: 998 },
    ],
  };

  it('creates, reads, lists, updates and deletes, auditing every change', async () => {
    const t = await createTenant(api.app);
    const created = await call(t, 'manager', 'POST', '/tax-categories', qst);
    expect(created.statusCode).toBe(201);
    const id = created.json().id;
    expect(created.json()).toMatchObject({ name: 'GST + QST', rates: qst.rates });

    expect((await call(t, 'cashier', 'GET', `/tax-categories/${id}`)).json()).toMatchObject({
      id,
      rates: qst.rates,
    });
    expect(
      (await call(t, 'cashier', 'GET', '/tax-categories')).json().items.map((c: { id: string }) => c.id),
    ).toEqual([id]);

    const updated = await call(t, 'owner', 'PATCH', `/tax-categories/${id}`, {
      rates: [{ name: 'HST', rateBp: 1300 }],
    });
    expect(updated.statusCode).toBe(200);
    expect(updated.json()).toMatchObject({ name: 'GST + QST', rates: [{ name: 'HST', rateBp: 1300 }] });
    expect(await count('tax_category_rates', t.tenantId)).toBe(1);

    expect((await call(t, 'owner', 'DELETE', `/tax-categories/${id}`)).json()).toEqual({ ok: true });
    expect((await call(t, 'owner', 'GET', `/tax-categories/${id}`)).statusCode).toBe(404);

    const audit = await api.su.query(
      'select action, actor_user_id, data from audit_log where tenant_id = $1 and entity_id = $2 order by id',
      [t.tenantId, id],
    );
    expect(audit.rows.map((r) => r.action)).toEqual([
      'tax_category.created',
      'tax_category.updated',
      'tax_category.deleted',
    ]);
    expect(audit.rows[1].data).toMatchObject({
      before: { rates: qst.rates },
      after: { rates: [{ name: 'HST', rateBp: 1300 }] },
    });
  });

  it.each([
    ['no rates', 'rates', { name: 'X', rates: [] }],
    [
      'six rates',
      'rates',
      { name: 'X', rates: Array.from({ length: 6 }, (_, i) => ({ name: `R${i}`, rateBp: 100 })) },
    ],
    ['a negative rate', 'rates.0.rateBp', { name: 'X', rates: [{ name: 'R', rateBp: -1 }] }],
    ['a fractional rate', 'rates.0.rateBp', { name: 'X', rates: [{ name: 'R', rateBp: 5.5 }] }],
    ['a rate as a string', 'rates.0.rateBp', { name: 'X', rates: [{ name: 'R', rateBp: '500' }] }],
    ['an over-long name', 'name', { name: 'x'.repeat(121), rates: [{ name: 'R', rateBp: 1 }] }],
    ['an unknown field', 'vat', { name: 'X', rates: [{ name: 'R', rateBp: 1 }], vat: true }],
    [
      'an unknown rate field',
      'rates.0.compound',
      { name: 'X', rates: [{ name: 'R', rateBp: 1, compound: true }] },
    ],
  ])('refuses %s with a 400 naming %s, writing nothing', async (_, field, body) => {
    const t = await createTenant(api.app);
    const res = await call(t, 'owner', 'POST', '/tax-categories', body);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
    expect(res.json().error.fields).toHaveProperty([field]);
    expect(await count('tax_categories', t.tenantId)).toBe(0);
  });

  it('a name already used is a 409; a category in use cannot be deleted', async () => {
    const t = await createTenant(api.app);
    const id = (await call(t, 'owner', 'POST', '/tax-categories', qst)).json().id;
    const dup = await call(t, 'owner', 'POST', '/tax-categories', {
      ...qst,
      rates: [{ name: 'X', rateBp: 1 }],
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.fields).toHaveProperty('name');
    expect(await count('tax_category_rates', t.tenantId)).toBe(2);

    const product = await call(t, 'owner', 'POST', '/products', {
      sku: 'P1',
      name: 'P',
      price: 100,
      taxCategoryId: id,
    });
    expect(product.statusCode).toBe(201);
    const del = await call(t, 'owner', 'DELETE', `/tax-categories/${id}`);
    expect(del.statusCode).toBe(409);
    expect(await count('tax_categories', t.tenantId)).toBe(1);
  });

  it("another tenant's category is not found; a cashier may read but not write", async () => {
    const t = await createTenant(api.app);
    const other = await createTenant(api.app);
    const id = (await call(other, 'owner', 'POST', '/tax-categories', qst)).json().id;
    expect((await call(t, 'owner', 'GET', `/tax-categories/${id}`)).statusCode).toBe(404);
    expect((await call(t, 'owner', 'PATCH', `/tax-categories/${id}`, { name: 'Mine' })).statusCode).toBe(404);
    expect((await call(t, 'owner', 'DELETE', `/tax-categories/${id}`)).statusCode).toBe(404);
    expect((await call(t, 'owner', 'GET', `/tax-categories/${randomUUID()}`)).statusCode).toBe(404);

    expect((await call(t, 'cashier', 'POST', '/tax-categories', qst)).statusCode).toBe(403);
    const mine = (await call(t, 'owner', 'POST', '/tax-categories', qst)).json().id;
    expect((await call(t, 'cashier', 'PATCH', `/tax-categories/${mine}`, { name: 'Y' })).statusCode).toBe(
      403,
    );
    expect((await call(t, 'cashier', 'DELETE', `/tax-categories/${mine}`)).statusCode).toBe(403);
    expect((await call(t, 'cashier', 'GET', `/tax-categories/${mine}`)).statusCode).toBe(200);
    expect((await call(other, 'owner', 'GET', `/tax-categories/${id}`)).json().name).toBe('GST + QST');
  });
});
