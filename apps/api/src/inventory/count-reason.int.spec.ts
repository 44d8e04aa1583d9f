import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Database } from '../db/database.js';
import { pgError } from '../db/pg-error.js';
import { useApiHarness } from '../test/api-harness.js';
import { createTenant } from '../test/fixtures.js';
import { createProducts } from './inventory.test-fixtures.js';

/** Count movements come only from completing a count sheet, never from an adjustment. */
describe('the count reason code', () => {
  const h = useApiHarness();

  it('is refused on an adjustment, naming reasonCode, and nothing is written', async () => {
    const t = await createTenant(h.app);
    const [product] = (await createProducts(h.app, t.tenantId, [{ unit: 'each' }])) as [string];
    const before = await h.rowCount('stock_movements', t.tenantId);
    const res = await h.call(t, 'owner', 'POST', `/stores/${t.storeIds[0]}/stock/adjustments`, {
      reasonCode: 'count',
      lines: [{ productId: product, quantity: 5000 }],
    });
    expect(res.statusCode).toBe(400);
    expect(Object.keys(res.json().error.fields)).toEqual(['reasonCode']);
    expect(await h.rowCount('stock_movements', t.tenantId)).toBe(before);
  });

  it('is still posted by completing a count sheet', async () => {
    const t = await createTenant(h.app);
    const [product] = (await createProducts(h.app, t.tenantId, [{ unit: 'each' }])) as [string];
    const store = t.storeIds[0];
    const opened = await h.call(t, 'owner', 'POST', `/stores/${store}/counts`, { productIds: [product] });
    expect(opened.statusCode).toBe(201);
    const id = (opened.json() as { id: string }).id;
    await h.call(t, 'owner', 'PUT', `/counts/${id}/lines`, {
      lines: [{ productId: product, counted: 3000 }],
    });
    expect((await h.call(t, 'owner', 'POST', `/counts/${id}/complete`)).statusCode).toBe(200);
    const movements = await h.call(t, 'owner', 'GET', `/stores/${store}/stock/movements`);
    expect(movements.json().items).toEqual([
      expect.objectContaining({
        quantity: 3000,
        reasonCode: 'count',
        referenceType: 'count',
        referenceId: id,
      }),
    ]);
  });

  it.each([
    ['a count-coded movement outside a count', 'count', 'adjustment'],
    ['a count reference with another code', 'correction', 'count'],
  ] as const)('is enforced by PostgreSQL: %s is a check violation', async (_, reasonCode, referenceType) => {
    const t = await createTenant(h.app);
    const [product] = (await createProducts(h.app, t.tenantId, [{ unit: 'each' }])) as [string];
    const insert = h.app.get(Database).tenant({ tenantId: t.tenantId }, (tx) =>
      tx
        .insertInto('stock_movements')
        .values({
          tenant_id: t.tenantId,
          id: randomUUID(),
          store_id: t.storeIds[0],
          product_id: product,
          quantity: 1000,
          reason: 'adjustment',
          reason_code: reasonCode,
          reference_type: referenceType,
          reference_id: randomUUID(),
        })
        .execute(),
    );
    const error = await insert.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(pgError(error)?.code).toBe('23514');
    expect(pgError(error)?.constraint).toBe('stock_movements_count_only_from_counts');
  });
});
