import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entryOf } from '../accounting/accounting.test-fixtures.js';
import { Database } from '../db/database.js';
import { setOversellPolicy } from '../inventory/inventory.test-fixtures.js';
import { checkedInject } from '../test/contract-check.js';
import { createTestApp } from '../test/test-app.js';
import {
  postSale,
  SALES_ENGINE_EVENTS,
  saleOf,
  sellingTenant,
  type SellingTenant,
} from './sales.test-fixtures.js';

describe('checkout', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(() => app.close());

  const onHand = (t: SellingTenant, productId: string) =>
    app.get(Database).tenant({ tenantId: t.tenantId }, async (tx) => {
      const row = await tx
        .selectFrom('stock_levels')
        .select('on_hand')
        .where('store_id', '=', t.storeIds[0])
        .where('product_id', '=', productId)
        .executeTakeFirst();
      return row?.on_hand ?? 0;
    });

  const counts = (t: SellingTenant) =>
    app.get(Database).tenant({ tenantId: t.tenantId }, async (tx) => {
      const n = async (table: 'sales' | 'sale_lines' | 'sale_payments' | 'outbox' | 'journal_entries') =>
        Number(
          (
            await tx
              .selectFrom(table)
              .select((eb) => eb.fn.countAll().as('n'))
              .$if(table === 'outbox', (qb) => qb.where(sql<boolean>`${sql.raw(SALES_ENGINE_EVENTS)}`))
              .executeTakeFirstOrThrow()
          ).n,
        );
      const movements = Number(
        (
          await tx
            .selectFrom('stock_movements')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('reason', '=', 'sale')
            .executeTakeFirstOrThrow()
        ).n,
      );
      return {
        sales: await n('sales'),
        lines: await n('sale_lines'),
        payments: await n('sale_payments'),
        outbox: await n('outbox'),
        journal: await n('journal_entries'),
        movements,
      };
    });

  it('records a cash sale in one go: lines as sold, change, stock, journal, receipt number, outbox', async () => {
    const t = await sellingTenant(app);
    const [a, b] = t.productIds;
    const body = saleOf(t, [{ productId: a!, quantity: 2000 }, { productId: b! }], {
      payments: [{ kind: 'cash', amount: 5000 }],
    });
    const res = await postSale(app, t.cashier.headers, body);
    expect(res.statusCode, res.body).toBe(201);
    const sale = res.json();
    expect(sale).toMatchObject({
      id: body.id,
      receiptNumber: 1,
      status: 'completed',
      cashSessionId: t.sessionId,
      cashierId: t.cashier.id,
      currency: 'EUR',
      totals: { gross: 3000, net: 2500, tax: 500, tendered: 5000, change: 2000, paid: 3000, cashRounding: 0 },
      taxSummary: [{ code: 'VAT20', ratePpm: 200_000, taxableNet: 2500, tax: 500, gross: 3000 }],
      payments: [{ paymentNo: 1, kind: 'cash', amount: 5000, applied: 3000 }],
    });
    expect(
      sale.lines.map((l: { name: string; quantity: number; gross: number }) => [l.name, l.quantity, l.gross]),
    ).toEqual([
      ['Product 1', 2000, 2000],
      ['Product 2', 1000, 1000],
    ]);
    expect(await onHand(t, a!)).toBe(98_000);
    expect(await onHand(t, b!)).toBe(99_000);
    const store = t.storeIds[0];
    expect(await entryOf(app, t.tenantId, 'sale', body.id)).toEqual([
      { purpose: 'cash_on_hand', storeId: store, debit: 3000, credit: 0 },
      { purpose: 'sales_revenue', storeId: store, debit: 0, credit: 2500 },
      { purpose: 'sales_tax_payable', storeId: store, debit: 0, credit: 500 },
      { purpose: 'cogs', storeId: store, debit: 1200, credit: 0 },
      { purpose: 'inventory', storeId: store, debit: 0, credit: 1200 },
    ]);
    const outbox = await app.get(Database).tenant({ tenantId: t.tenantId }, (tx) =>
      tx
        .selectFrom('outbox')
        .select(['seq', 'type', 'aggregate_id'])
        .where(sql<boolean>`${sql.raw(SALES_ENGINE_EVENTS)}`)
        .orderBy('seq')
        .execute(),
    );
    expect(outbox.map(({ type, aggregate_id }) => ({ type, aggregate_id }))).toEqual([
      { type: 'sale.completed', aggregate_id: body.id },
      { type: 'stock.changed', aggregate_id: store },
    ]);
    expect(outbox[1]!.seq).toBe(outbox[0]!.seq + 1);
    const again = await postSale(app, t.cashier.headers, saleOf(t, [{ productId: a! }]));
    expect(again.json().receiptNumber).toBe(2);

    // The session expects the float plus the cash kept.
    const session = await checkedInject(app, {
      method: 'GET',
      url: `/cash-sessions/${t.sessionId}`,
      headers: t.owner.headers,
    });
    expect(session.json().expectedTotal).toBe(10_000 + 3000 + 1000);
  });

  it('answers the same id again with 200 and the identical body, and another body under it with 422', async () => {
    const t = await sellingTenant(app);
    const body = saleOf(t, [{ productId: t.productIds[0]! }]);
    const first = await postSale(app, t.cashier.headers, body);
    expect(first.statusCode, first.body).toBe(201);
    // The same request with its keys in another order is the same request.
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    const second = await postSale(app, t.cashier.headers, reordered);
    expect(second.statusCode, second.body).toBe(200);
    expect(second.body).toBe(first.body);
    const got = await checkedInject(app, {
      method: 'GET',
      url: `/sales/${body.id}`,
      headers: t.cashier.headers,
    });
    expect(got.body).toBe(first.body);

    const other = await postSale(app, t.cashier.headers, {
      ...body,
      lines: [{ productId: t.productIds[1]! }],
    });
    expect(other.statusCode, other.body).toBe(422);
    expect(other.json().error).toMatchObject({
      code: 'IDEMPOTENCY_MISMATCH',
      fields: { id: [expect.any(String)] },
    });
    expect(await counts(t)).toMatchObject({
      sales: 1,
      journal: 3 /* stock received, the float, the sale */,
      movements: 1,
    });
  });

  it('splits tenders over card, a voucher and cash; cash rounding applies to the cash part only', async () => {
    const t = await sellingTenant(app, { currency: 'CHF', cashIncrement: 5 });
    await app
      .get(Database)
      .tenant({ tenantId: t.tenantId }, (tx) =>
        tx
          .insertInto('payment_methods')
          .values({ tenant_id: t.tenantId, id: randomUUID(), code: 'voucher', name: 'Voucher' })
          .execute(),
      );
    // Three items at 10.00 with 7 % off one: 29.30 due; 10.00 by card, 5.00 voucher, 14.30 → 14.30 in cash (no rounding
    // needed), so take a line discount that leaves 0.02 for cash rounding: 29.32 → cash 14.32 rounds to 14.30.
    const body = saleOf(t, [{ productId: t.productIds[0]!, quantity: 3000 }], {
      lines: [{ productId: t.productIds[0]!, quantity: 3000, discount: { kind: 'amount', amount: 68 } }],
      payments: [
        { kind: 'card', amount: 1000, reference: 'T-1', approvalCode: 'A1', provider: 'sumup' },
        { kind: 'other', amount: 500, methodCode: 'voucher', reference: 'V-77' },
        { kind: 'cash', amount: 2000 },
      ],
    });
    const res = await postSale(app, t.owner.headers, body);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      totals: { gross: 2932, cashRounding: -2, paid: 2930, tendered: 3500, change: 570 },
      payments: [
        {
          kind: 'card',
          amount: 1000,
          applied: 1000,
          provider: 'sumup',
          reference: 'T-1',
          approvalCode: 'A1',
        },
        { kind: 'other', methodCode: 'voucher', amount: 500, applied: 500, reference: 'V-77' },
        { kind: 'cash', amount: 2000, applied: 1430 },
      ],
    });
    const lines = await entryOf(app, t.tenantId, 'sale', body.id);
    const sum = (k: 'debit' | 'credit') => lines.reduce((s, l) => s + l[k], 0);
    expect(sum('debit')).toBe(sum('credit'));
    expect(lines).toEqual(
      expect.arrayContaining([
        { purpose: 'cash_on_hand', storeId: t.storeIds[0], debit: 1430, credit: 0 },
        { purpose: 'card_clearing', storeId: t.storeIds[0], debit: 1000, credit: 0 },
        { purpose: 'other_tender_clearing', storeId: t.storeIds[0], debit: 500, credit: 0 },
        { purpose: 'discounts_given', storeId: t.storeIds[0], debit: 68, credit: 0 },
        { purpose: 'rounding', storeId: t.storeIds[0], debit: 2, credit: 0 },
      ]),
    );
  });

  it('refuses unsettled, over-paid and unknown tenders with a 400 naming the payment, writing nothing', async () => {
    const t = await sellingTenant(app);
    const line = [{ productId: t.productIds[0]! }];
    const cases: [object, string][] = [
      [{ payments: [{ kind: 'cash', amount: 999 }] }, 'payments'],
      [{ payments: [] }, 'payments'],
      [
        {
          payments: [
            { kind: 'cash', amount: 10 },
            { kind: 'card', amount: 1001, reference: 'X' },
          ],
        },
        'payments[1]',
      ],
      [{ payments: [{ kind: 'other', amount: 1000, methodCode: 'nope' }] }, 'payments[0].methodCode'],
      [{ lines: [{ productId: randomUUID() }] }, 'lines[0].productId'],
      [{ lines: [{ productId: t.productIds[0]!, quantity: 1500 }] }, 'lines[0].quantity'],
      [{ lines: [{ barcode: '4006381333931' }] }, 'lines[0].barcode'],
      [{ customerId: randomUUID() }, 'customerId'],
    ];
    for (const [extra, field] of cases) {
      const res = await postSale(app, t.cashier.headers, saleOf(t, line, extra));
      expect(res.statusCode, `${field}: ${res.body}`).toBe(400);
      expect(Object.keys(res.json().error.fields), res.body).toContain(field);
    }
    expect(await counts(t)).toMatchObject({ sales: 0, payments: 0, movements: 0, outbox: 0 });
    // No receipt number was used up.
    const ok = await postSale(app, t.cashier.headers, saleOf(t, line));
    expect(ok.json().receiptNumber).toBe(1);
  });

  it('in a refuse store, names every short line in one 409 and leaves nothing behind', async () => {
    const t = await sellingTenant(app, { stock: 2 });
    await setOversellPolicy(app, t.tenantId, t.storeIds[0], 'refuse');
    const [a, b, c] = t.productIds;
    const res = await postSale(
      app,
      t.cashier.headers,
      saleOf(t, [
        { productId: a!, quantity: 3000 },
        { productId: b! },
        { productId: c!, quantity: 2000 },
        { productId: a! },
      ]),
    );
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json().error.code).toBe('INSUFFICIENT_STOCK');
    expect(Object.keys(res.json().error.fields).sort()).toEqual(['lines[0].quantity', 'lines[3].quantity']);
    expect(await counts(t)).toMatchObject({ sales: 0, movements: 0, outbox: 0 });
    expect(await onHand(t, a!)).toBe(2000);
    const ok = await postSale(app, t.cashier.headers, saleOf(t, [{ productId: a!, quantity: 2000 }]));
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().receiptNumber).toBe(1);
    expect(await onHand(t, a!)).toBe(0);
  });

  it('needs an open cash session on the register', async () => {
    const t = await sellingTenant(app);
    const res = await postSale(app, t.owner.headers, {
      ...saleOf(t, [{ productId: t.productIds[0]! }]),
      registerId: t.registerIds[1],
    });
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json().error.code).toBe('NO_OPEN_CASH_SESSION');
  });

  it('checks out a server cart at the version shown, once; the cart ends checked out', async () => {
    const t = await sellingTenant(app);
    const send = (method: 'POST' | 'GET', url: string, payload?: object) =>
      checkedInject(app, { method, url, headers: t.cashier.headers, ...(payload ? { payload } : {}) });
    const cart = (await send('POST', '/carts', { registerId: t.registerIds[0] })).json();
    const withLine = (
      await send('POST', `/carts/${cart.id}/lines`, {
        version: cart.version,
        productId: t.productIds[0]!,
        quantity: 2000,
      })
    ).json();
    const base = {
      id: randomUUID(),
      registerId: t.registerIds[0],
      cartId: cart.id,
      payments: [{ kind: 'cash', amount: 2000 }],
    };

    const stale = await postSale(app, t.cashier.headers, { ...base, cartVersion: cart.version });
    expect(stale.statusCode, stale.body).toBe(409);
    expect(stale.json().error).toMatchObject({
      code: 'CART_VERSION_CONFLICT',
      current: { version: withLine.version },
    });

    const sold = await postSale(app, t.cashier.headers, { ...base, cartVersion: withLine.version });
    expect(sold.statusCode, sold.body).toBe(201);
    expect(sold.json()).toMatchObject({ cartId: cart.id, totals: { gross: 2000 } });
    expect((await send('GET', `/carts/${cart.id}`)).json().status).toBe('checked_out');

    const twice = await postSale(app, t.cashier.headers, {
      ...base,
      id: randomUUID(),
      cartVersion: withLine.version + 1,
    });
    expect(twice.statusCode, twice.body).toBe(409);
    expect(twice.json().error.code).toBe('INVALID_STATE');
  });

  it("refuses a cashier's discount beyond the limit unless a manager approves with their PIN", async () => {
    const t = await sellingTenant(app);
    const lines = [
      { productId: t.productIds[0]!, discount: { kind: 'percent' as const, basisPoints: 5000 } },
    ];
    const refused = await postSale(
      app,
      t.cashier.headers,
      saleOf(t, lines, { payments: [{ kind: 'cash', amount: 500 }] }),
    );
    expect(refused.statusCode, refused.body).toBe(403);
    expect(refused.json().error).toMatchObject({
      code: 'APPROVAL_REQUIRED',
      fields: { 'lines[0].discount': [expect.any(String)] },
    });
    await app.get(Database).tenant({ tenantId: t.tenantId }, async (tx) => {
      const { passwordHasher } = await import('../auth/password-hasher.js');
      await tx
        .updateTable('users')
        .set({ pin_hash: await passwordHasher.hash('4321') })
        .where('id', '=', t.manager.id)
        .execute();
    });
    const approved = await postSale(
      app,
      t.cashier.headers,
      saleOf(t, lines, {
        payments: [{ kind: 'cash', amount: 500 }],
        managerId: t.manager.id,
        managerPin: '4321',
      }),
    );
    expect(approved.statusCode, approved.body).toBe(201);
    expect(approved.json().lines[0]).toMatchObject({
      approvedBy: t.manager.id,
      lineDiscount: 500,
      gross: 500,
    });
  });

  it("fixes the tenant's currency once it has a sale", async () => {
    const t = await sellingTenant(app);
    const patch = (currency: string) =>
      checkedInject(app, {
        method: 'PATCH',
        url: '/tenant',
        headers: t.owner.headers,
        payload: { currency },
      });
    expect((await patch('GBP')).statusCode).toBe(200);
    expect((await patch('EUR')).statusCode).toBe(200);
    expect(
      (await postSale(app, t.cashier.headers, saleOf(t, [{ productId: t.productIds[0]! }]))).statusCode,
    ).toBe(201);
    const locked = await patch('GBP');
    expect(locked.statusCode, locked.body).toBe(409);
    expect(locked.json().error).toMatchObject({
      code: 'CURRENCY_LOCKED',
      fields: { currency: [expect.any(String)] },
    });
  });

  it("lists sales newest first, by store and session, and a customer's purchases", async () => {
    const t = await sellingTenant(app);
    const customer = await checkedInject(app, {
      method: 'POST',
      url: '/customers',
      headers: t.cashier.headers,
      payload: { name: 'Ada Lovelace' },
    });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const body = saleOf(
        t,
        [{ productId: t.productIds[0]! }],
        i === 1 ? {} : { customerId: customer.json().id },
      );
      ids.push(body.id);
      expect((await postSale(app, t.cashier.headers, body)).statusCode).toBe(201);
    }
    const page1 = await checkedInject(app, {
      method: 'GET',
      url: `/sales?limit=2&cashSessionId=${t.sessionId}`,
      headers: t.manager.headers,
    });
    expect(page1.json().items.map((s: { id: string }) => s.id)).toEqual([ids[2], ids[1]]);
    const page2 = await checkedInject(app, {
      method: 'GET',
      url: `/sales?limit=2&cashSessionId=${t.sessionId}&cursor=${page1.json().nextCursor}`,
      headers: t.manager.headers,
    });
    expect(page2.json()).toMatchObject({ items: [{ id: ids[0] }], nextCursor: null });
    const bought = await checkedInject(app, {
      method: 'GET',
      url: `/customers/${customer.json().id}/sales`,
      headers: t.cashier.headers,
    });
    expect(bought.json().items.map((s: { id: string }) => s.id)).toEqual([ids[2], ids[0]]);
    // The other store's sales are not the manager's (scoped to stores[0]) to list.
    const elsewhere = await checkedInject(app, {
      method: 'GET',
      url: `/sales?storeId=${t.storeIds[1]}`,
      headers: t.manager.headers,
    });
    expect(elsewhere.statusCode).toBe(403);
  });
});
