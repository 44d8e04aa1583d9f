import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useApiHarness } from '../test/api-harness.js';
import { createTenant } from '../test/fixtures.js';

// Real, valid codes.
const EAN_A = '4006381333931';
const EAN_B = '5901234123457';
const UPC = '036000291452';
const EAN8 = '96385074';
const BAD_EAN = '4006381333932';

describe('products', () => {
  const api = useApiHarness();
  const { call, rowCount: count } = api;

  /** A tenant with one tax category and one category. */
  async function setup() {
    const t = await createTenant(api.app);
    const tax = await call(t, 'owner', 'POST', '/tax-categories', {
      name: 'Standard',
      rates: [{ name: 'VAT', rateBp: 2000 }],
    });
    const cat = await call(t, 'owner', 'POST', '/categories', { name: 'Dairy' });
    return { t, taxCategoryId: tax.json().id as string, categoryId: cat.json().id as string };
  }
  const productBody = (taxCategoryId: string, extra: object = {}) => ({
    sku: 'MILK-1L',
    name: 'Whole milk 1 L',
    price: 129,
    cost: 80,
    taxCategoryId,
    ...extra,
  });

  it('creates a product with barcodes, reads, updates, deactivates; price changes are audited', async () => {
    const { t, taxCategoryId, categoryId } = await setup();
    const created = await call(
      t,
      'manager',
      'POST',
      '/products',
      productBody(taxCategoryId, {
        categoryId,
        barcodes: [{ code: EAN_A }, { code: UPC }, { code: EAN8 }, { code: 'INT 42', symbology: 'code128' }],
      }),
    );
    expect(created.statusCode).toBe(201);
    const p = created.json();
    expect(p).toMatchObject({
      sku: 'MILK-1L',
      name: 'Whole milk 1 L',
      price: 129,
      cost: 80,
      taxCategoryId,
      categoryId,
      unit: 'each',
      plu: null,
      active: true,
    });
    expect(p.barcodes).toEqual([
      { code: UPC, symbology: 'upca' },
      { code: EAN_A, symbology: 'ean13' },
      { code: EAN8, symbology: 'ean8' },
      { code: 'INT 42', symbology: 'code128' },
    ]);
    expect((await call(t, 'cashier', 'GET', `/products/${p.id}`)).json()).toEqual(p);

    const patched = await call(t, 'owner', 'PATCH', `/products/${p.id}`, {
      price: 139,
      cost: 85,
      barcodes: [{ code: EAN_B }],
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({
      price: 139,
      cost: 85,
      name: 'Whole milk 1 L',
      barcodes: [{ code: EAN_B, symbology: 'ean13' }],
    });
    expect(await count('product_barcodes', t.tenantId)).toBe(1);

    const removed = await call(t, 'owner', 'DELETE', `/products/${p.id}`);
    expect(removed.statusCode).toBe(200);
    expect(removed.json().active).toBe(false);
    expect((await call(t, 'owner', 'GET', `/products/${p.id}`)).json().active).toBe(false);

    const audit = await api.su.query(
      'select action, actor_user_id, data from audit_log where tenant_id = $1 and entity_id = $2 order by id',
      [t.tenantId, p.id],
    );
    expect(audit.rows.map((r) => r.action)).toEqual([
      'product.created',
      'product.updated',
      'product.deactivated',
    ]);
    expect(audit.rows[0]).toMatchObject({
      actor_user_id: t.manager.id,
      data: { product: { price: 129, cost: 80 } },
    });
    expect(audit.rows[1].data.changes).toMatchObject({
      price: { from: 129, to: 139 },
      cost: { from: 80, to: 85 },
    });
  });

  it('adds and removes single barcodes', async () => {
    const { t, taxCategoryId } = await setup();
    const p = (await call(t, 'owner', 'POST', '/products', productBody(taxCategoryId))).json();
    const added = await call(t, 'owner', 'POST', `/products/${p.id}/barcodes`, { code: EAN_A });
    expect(added.statusCode).toBe(201);
    expect(added.json().barcodes).toEqual([{ code: EAN_A, symbology: 'ean13' }]);
    const bad = await call(t, 'owner', 'POST', `/products/${p.id}/barcodes`, { code: BAD_EAN });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields).toHaveProperty('code');
    const again = await call(t, 'owner', 'POST', `/products/${p.id}/barcodes`, { code: EAN_A });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('BARCODE_TAKEN');
    expect((await call(t, 'owner', 'DELETE', `/products/${p.id}/barcodes/${EAN_A}`)).json().barcodes).toEqual(
      [],
    );
    expect((await call(t, 'owner', 'DELETE', `/products/${p.id}/barcodes/${EAN_A}`)).statusCode).toBe(404);
    const actions = await api.su.query(
      'select action from audit_log where tenant_id = $1 and entity_id = $2 order by id',
      [t.tenantId, p.id],
    );
    expect(actions.rows.map((r) => r.action)).toEqual([
      'product.created',
      'product.barcode_added',
      'product.barcode_removed',
    ]);
  });

  it.each([
    ['a price as a string', 'price', { price: '129' }],
    ['a negative price', 'price', { price: -1 }],
    ['a fractional price', 'price', { price: 1.5 }],
    ['a price above 2^53 - 1', 'price', { price: Number.MAX_SAFE_INTEGER + 1 }],
    ['a negative cost', 'cost', { cost: -5 }],
    ['an over-long name', 'name', { name: 'x'.repeat(201) }],
    ['a blank name', 'name', { name: '   ' }],
    ['a SKU with spaces', 'sku', { sku: 'MILK 1L' }],
    ['an unknown unit', 'unit', { unit: 'litre' }],
    ['a 4-digit PLU', 'plu', { plu: '1234' }],
    ['an unknown field', 'colour', { colour: 'white' }],
    ['a bad check digit', 'barcodes.1.code', { barcodes: [{ code: EAN_A }, { code: BAD_EAN }] }],
    ['an EAN-13 said to be EAN-8', 'barcodes.0.code', { barcodes: [{ code: EAN_A, symbology: 'ean8' }] }],
    ['an unknown symbology', 'barcodes.0.symbology', { barcodes: [{ code: EAN_A, symbology: 'qr' }] }],
    ['an over-long Code 128', 'barcodes.0.code', { barcodes: [{ code: 'A'.repeat(81) }] }],
    ['non-ASCII Code 128', 'barcodes.0.code', { barcodes: [{ code: 'CAFÉ' }] }],
    ['the same barcode twice', 'barcodes.1.code', { barcodes: [{ code: UPC }, { code: `0${UPC}` }] }],
    ['an unknown barcode field', 'barcodes.0.primary', { barcodes: [{ code: EAN_A, primary: true }] }],
    ['a malformed taxCategoryId', 'taxCategoryId', { taxCategoryId: 'x' }],
  ])('refuses %s with a 400 naming %s, writing nothing', async (_, field, extra) => {
    const { t, taxCategoryId } = await setup();
    const res = await call(t, 'owner', 'POST', '/products', productBody(taxCategoryId, extra));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
    expect(res.json().error.fields).toHaveProperty([field]);
    expect(await count('products', t.tenantId)).toBe(0);
    expect(await count('product_barcodes', t.tenantId)).toBe(0);
  });

  it('refuses bad input on PATCH too, leaving the product and its barcodes as they were', async () => {
    const { t, taxCategoryId } = await setup();
    const p = (
      await call(t, 'owner', 'POST', '/products', productBody(taxCategoryId, { barcodes: [{ code: EAN_A }] }))
    ).json();
    for (const [body, field] of [
      [{ price: -1, barcodes: [{ code: EAN_B }] }, 'price'],
      [{ price: 1, barcodes: [{ code: EAN_B }, { code: BAD_EAN }] }, 'barcodes.1.code'],
      [{ id: randomUUID() }, 'id'],
    ] as const) {
      const res = await call(t, 'owner', 'PATCH', `/products/${p.id}`, body);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.fields).toHaveProperty([field]);
    }
    expect((await call(t, 'owner', 'GET', `/products/${p.id}`)).json()).toEqual(p);
  });

  it('a taken SKU, PLU or barcode is a 409 and nothing is half-written', async () => {
    const { t, taxCategoryId } = await setup();
    const first = await call(
      t,
      'owner',
      'POST',
      '/products',
      productBody(taxCategoryId, { plu: '00042', barcodes: [{ code: UPC }] }),
    );
    expect(first.statusCode).toBe(201);

    const sku = await call(t, 'owner', 'POST', '/products', productBody(taxCategoryId));
    expect(sku.statusCode).toBe(409);
    expect(sku.json().error).toMatchObject({ code: 'SKU_TAKEN', fields: { sku: expect.any(Array) } });

    const plu = await call(
      t,
      'owner',
      'POST',
      '/products',
      productBody(taxCategoryId, { sku: 'OTHER', plu: '00042' }),
    );
    expect(plu.statusCode).toBe(409);
    expect(plu.json().error).toMatchObject({ code: 'PLU_TAKEN', fields: { plu: expect.any(Array) } });

    // The third barcode is the first product's UPC-A in its EAN-13 spelling.
    const barcode = await call(
      t,
      'owner',
      'POST',
      '/products',
      productBody(taxCategoryId, {
        sku: 'OTHER',
        barcodes: [{ code: EAN_A }, { code: EAN8 }, { code: `0${UPC}` }],
      }),
    );
    expect(barcode.statusCode).toBe(409);
    expect(barcode.json().error).toMatchObject({
      code: 'BARCODE_TAKEN',
      fields: { 'barcodes.2.code': expect.any(Array) },
    });
    expect(await count('products', t.tenantId)).toBe(1);
    expect(await count('product_barcodes', t.tenantId)).toBe(1);

    // The same on PATCH: the second product keeps what it had.
    const second = (
      await call(
        t,
        'owner',
        'POST',
        '/products',
        productBody(taxCategoryId, { sku: 'OTHER', barcodes: [{ code: EAN_B }] }),
      )
    ).json();
    const patch = await call(t, 'owner', 'PATCH', `/products/${second.id}`, {
      price: 1,
      barcodes: [{ code: EAN_A }, { code: UPC }],
    });
    expect(patch.statusCode).toBe(409);
    expect(patch.json().error.fields).toHaveProperty(['barcodes.1.code']);
    expect((await call(t, 'owner', 'PATCH', `/products/${second.id}`, { sku: 'MILK-1L' })).statusCode).toBe(
      409,
    );
    expect((await call(t, 'owner', 'GET', `/products/${second.id}`)).json()).toEqual(second);

    // A product may keep its own SKU and barcodes on PATCH.
    const own = await call(t, 'owner', 'PATCH', `/products/${second.id}`, {
      sku: 'OTHER',
      barcodes: [{ code: EAN_B }],
    });
    expect(own.statusCode).toBe(200);
  });

  it('two writers racing for one SKU or barcode: one wins, the other gets the 409, never a 500', async () => {
    const { t, taxCategoryId } = await setup();
    for (const round of [0, 1, 2]) {
      const results = await Promise.all(
        [0, 1, 2].map((i) =>
          call(
            t,
            'owner',
            'POST',
            '/products',
            productBody(taxCategoryId, { sku: `RACE-${round}`, name: `Racer ${i}` }),
          ),
        ),
      );
      expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409, 409]);
      for (const r of results.filter((x) => x.statusCode === 409))
        expect(r.json().error.code).toBe('SKU_TAKEN');
    }
    const code = '3770009000017';
    const racers = await Promise.all(
      [0, 1, 2].map((i) =>
        call(
          t,
          'owner',
          'POST',
          '/products',
          productBody(taxCategoryId, { sku: `BC-${i}`, barcodes: [{ code }] }),
        ),
      ),
    );
    expect(racers.map((r) => r.statusCode).sort()).toEqual([201, 409, 409]);
    for (const r of racers.filter((x) => x.statusCode === 409)) {
      expect(r.json().error).toMatchObject({
        code: 'BARCODE_TAKEN',
        fields: { 'barcodes.0.code': expect.any(Array) },
      });
    }
    expect(await count('products', t.tenantId)).toBe(4);
  });

  it("another tenant's tax category, category and products are not found", async () => {
    const { t, taxCategoryId, categoryId } = await setup();
    const other = await setup();
    const theirs = (
      await call(
        other.t,
        'owner',
        'POST',
        '/products',
        productBody(other.taxCategoryId, { barcodes: [{ code: EAN_A }] }),
      )
    ).json();

    const tax = await call(t, 'owner', 'POST', '/products', productBody(other.taxCategoryId));
    expect(tax.statusCode).toBe(404);
    expect(tax.json().error.fields).toHaveProperty('taxCategoryId');
    const cat = await call(
      t,
      'owner',
      'POST',
      '/products',
      productBody(taxCategoryId, { categoryId: other.categoryId }),
    );
    expect(cat.statusCode).toBe(404);
    expect(cat.json().error.fields).toHaveProperty('categoryId');
    expect(await count('products', t.tenantId)).toBe(0);

    expect((await call(t, 'owner', 'GET', `/products/${theirs.id}`)).statusCode).toBe(404);
    expect((await call(t, 'owner', 'PATCH', `/products/${theirs.id}`, { price: 1 })).statusCode).toBe(404);
    expect((await call(t, 'owner', 'DELETE', `/products/${theirs.id}`)).statusCode).toBe(404);
    expect(
      (await call(t, 'owner', 'POST', `/products/${theirs.id}/barcodes`, { code: EAN_B })).statusCode,
    ).toBe(404);
    expect((await call(t, 'owner', 'DELETE', `/products/${theirs.id}/barcodes/${EAN_A}`)).statusCode).toBe(
      404,
    );
    const mine = (
      await call(t, 'owner', 'POST', '/products', productBody(taxCategoryId, { categoryId }))
    ).json();
    expect(
      (await call(t, 'owner', 'PATCH', `/products/${mine.id}`, { taxCategoryId: other.taxCategoryId }))
        .statusCode,
    ).toBe(404);
    expect(
      (await call(t, 'owner', 'PATCH', `/products/${mine.id}`, { categoryId: other.categoryId })).statusCode,
    ).toBe(404);

    // Barcodes and SKUs are unique per tenant only.
    const same = await call(
      t,
      'owner',
      'POST',
      '/products',
      productBody(taxCategoryId, { sku: 'X', barcodes: [{ code: EAN_A }] }),
    );
    expect(same.statusCode).toBe(201);
    expect((await call(other.t, 'owner', 'GET', `/products/${theirs.id}`)).json()).toEqual(theirs);
  });

  it('a cashier may read but not write', async () => {
    const { t, taxCategoryId } = await setup();
    const p = (await call(t, 'owner', 'POST', '/products', productBody(taxCategoryId))).json();
    expect(
      (await call(t, 'cashier', 'POST', '/products', productBody(taxCategoryId, { sku: 'C' }))).statusCode,
    ).toBe(403);
    expect((await call(t, 'cashier', 'PATCH', `/products/${p.id}`, { price: 1 })).statusCode).toBe(403);
    expect((await call(t, 'cashier', 'DELETE', `/products/${p.id}`)).statusCode).toBe(403);
    expect((await call(t, 'cashier', 'POST', `/products/${p.id}/barcodes`, { code: EAN_A })).statusCode).toBe(
      403,
    );
    expect((await call(t, 'cashier', 'GET', `/products/${p.id}`)).json()).toEqual(p);
    expect((await call(t, 'cashier', 'GET', '/products')).json().items).toEqual([p]);
  });
});
