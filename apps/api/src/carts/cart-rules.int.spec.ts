import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { withCheckDigit } from '../catalog/barcode.js';
import { useApiHarness } from '../test/api-harness.js';
import { checkedInject } from '../test/contract-check.js';
import { createTenant, type TestTenant } from '../test/fixtures.js';

describe('cart rules', () => {
  const h = useApiHarness();
  let t: TestTenant;
  let water: string;
  let bananas: string;

  const setPin = async (tt: TestTenant, who: 'owner' | 'manager' | 'cashier', pin: string) => {
    const res = await h.call(tt, who, 'PUT', '/auth/pin', { currentPassword: tt[who].password, pin });
    expect(res.statusCode, res.body).toBeLessThan(300);
  };
  const open = async (tt: TestTenant = t) => {
    const res = await h.call(tt, 'cashier', 'POST', '/carts', { registerId: tt.registerIds[0] });
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  };
  const add = (cart: { id: string; version: number }, body: object, tt: TestTenant = t) =>
    h.call(tt, 'cashier', 'POST', `/carts/${cart.id}/lines`, { version: cart.version, ...body });

  beforeAll(async () => {
    t = await createTenant(h.app);
    await h.su.query(
      `update tenants set weighted_barcode_prefixes = '[{"prefix":"21","kind":"weight"},{"prefix":"22","kind":"price"}]' where id = $1`,
      [t.tenantId],
    );
    const tax = (
      await h.call(t, 'owner', 'POST', '/tax-categories', {
        name: 'Reduced',
        rates: [{ name: 'VAT', rateBp: 550 }],
      })
    ).json().id;
    water = (
      await h.call(t, 'owner', 'POST', '/products', {
        sku: 'W',
        name: 'Water',
        price: 1000,
        taxCategoryId: tax,
      })
    ).json().id;
    bananas = (
      await h.call(t, 'owner', 'POST', '/products', {
        sku: 'BAN',
        name: 'Bananas',
        price: 240,
        unit: 'kg',
        plu: '12345',
        taxCategoryId: tax,
      })
    ).json().id;
    await setPin(t, 'manager', '4321');
    await setPin(t, 'owner', '9876');
  });

  it('answers 409 INVALID_STATE, not a 500, for a cart its products can no longer price (an amount out of range)', async () => {
    const tt = await createTenant(h.app);
    const tax = (
      await h.call(tt, 'owner', 'POST', '/tax-categories', {
        name: 'T',
        rates: [{ name: 'VAT', rateBp: 2000 }],
      })
    ).json().id;
    const product = (
      await h.call(tt, 'owner', 'POST', '/products', { sku: 'X', name: 'X', price: 100, taxCategoryId: tax })
    ).json().id;
    const cart = await open(tt);
    const line = await add(cart, { version: cart.version, productId: product, quantity: 1_000_000_000 }, tt);
    expect(line.statusCode, line.body).toBe(201);
    // The line's unit price is kept; an exclusive-price tenant and a huge rate now overflow its tax.
    await h.su.query('update tenants set prices_include_tax = false where id = $1', [tt.tenantId]);
    await h.su.query('update cart_lines set unit_price = 9007199254740 where tenant_id = $1', [tt.tenantId]);
    const got = await h.call(tt, 'cashier', 'GET', `/carts/${cart.id}`);
    expect(got.statusCode, got.body).toBe(409);
    expect(got.json().error).toMatchObject({
      code: 'INVALID_STATE',
      fields: { lines: [expect.any(String)] },
    });
  });

  it('adds weighted labels: a weight label gives the weight, a price label the weight its price stands for', async () => {
    let cart = await open();
    let res = await add(cart, { barcode: withCheckDigit('211234501250') });
    expect(res.statusCode, res.body).toBe(201);
    cart = res.json();
    expect(cart.lines[0]).toMatchObject({
      productId: bananas,
      quantity: 1250,
      unitPrice: 240,
      extended: 300,
    });
    res = await add(cart, { barcode: withCheckDigit('221234500360') });
    expect(res.statusCode, res.body).toBe(201);
    cart = res.json();
    expect(cart.lines[1]).toMatchObject({ productId: bananas, quantity: 1500, extended: 360 });
    expect(cart.lines[1].barcode).toBe(withCheckDigit('221234500360'));
    // A label's quantity is the label's; a misread code is a 400 naming the barcode; an unknown one a 404.
    res = await add(cart, { barcode: withCheckDigit('211234501250'), quantity: 1000 });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields).toHaveProperty(['quantity']);
    res = await add(cart, { barcode: '4006381333932' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields).toHaveProperty(['barcode']);
    res = await add(cart, { barcode: 'NOPE-1' });
    expect(res.statusCode).toBe(404);
    expect((await h.call(t, 'cashier', 'GET', `/carts/${cart.id}`)).json().version).toBe(cart.version);
  });

  it('opens a cart on the register of a register (PIN) session, and refuses another register', async () => {
    await setPin(t, 'cashier', '1111');
    const login = await checkedInject(h.app, {
      method: 'POST',
      url: '/auth/pin',
      payload: { tenantId: t.tenantId, registerId: t.registerIds[0], userId: t.cashier.id, pin: '1111' },
    });
    expect(login.statusCode, login.body).toBe(200);
    const headers = { authorization: `Bearer ${login.json().accessToken}` };
    const res = await checkedInject(h.app, { method: 'POST', url: '/carts', payload: {}, headers });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ registerId: t.registerIds[0], storeId: t.storeIds[0], version: 1 });
    const other = await checkedInject(h.app, {
      method: 'POST',
      url: '/carts',
      payload: { registerId: t.registerIds[1] },
      headers,
    });
    expect(other.statusCode).toBe(400);
    expect(other.json().error.fields).toHaveProperty(['registerId']);
  });

  it('checks amount discounts by their share, records the approver on the line, and follows the tenant setting', async () => {
    let cart = await open();
    cart = (await add(cart, { productId: water, quantity: 2000 })).json(); // 20.00
    const line = cart.lines[0].id;
    const patch = (body: object) =>
      h.call(t, 'cashier', 'PATCH', `/carts/${cart.id}/lines/${line}`, { version: cart.version, ...body });
    let res = await patch({ discount: { kind: 'amount', amount: 200 } }); // 10 %: the default limit
    expect(res.statusCode, res.body).toBe(200);
    cart = res.json();
    expect(cart.lines[0]).toMatchObject({ lineDiscount: 200, approvedBy: null });
    // Halving the quantity makes the same 2.00 a 20 % discount: beyond the limit.
    res = await patch({ quantity: 1000 });
    expect(res.statusCode, res.body).toBe(403);
    expect(res.json().error.code).toBe('APPROVAL_REQUIRED');
    res = await patch({ quantity: 1000, managerId: t.owner.id, managerPin: '9876' });
    expect(res.statusCode, res.body).toBe(200);
    cart = res.json();
    expect(cart.lines[0]).toMatchObject({ quantity: 1000, lineDiscount: 200, approvedBy: t.owner.id });
    const row = await h.su.query(`select approved_by from cart_lines where tenant_id = $1 and id = $2`, [
      t.tenantId,
      line,
    ]);
    expect(row.rows[0].approved_by).toBe(t.owner.id);
    // A new discount needs a new approval; a manager's own session needs none (sales.discount).
    res = await patch({ discount: { kind: 'percent', basisPoints: 3000 } });
    expect(res.statusCode).toBe(403);
    const own = await h.call(t, 'manager', 'PATCH', `/carts/${cart.id}/lines/${line}`, {
      version: cart.version,
      discount: { kind: 'percent', basisPoints: 3000 },
    });
    expect(own.statusCode, own.body).toBe(200);
    expect(own.json().lines[0].approvedBy).toBe(t.manager.id);
    // The tenant raises the limit: 30 % is then the cashier's to give.
    const tenant = await h.call(t, 'owner', 'PATCH', '/tenant', { maxCashierDiscountBp: 3000 });
    expect(tenant.statusCode, tenant.body).toBe(200);
    expect(tenant.json().maxCashierDiscountBp).toBe(3000);
    cart = own.json();
    res = await h.call(t, 'cashier', 'PATCH', `/carts/${cart.id}`, {
      version: cart.version,
      discount: { kind: 'percent', basisPoints: 3000 },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().discountApprovedBy).toBeNull();
    expect((await h.call(t, 'owner', 'PATCH', '/tenant', { maxCashierDiscountBp: 10_001 })).statusCode).toBe(
      400,
    );
    await h.call(t, 'owner', 'PATCH', '/tenant', { maxCashierDiscountBp: 1000 });
  });

  it('refuses a manager of another store, and throttles wrong PINs like a PIN login', async () => {
    const own = await createTenant(h.app);
    await setPin(own, 'manager', '4321');
    const ownProduct = (
      await h
        .call(own, 'owner', 'POST', '/tax-categories', { name: 'Zero', rates: [{ name: 'VAT0', rateBp: 0 }] })
        .then((r) =>
          h.call(own, 'owner', 'POST', '/products', {
            sku: 'X',
            name: 'X',
            price: 1000,
            taxCategoryId: r.json().id,
          }),
        )
    ).json().id;
    // A cart in store 2, where the manager (store 1 only) may not approve.
    const created = await h.call(own, 'owner', 'POST', '/carts', { registerId: own.registerIds[1] });
    let cart = created.json();
    cart = (
      await h.call(own, 'owner', 'POST', `/carts/${cart.id}/lines`, {
        version: cart.version,
        productId: ownProduct,
      })
    ).json();
    const cashierScoped = await h.call(own, 'cashier', 'GET', `/carts/${cart.id}`);
    expect(cashierScoped.statusCode).toBe(403);
    const store1 = await open(own);
    const withLine = await add(
      store1,
      { productId: ownProduct, discount: { kind: 'percent', basisPoints: 5000 } },
      own,
    );
    expect(withLine.statusCode).toBe(403);
    const elsewhere = await h.call(own, 'owner', 'PATCH', `/carts/${cart.id}`, {
      version: cart.version,
      note: 'x',
      managerId: own.manager.id,
      managerPin: '4321',
    });
    // The owner needs no approval, but a named approver is checked all the same.
    expect(elsewhere.statusCode, elsewhere.body).toBe(403);
    expect(elsewhere.json().error.fields).toHaveProperty(['managerId']);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await add(
        store1,
        {
          productId: ownProduct,
          discount: { kind: 'percent', basisPoints: 5000 },
          managerId: own.manager.id,
          managerPin: '0000',
        },
        own,
      );
      statuses.push(res.statusCode);
    }
    expect(statuses.slice(0, 4)).toEqual([403, 403, 403, 403]);
    expect(statuses.at(-1)).toBe(429);
    // Even the right PIN waits now; nothing was written.
    const right = await add(
      store1,
      {
        productId: ownProduct,
        discount: { kind: 'percent', basisPoints: 5000 },
        managerId: own.manager.id,
        managerPin: '4321',
      },
      own,
    );
    expect(right.statusCode).toBe(429);
    expect((await h.call(own, 'cashier', 'GET', `/carts/${store1.id}`)).json()).toMatchObject({
      version: store1.version,
      lines: [],
    });
  });

  it('answers 400 naming the field and 404 for unknown or foreign carts and lines', async () => {
    const cart = await open();
    for (const [body, field] of [
      [{ version: cart.version }, 'productId'],
      [{ version: cart.version, productId: water, barcode: 'X' }, 'productId'],
      [{ version: cart.version, productId: water, quantity: 0 }, 'quantity'],
      [
        { version: cart.version, productId: water, discount: { kind: 'percent', basisPoints: 10_001 } },
        'discount',
      ],
      [{ version: cart.version, productId: water, managerId: t.manager.id }, 'managerPin'],
      [{ version: 0, productId: water }, 'version'],
    ] as const) {
      const res = await h.call(t, 'cashier', 'POST', `/carts/${cart.id}/lines`, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(JSON.stringify(res.json().error.fields), JSON.stringify(body)).toContain(field);
    }
    const empty = await h.call(t, 'cashier', 'PATCH', `/carts/${cart.id}`, { version: cart.version });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.fields).toHaveProperty(['body']);
    const unversioned = await h.call(t, 'cashier', 'PATCH', `/carts/${cart.id}`, { note: 'x' });
    expect(unversioned.statusCode).toBe(400);
    expect(Object.keys(unversioned.json().error.fields)).toEqual(['version']);
    const noVersion = await h.call(t, 'cashier', 'DELETE', `/carts/${cart.id}/lines/${randomUUID()}`);
    expect(noVersion.statusCode).toBe(400);
    expect(noVersion.json().error.fields).toHaveProperty(['version']);
    const noLine = await h.call(
      t,
      'cashier',
      'DELETE',
      `/carts/${cart.id}/lines/${randomUUID()}?version=${cart.version}`,
    );
    expect(noLine.statusCode).toBe(404);
    const other = await createTenant(h.app);
    expect((await h.call(other, 'owner', 'GET', `/carts/${cart.id}`)).statusCode).toBe(404);
    expect(
      (await h.call(other, 'owner', 'POST', `/carts/${cart.id}/park`, { version: cart.version })).statusCode,
    ).toBe(404);
    expect((await h.call(t, 'cashier', 'GET', `/carts/${cart.id}`)).json().version).toBe(cart.version);
  });
});
