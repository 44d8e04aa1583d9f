import { cartConflictBody } from '@zakpos/contracts';
import { priceCart } from '@zakpos/pricing';
import { beforeAll, describe, expect, it } from 'vitest';
import { useApiHarness } from '../test/api-harness.js';
import { createTenant, type TestTenant } from '../test/fixtures.js';

describe('carts', () => {
  const h = useApiHarness();
  let t: TestTenant;
  let productId: string;
  const barcode = '4006381333931';

  const open = async () => {
    const res = await h.call(t, 'cashier', 'POST', '/carts', { registerId: t.registerIds[0] });
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  };

  beforeAll(async () => {
    t = await createTenant(h.app);
    const tax = await h.call(t, 'owner', 'POST', '/tax-categories', {
      name: 'Standard',
      rates: [{ name: 'VAT', rateBp: 2000 }],
    });
    const product = await h.call(t, 'owner', 'POST', '/products', {
      sku: 'W1',
      name: 'Water',
      price: 199,
      cost: 80,
      taxCategoryId: tax.json().id,
      barcodes: [{ code: barcode }],
    });
    expect(product.statusCode, product.body).toBe(201);
    productId = product.json().id;
    const pin = await h.call(t, 'manager', 'PUT', '/auth/pin', {
      currentPassword: t.manager.password,
      pin: '4321',
    });
    expect(pin.statusCode, pin.body).toBeLessThan(300);
    const cpin = await h.call(t, 'cashier', 'PUT', '/auth/pin', {
      currentPassword: t.cashier.password,
      pin: '1111',
    });
    expect(cpin.statusCode, cpin.body).toBeLessThan(300);
  });

  it('adds, changes and removes lines, with the totals @zakpos/pricing computes', async () => {
    let cart = await open();
    let res = await h.call(t, 'cashier', 'POST', `/carts/${cart.id}/lines`, {
      version: cart.version,
      productId,
      quantity: 3000,
    });
    expect(res.statusCode, res.body).toBe(201);
    cart = res.json();
    res = await h.call(t, 'cashier', 'POST', `/carts/${cart.id}/lines`, { version: cart.version, barcode });
    expect(res.statusCode, res.body).toBe(201);
    cart = res.json();
    expect(cart.lines.map((l: { quantity: number }) => l.quantity)).toEqual([3000, 1000]);
    const [first, second] = cart.lines;
    res = await h.call(t, 'cashier', 'PATCH', `/carts/${cart.id}/lines/${first.id}`, {
      version: cart.version,
      quantity: 2000,
      discount: { kind: 'percent', basisPoints: 500 },
    });
    expect(res.statusCode, res.body).toBe(200);
    cart = res.json();
    const expected = priceCart({
      currency: 'EUR',
      pricing: 'inclusive',
      lines: [
        {
          id: first.id,
          unitPrice: 199,
          quantity: 2000,
          discount: { kind: 'percent', basisPoints: 500 },
          taxes: [{ code: 'VAT', ratePpm: 200_000 }],
        },
        { id: second.id, unitPrice: 199, quantity: 1000, taxes: [{ code: 'VAT', ratePpm: 200_000 }] },
      ],
    });
    expect(cart.totals).toEqual(expected.totals);
    res = await h.call(
      t,
      'cashier',
      'DELETE',
      `/carts/${cart.id}/lines/${second.id}?version=${cart.version}`,
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().lines).toHaveLength(1);
    expect(res.json().version).toBe(cart.version + 1);
  });

  it('answers a stale version with 409 and the current cart; of 8 concurrent writes exactly one wins', async () => {
    const cart = await open();
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        h.call(t, 'cashier', 'POST', `/carts/${cart.id}/lines`, { version: cart.version, productId }),
      ),
    );
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
    const loser = results.find((r) => r.statusCode === 409)!.json();
    expect(loser.error.code).toBe('CART_VERSION_CONFLICT');
    expect(loser.error.current.version).toBe(cart.version + 1);
    expect(loser.error.current.lines).toHaveLength(1);
    // The current cart, as GET answers it, in the declared 409 body.
    const now = (await h.call(t, 'cashier', 'GET', `/carts/${cart.id}`)).json();
    expect(cartConflictBody.parse(loser).error.current).toEqual(now);
    expect(await h.rowCount('cart_lines', t.tenantId)).toBeGreaterThanOrEqual(1);
  });

  it('lets exactly one of 12 different concurrent writes with the same version through', async () => {
    let cart = await open();
    cart = (
      await h.call(t, 'cashier', 'POST', `/carts/${cart.id}/lines`, { version: cart.version, productId })
    ).json();
    const v = cart.version;
    const line = cart.lines[0].id;
    const writes = [
      () => h.call(t, 'cashier', 'POST', `/carts/${cart.id}/lines`, { version: v, productId }),
      () => h.call(t, 'manager', 'PATCH', `/carts/${cart.id}/lines/${line}`, { version: v, quantity: 4000 }),
      () => h.call(t, 'cashier', 'DELETE', `/carts/${cart.id}/lines/${line}?version=${v}`),
      () => h.call(t, 'owner', 'PATCH', `/carts/${cart.id}`, { version: v, note: 'second screen' }),
      () => h.call(t, 'cashier', 'POST', `/carts/${cart.id}/park`, { version: v }),
      () => h.call(t, 'manager', 'POST', `/carts/${cart.id}/void`, { version: v }),
    ];
    const results = await Promise.all([...writes, ...writes].map((w) => w()));
    const won = results.filter((r) => r.statusCode < 300);
    expect(won, results.map((r) => r.statusCode).join()).toHaveLength(1);
    for (const r of results.filter((x) => x.statusCode >= 300)) {
      expect(r.statusCode).toBe(409);
      expect(r.json().error.code).toBe('CART_VERSION_CONFLICT');
    }
    const now = (await h.call(t, 'cashier', 'GET', `/carts/${cart.id}`)).json();
    expect(now).toEqual(won[0]!.json());
    expect(now.version).toBe(v + 1);
  });

  it('lets a cashier discount up to the limit, beyond it only with a manager PIN', async () => {
    let cart = await open();
    cart = (
      await h.call(t, 'cashier', 'POST', `/carts/${cart.id}/lines`, { version: cart.version, productId })
    ).json();
    const within = await h.call(t, 'cashier', 'PATCH', `/carts/${cart.id}`, {
      version: cart.version,
      discount: { kind: 'percent', basisPoints: 1000 },
    });
    expect(within.statusCode, within.body).toBe(200);
    cart = within.json();
    const beyond = { version: cart.version, discount: { kind: 'percent', basisPoints: 2500 } };
    const refused = await h.call(t, 'cashier', 'PATCH', `/carts/${cart.id}`, beyond);
    expect(refused.statusCode, refused.body).toBe(403);
    expect(refused.json().error.code).toBe('APPROVAL_REQUIRED');
    const wrong = await h.call(t, 'cashier', 'PATCH', `/carts/${cart.id}`, {
      ...beyond,
      managerId: t.manager.id,
      managerPin: '0000',
    });
    expect(wrong.statusCode, wrong.body).toBe(403);
    expect(wrong.json().error.fields).toHaveProperty(['managerPin']);
    const cashierPin = await h.call(t, 'cashier', 'PATCH', `/carts/${cart.id}`, {
      ...beyond,
      managerId: t.cashier.id,
      managerPin: '1111',
    });
    expect(cashierPin.statusCode, cashierPin.body).toBe(403);
    expect(cashierPin.json().error.fields).toHaveProperty(['managerId']);
    const ok = await h.call(t, 'cashier', 'PATCH', `/carts/${cart.id}`, {
      ...beyond,
      managerId: t.manager.id,
      managerPin: '4321',
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().discountApprovedBy).toBe(t.manager.id);
    expect(ok.json().totals.cartDiscount).toBe(50); // 25 % of 199, half-up
  });

  it('parks, resumes and voids by the state rules, and lists parked carts per store', async () => {
    let cart = await open();
    const post = (action: string, version: number) =>
      h.call(t, 'cashier', 'POST', `/carts/${cart.id}/${action}`, { version });
    let res = await post('resume', cart.version);
    expect(res.statusCode).toBe(409);
    expect(res.json().error.fields.status[0]).toMatch(/open/);
    res = await post('park', cart.version);
    expect(res.statusCode, res.body).toBe(200);
    cart = res.json();
    expect(cart.status).toBe('parked');
    const listed = await h.call(t, 'cashier', 'GET', `/stores/${t.storeIds[0]}/carts?status=parked`);
    expect(listed.statusCode, listed.body).toBe(200);
    expect(listed.json().items.map((c: { id: string }) => c.id)).toContain(cart.id);
    res = await h.call(t, 'cashier', 'POST', `/carts/${cart.id}/lines`, { version: cart.version, productId });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('INVALID_STATE');
    cart = (await post('resume', cart.version)).json();
    cart = (await post('void', cart.version)).json();
    expect(cart.status).toBe('voided');
    expect((await post('void', cart.version)).statusCode).toBe(409);
  });

  it('keeps carts to the caller’s stores and answers 400 naming the field', async () => {
    const other = await h.call(t, 'cashier', 'POST', '/carts', { registerId: t.registerIds[1] });
    expect(other.statusCode).toBe(403);
    const none = await h.call(t, 'cashier', 'POST', '/carts', {});
    expect(none.statusCode).toBe(400);
    expect(none.json().error.fields).toHaveProperty(['registerId']);
    const cart = await open();
    const bad = await h.call(t, 'cashier', 'POST', `/carts/${cart.id}/lines`, { productId });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields).toHaveProperty(['version']);
  });
});
