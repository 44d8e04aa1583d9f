import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Refund } from '@zakpos/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entryOf } from '../accounting/accounting.test-fixtures.js';
import { TokenService } from '../auth/token.service.js';
import { Database } from '../db/database.js';
import { checkedInject } from '../test/contract-check.js';
import { createTestApp } from '../test/test-app.js';
import { postSale, saleOf, sellingTenant, type SellingTenant } from '../sales/sales.test-fixtures.js';
import { postReceiptlessRefund, postRefund, setPin, shareOf } from './refund.test-fixtures.js';

describe('refunds', () => {
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

  /** Rows of everything a refund writes, and the registers' document counters. */
  const written = (t: SellingTenant) =>
    app.get(Database).tenant({ tenantId: t.tenantId }, async (tx) => {
      const n = async (
        table:
          'refunds' | 'refund_lines' | 'refund_line_taxes' | 'refund_payments' | 'outbox' | 'journal_entries',
      ) =>
        Number(
          (
            await tx
              .selectFrom(table)
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      const movements = await tx
        .selectFrom('stock_movements')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('reason', '=', 'refund')
        .executeTakeFirstOrThrow();
      const counters = await tx.selectFrom('register_counters').select('last_document_number').execute();
      return {
        refunds: await n('refunds'),
        lines: await n('refund_lines'),
        taxes: await n('refund_line_taxes'),
        payments: await n('refund_payments'),
        outbox: await n('outbox'),
        journal: await n('journal_entries'),
        movements: Number(movements.n),
        documents: counters.map((c) => c.last_document_number).sort(),
      };
    });

  /** A completed sale of `quantity` of the first product (owner, paid in cash). */
  async function sold(t: SellingTenant, quantity: number, extra: object = {}) {
    const res = await postSale(app, t.owner.headers, {
      ...saleOf(t, [{ productId: t.productIds[0]!, quantity }]),
      ...extra,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  }

  const refundBody = (
    t: SellingTenant,
    lines: { lineNo: number; quantity: number; restock?: boolean }[],
    payments: object[],
    extra: object = {},
  ) => ({
    id: randomUUID(),
    registerId: t.registerIds[0],
    reason: 'changed their mind',
    lines: lines.map((l) => ({ restock: true, ...l })),
    payments,
    ...extra,
  });
  const card = (amount: number) => ({ kind: 'card', amount, reference: 'R-1' });

  it('refunds a line over several refunds, each its share, summing exactly to the line', async () => {
    const t = await sellingTenant(app);
    const sale = await sold(t, 3000, {
      lines: [{ productId: t.productIds[0]!, quantity: 3000, discount: { kind: 'amount', amount: 100 } }],
      payments: [{ kind: 'cash', amount: 2900 }],
    });
    const line = sale.lines[0];
    expect(line).toMatchObject({ gross: 2900, net: 2417, tax: 483 });
    const refunds: Refund[] = [];
    for (const [before, after] of [
      [0, 1],
      [1, 2],
      [2, 3],
    ] as const) {
      const net = shareOf(line.net, before, after, 3);
      const tax = shareOf(line.tax, before, after, 3);
      const res = await postRefund(
        app,
        t.manager.headers,
        sale.id,
        refundBody(t, [{ lineNo: 1, quantity: 1000 }], [card(net + tax)]),
      );
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().lines[0]).toMatchObject({
        saleLineNo: 1,
        quantity: 1000,
        net,
        tax,
        gross: net + tax,
      });
      refunds.push(res.json());
    }
    const sum = (k: 'net' | 'tax' | 'gross' | 'discount') => refunds.reduce((s, r) => s + r.totals[k], 0);
    expect([sum('net'), sum('tax'), sum('gross'), sum('discount')]).toEqual([2417, 483, 2900, 100]);
    // Receipt numbers continue the register's sequence: the sale was 1.
    expect(refunds.map((r) => r.receiptNumber)).toEqual([2, 3, 4]);
    const listed = await checkedInject(app, {
      method: 'GET',
      url: `/sales/${sale.id}/refunds`,
      headers: t.cashier.headers,
    });
    expect(listed.json().items.map((r: { id: string }) => r.id)).toEqual(refunds.map((r) => r.id));
    const one = await checkedInject(app, {
      method: 'GET',
      url: `/refunds/${refunds[1].id}`,
      headers: t.cashier.headers,
    });
    expect(one.json()).toEqual(refunds[1]);
    // The sale as recorded is unchanged.
    const again = await checkedInject(app, {
      method: 'GET',
      url: `/sales/${sale.id}`,
      headers: t.owner.headers,
    });
    expect(again.json()).toEqual(sale);
    // Nothing is left to refund.
    const over = await postRefund(
      app,
      t.manager.headers,
      sale.id,
      refundBody(t, [{ lineNo: 1, quantity: 1000 }], [card(1)]),
    );
    expect(over.statusCode, over.body).toBe(409);
  });

  it('refuses more than sold minus earlier refunds with 409 naming each line, writing nothing', async () => {
    const t = await sellingTenant(app);
    const res = await postSale(
      app,
      t.owner.headers,
      saleOf(t, [{ productId: t.productIds[0]!, quantity: 3000 }, { productId: t.productIds[1]! }]),
    );
    const sale = res.json();
    const first = await postRefund(
      app,
      t.manager.headers,
      sale.id,
      refundBody(t, [{ lineNo: 1, quantity: 1000 }], [card(1000)]),
    );
    expect(first.statusCode, first.body).toBe(201);
    const before = await written(t);
    const stock = await onHand(t, t.productIds[0]!);
    const over = await postRefund(
      app,
      t.manager.headers,
      sale.id,
      refundBody(
        t,
        [
          { lineNo: 1, quantity: 3000 },
          { lineNo: 2, quantity: 2000 },
        ],
        [card(5000)],
      ),
    );
    expect(over.statusCode, over.body).toBe(409);
    expect(over.json().error.code).toBe('REFUND_EXCEEDS_SALE');
    expect(Object.keys(over.json().error.fields).sort()).toEqual(['lines[0].quantity', 'lines[1].quantity']);
    expect(over.json().error.fields['lines[0].quantity'][0]).toContain('line 1');
    expect(await written(t)).toEqual(before);
    expect(await onHand(t, t.productIds[0]!)).toBe(stock);
    // An unknown line, or a line twice: 400 naming it.
    const unknown = await postRefund(
      app,
      t.manager.headers,
      sale.id,
      refundBody(t, [{ lineNo: 3, quantity: 1000 }], [card(1000)]),
    );
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.fields).toHaveProperty(['lines[0].lineNo']);
    const twice = await postRefund(
      app,
      t.manager.headers,
      sale.id,
      refundBody(
        t,
        [
          { lineNo: 2, quantity: 1000 },
          { lineNo: 2, quantity: 1000 },
        ],
        [card(2000)],
      ),
    );
    expect(twice.statusCode).toBe(400);
    expect(twice.json().error.fields).toHaveProperty(['lines[1].lineNo']);
    expect(await written(t)).toEqual(before);
  });

  it('of 10 concurrent refunds of the last unit, exactly one goes through', async () => {
    const t = await sellingTenant(app);
    const sale = await sold(t, 1000);
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        postRefund(
          app,
          t.manager.headers,
          sale.id,
          refundBody(t, [{ lineNo: 1, quantity: 1000 }], [card(1000)]),
        ),
      ),
    );
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes).toEqual([201, ...Array(9).fill(409)]);
    for (const r of results.filter((x) => x.statusCode === 409)) {
      expect(r.json().error.code).toBe('REFUND_EXCEEDS_SALE');
    }
    expect((await written(t)).refunds).toBe(1);
    expect(await onHand(t, t.productIds[0]!)).toBe(100_000);
  });

  it('puts restocked lines back into stock and inventory, damaged ones into neither', async () => {
    const t = await sellingTenant(app);
    const res = await postSale(
      app,
      t.owner.headers,
      saleOf(t, [
        { productId: t.productIds[0]!, quantity: 3000 },
        { productId: t.productIds[1]!, quantity: 3000 },
      ]),
    );
    const sale = res.json();
    const refund = await postRefund(
      app,
      t.manager.headers,
      sale.id,
      refundBody(
        t,
        [
          { lineNo: 1, quantity: 1000, restock: true },
          { lineNo: 2, quantity: 1000, restock: false },
        ],
        [{ kind: 'cash', amount: 2000 }],
      ),
    );
    expect(refund.statusCode, refund.body).toBe(201);
    expect(await onHand(t, t.productIds[0]!)).toBe(98_000);
    expect(await onHand(t, t.productIds[1]!)).toBe(97_000);
    const lines = await entryOf(app, t.tenantId, 'refund', refund.json().id);
    const by = (purpose: string) => lines.filter((l) => l.purpose === purpose);
    expect(by('sales_revenue')).toEqual([expect.objectContaining({ debit: 1666, credit: 0 })]);
    expect(by('sales_tax_payable')).toEqual([expect.objectContaining({ debit: 334, credit: 0 })]);
    expect(by('cash_on_hand')).toEqual([expect.objectContaining({ debit: 0, credit: 2000 })]);
    // One unit of cost 400 back on the shelf; the damaged one stays written off.
    expect(by('inventory')).toEqual([expect.objectContaining({ debit: 400, credit: 0 })]);
    expect(by('cogs')).toEqual([expect.objectContaining({ debit: 0, credit: 400 })]);
    expect(lines.reduce((s, l) => s + l.debit - l.credit, 0)).toBe(0);
    const events = await app
      .get(Database)
      .tenant({ tenantId: t.tenantId }, (tx) =>
        tx
          .selectFrom('outbox')
          .select(['type', 'payload'])
          .where('aggregate_id', 'in', [refund.json().id, t.storeIds[0]])
          .orderBy('seq')
          .execute(),
      );
    expect(events.slice(-2).map((e) => e.type)).toEqual(['refund.completed', 'stock.changed']);
    expect(events.at(-1)!.payload).toMatchObject({
      reason: 'refund',
      changes: [{ productId: t.productIds[0], quantity: 1000 }],
    });
  });

  it('pays cash back only from an open cash session; card needs none', async () => {
    const t = await sellingTenant(app);
    const sale = await sold(t, 3000);
    const noSession = { registerId: t.registerIds[1] };
    const before = await written(t);
    const cash = await postRefund(
      app,
      t.owner.headers,
      sale.id,
      refundBody(t, [{ lineNo: 1, quantity: 1000 }], [{ kind: 'cash', amount: 1000 }], noSession),
    );
    expect(cash.statusCode, cash.body).toBe(409);
    expect(cash.json().error.code).toBe('NO_OPEN_CASH_SESSION');
    expect(await written(t)).toEqual(before);
    const byCard = await postRefund(
      app,
      t.owner.headers,
      sale.id,
      refundBody(t, [{ lineNo: 1, quantity: 1000 }], [card(1000)], noSession),
    );
    expect(byCard.statusCode, byCard.body).toBe(201);
    expect(byCard.json()).toMatchObject({
      cashSessionId: null,
      registerId: t.registerIds[1],
      receiptNumber: 1,
    });
    // Tenders must add up to the refund: less, more, too much cash, an unknown method.
    for (const payments of [
      [card(500)],
      [card(1500)],
      [{ kind: 'cash', amount: 1500 }],
      [{ kind: 'other', amount: 1000, methodCode: 'nope' }],
    ]) {
      const res = await postRefund(
        app,
        t.owner.headers,
        sale.id,
        refundBody(t, [{ lineNo: 1, quantity: 1000 }], payments),
      );
      expect(res.statusCode, res.body).toBe(400);
    }
  });

  it('rounds the cash part to the cash increment', async () => {
    const t = await sellingTenant(app, { cashIncrement: 5 });
    const sale = await sold(t, 3000, {
      lines: [{ productId: t.productIds[0]!, quantity: 3000, discount: { kind: 'amount', amount: 7 } }],
      payments: [{ kind: 'cash', amount: 3000 }],
    });
    const line = sale.lines[0];
    const gross = shareOf(line.net, 0, 1, 3) + shareOf(line.tax, 0, 1, 3);
    const due = Math.round(gross / 5) * 5;
    const res = await postRefund(
      app,
      t.manager.headers,
      sale.id,
      refundBody(t, [{ lineNo: 1, quantity: 1000 }], [{ kind: 'cash', amount: due }]),
    );
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().totals).toMatchObject({ gross, cashRounding: due - gross, paid: due });
    const lines = await entryOf(app, t.tenantId, 'refund', res.json().id);
    expect(lines.reduce((s, l) => s + l.debit - l.credit, 0)).toBe(0);
    expect(lines.find((l) => l.purpose === 'cash_on_hand')).toMatchObject({ credit: due });
  });

  it('is idempotent by id: 201, then 200 with the identical body, 422 for another body, one refund for concurrent duplicates', async () => {
    const t = await sellingTenant(app);
    const sale = await sold(t, 5000);
    const body = refundBody(t, [{ lineNo: 1, quantity: 1000 }], [card(1000)]);
    const first = await postRefund(app, t.manager.headers, sale.id, body);
    expect(first.statusCode, first.body).toBe(201);
    const again = await postRefund(app, t.manager.headers, sale.id, body);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(first.json());
    const other = await postRefund(app, t.manager.headers, sale.id, { ...body, reason: 'another' });
    expect(other.statusCode).toBe(422);
    expect(other.json().error.code).toBe('IDEMPOTENCY_MISMATCH');
    const dup = refundBody(t, [{ lineNo: 1, quantity: 1000 }], [card(1000)]);
    const results = await Promise.all(
      Array.from({ length: 8 }, () => postRefund(app, t.manager.headers, sale.id, dup)),
    );
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 201]);
    for (const r of results) expect(r.json()).toEqual(results[0]!.json());
    expect((await written(t)).refunds).toBe(2);
    expect(await onHand(t, t.productIds[0]!)).toBe(97_000);
  });

  it("lets a cashier refund only with a manager's PIN", async () => {
    const t = await sellingTenant(app);
    const sale = await sold(t, 3000);
    const before = await written(t);
    const alone = await postRefund(
      app,
      t.cashier.headers,
      sale.id,
      refundBody(t, [{ lineNo: 1, quantity: 1000 }], [card(1000)]),
    );
    expect(alone.statusCode).toBe(403);
    expect(alone.json().error.code).toBe('APPROVAL_REQUIRED');
    await setPin(app, t.tenantId, t.manager.id, '4321');
    const wrong = await postRefund(
      app,
      t.cashier.headers,
      sale.id,
      refundBody(t, [{ lineNo: 1, quantity: 1000 }], [card(1000)], {
        managerId: t.manager.id,
        managerPin: '9999',
      }),
    );
    expect(wrong.statusCode).toBe(403);
    expect(await written(t)).toEqual(before);
    const approved = await postRefund(
      app,
      t.cashier.headers,
      sale.id,
      refundBody(t, [{ lineNo: 1, quantity: 1000 }], [card(1000)], {
        managerId: t.manager.id,
        managerPin: '4321',
      }),
    );
    expect(approved.statusCode, approved.body).toBe(201);
    expect(approved.json()).toMatchObject({ cashierId: t.cashier.id, approvedBy: t.manager.id });
  });

  it('refuses to refund a voided sale (409 INVALID_STATE)', async () => {
    const t = await sellingTenant(app);
    const sale = await sold(t, 1000);
    const voided = await checkedInject(app, {
      method: 'POST',
      url: `/sales/${sale.id}/void`,
      headers: t.manager.headers,
      payload: { id: randomUUID(), reason: 'wrong item' },
    });
    expect(voided.statusCode, voided.body).toBe(201);
    const res = await postRefund(
      app,
      t.manager.headers,
      sale.id,
      refundBody(t, [{ lineNo: 1, quantity: 1000 }], [card(1000)]),
    );
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('INVALID_STATE');
  });

  it('refunds without a receipt: managers only (not at a register), at the current price and tax', async () => {
    const t = await sellingTenant(app);
    await app
      .get(Database)
      .tenant({ tenantId: t.tenantId }, (tx) =>
        tx.updateTable('products').set({ price: 1500 }).where('id', '=', t.productIds[0]!).execute(),
      );
    const body = () => ({
      id: randomUUID(),
      registerId: t.registerIds[0],
      reason: 'no receipt',
      lines: [{ productId: t.productIds[0]!, quantity: 2000, restock: true }],
      payments: [{ kind: 'cash', amount: 3000 }],
    });
    const cashier = await postReceiptlessRefund(app, t.cashier.headers, body());
    expect(cashier.statusCode).toBe(403);
    const till = await app.get(TokenService).sign({
      userId: t.manager.id,
      tenantId: t.tenantId,
      role: 'manager',
      storeIds: [t.storeIds[0]],
      registerId: t.registerIds[0],
      sessionKind: 'register',
      sessionVersion: 1,
    });
    const atTill = await postReceiptlessRefund(app, { authorization: `Bearer ${till}` }, body());
    expect(atTill.statusCode).toBe(403);
    expect((await written(t)).refunds).toBe(0);
    const b = body();
    const res = await postReceiptlessRefund(app, t.manager.headers, b);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      saleId: null,
      totals: { gross: 3000, net: 2500, tax: 500, paid: 3000 },
      lines: [{ saleLineNo: null, unitPrice: 1500, quantity: 2000, restock: true }],
    });
    expect(await onHand(t, t.productIds[0]!)).toBe(102_000);
    const again = await postReceiptlessRefund(app, t.manager.headers, b);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(res.json());
    expect((await postReceiptlessRefund(app, t.manager.headers, { ...b, reason: 'x' })).statusCode).toBe(422);
    const lines = await entryOf(app, t.tenantId, 'refund', b.id);
    expect(lines.reduce((s, l) => s + l.debit - l.credit, 0)).toBe(0);
    expect(lines.find((l) => l.purpose === 'inventory')).toMatchObject({ debit: 800 });
  });

  it('refunds an amount that rounds to zero with no tender, and posts nothing', async () => {
    const t = await sellingTenant(app);
    await app
      .get(Database)
      .tenant({ tenantId: t.tenantId }, (tx) =>
        tx
          .updateTable('products')
          .set({ unit: 'kg', price: 100 })
          .where('id', '=', t.productIds[0]!)
          .execute(),
      );
    const body = {
      id: randomUUID(),
      registerId: t.registerIds[0],
      reason: 'a gram',
      lines: [{ productId: t.productIds[0]!, quantity: 1, restock: false }],
      payments: [],
    };
    const res = await postReceiptlessRefund(app, t.manager.headers, body);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ totals: { gross: 0, paid: 0 }, payments: [] });
    expect(await entryOf(app, t.tenantId, 'refund', body.id)).toEqual([]);
    expect((await postReceiptlessRefund(app, t.manager.headers, body)).statusCode).toBe(200);
  });

  it('takes cash refunds out of the expected cash of the session', async () => {
    const t = await sellingTenant(app);
    const sale = await sold(t, 3000);
    const expected = async () =>
      (
        await checkedInject(app, {
          method: 'GET',
          url: `/registers/${t.registerIds[0]}/cash-sessions/current`,
          headers: t.owner.headers,
        })
      ).json().expectedTotal;
    expect(await expected()).toBe(13_000);
    await postRefund(
      app,
      t.manager.headers,
      sale.id,
      refundBody(t, [{ lineNo: 1, quantity: 1000 }], [{ kind: 'cash', amount: 1000 }]),
    );
    await postRefund(
      app,
      t.manager.headers,
      sale.id,
      refundBody(t, [{ lineNo: 1, quantity: 1000 }], [card(1000)]),
    );
    expect(await expected()).toBe(12_000);
    const other = await sold(t, 2000);
    expect(await expected()).toBe(14_000);
    const voided = await checkedInject(app, {
      method: 'POST',
      url: `/sales/${other.id}/void`,
      headers: t.manager.headers,
      payload: { id: randomUUID(), reason: 'mistake' },
    });
    expect(voided.statusCode, voided.body).toBe(201);
    expect(await expected()).toBe(12_000);
  });
});
