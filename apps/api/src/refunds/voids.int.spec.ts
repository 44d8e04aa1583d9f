import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { balances, entryOf } from '../accounting/accounting.test-fixtures.js';
import { Database } from '../db/database.js';
import { checkedInject } from '../test/contract-check.js';
import { createTestApp } from '../test/test-app.js';
import {
  postSale,
  SALES_ENGINE_EVENTS,
  saleOf,
  sellingTenant,
  type SellingTenant,
} from '../sales/sales.test-fixtures.js';
import { postRefund, postVoid, setPin } from './refund.test-fixtures.js';

describe('voids', () => {
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

  /** Everything a void writes. */
  const written = (t: SellingTenant) =>
    app.get(Database).tenant({ tenantId: t.tenantId }, async (tx) => {
      const n = async (table: 'sale_voids' | 'outbox' | 'journal_entries' | 'stock_movements') =>
        Number(
          (
            await tx
              .selectFrom(table)
              .select((eb) => eb.fn.countAll().as('n'))
              .$if(table === 'outbox', (qb) => qb.where(sql<boolean>`${sql.raw(SALES_ENGINE_EVENTS)}`))
              .executeTakeFirstOrThrow()
          ).n,
        );
      const voided = await tx.selectFrom('sales').select('id').where('status', '=', 'voided').execute();
      return {
        voids: await n('sale_voids'),
        outbox: await n('outbox'),
        journal: await n('journal_entries'),
        movements: await n('stock_movements'),
        voided: voided.length,
      };
    });

  async function sold(t: SellingTenant) {
    const res = await postSale(
      app,
      t.cashier.headers,
      saleOf(t, [{ productId: t.productIds[0]!, quantity: 2000 }, { productId: t.productIds[1]! }]),
    );
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  }
  const voidBody = (extra: object = {}) => ({
    id: randomUUID(),
    reason: 'rang up the wrong items',
    ...extra,
  });

  it("reverses the sale's journal entry (the trial balance is back) and its stock, and marks it voided", async () => {
    const t = await sellingTenant(app);
    const before = await balances(app, t.tenantId);
    const sale = await sold(t);
    expect(await onHand(t, t.productIds[0]!)).toBe(98_000);
    const body = voidBody();
    const res = await postVoid(app, t.manager.headers, sale.id, body);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      id: body.id,
      saleId: sale.id,
      cashSessionId: t.sessionId,
      voidedBy: t.manager.id,
      approvedBy: null,
      sale: { status: 'voided', voidedBy: t.manager.id, voidedAt: expect.any(String) },
    });
    const after = await balances(app, t.tenantId);
    const nonZero = (m: Map<string, number>) => [...m].filter(([, v]) => v !== 0).sort();
    expect(nonZero(after)).toEqual(nonZero(before));
    const reversal = await entryOf(app, t.tenantId, 'sale_void', body.id);
    const original = await entryOf(app, t.tenantId, 'sale', sale.id);
    expect(reversal).toEqual(original.map((l) => ({ ...l, debit: l.credit, credit: l.debit })));
    expect(await onHand(t, t.productIds[0]!)).toBe(100_000);
    expect(await onHand(t, t.productIds[1]!)).toBe(100_000);
    const events = await app
      .get(Database)
      .tenant({ tenantId: t.tenantId }, (tx) =>
        tx.selectFrom('outbox').select(['type', 'payload']).orderBy('seq', 'desc').limit(2).execute(),
      );
    expect(events.map((e) => e.type).reverse()).toEqual(['sale.voided', 'stock.changed']);
    const view = await checkedInject(app, {
      method: 'GET',
      url: `/sales/${sale.id}`,
      headers: t.cashier.headers,
    });
    expect(view.json()).toEqual(res.json().sale);
  });

  it('is idempotent by id: 200 with the identical body, 422 for another body; a voided sale is not voided again', async () => {
    const t = await sellingTenant(app);
    const sale = await sold(t);
    const body = voidBody();
    const first = await postVoid(app, t.manager.headers, sale.id, body);
    expect(first.statusCode, first.body).toBe(201);
    const again = await postVoid(app, t.manager.headers, sale.id, body);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(first.json());
    const before = await written(t);
    const other = await postVoid(app, t.manager.headers, sale.id, { ...body, reason: 'another' });
    expect(other.statusCode).toBe(422);
    const second = await postVoid(app, t.manager.headers, sale.id, voidBody());
    expect(second.statusCode).toBe(409);
    expect(second.json().error.code).toBe('INVALID_STATE');
    expect(await written(t)).toEqual(before);
  });

  it('of concurrent voids of one sale, one goes through (the same id is replayed, another id refused)', async () => {
    const t = await sellingTenant(app);
    const sale = await sold(t);
    const same = voidBody();
    const results = await Promise.all([
      ...Array.from({ length: 5 }, () => postVoid(app, t.manager.headers, sale.id, same)),
      ...Array.from({ length: 3 }, () => postVoid(app, t.manager.headers, sale.id, voidBody())),
    ]);
    const sameCodes = results.slice(0, 5).map((r) => r.statusCode);
    const otherCodes = results.slice(5).map((r) => r.statusCode);
    const winners = [...sameCodes, ...otherCodes].filter((c) => c === 201).length;
    expect(winners).toBe(1);
    for (const c of sameCodes) expect([200, 201, 409]).toContain(c);
    for (const c of otherCodes) expect([201, 409]).toContain(c);
    expect((await written(t)).voids).toBe(1);
    expect(await onHand(t, t.productIds[0]!)).toBe(100_000);
  });

  it('a refund and a void of one sale racing: exactly one of them goes through', async () => {
    for (let round = 0; round < 6; round++) {
      const t = await sellingTenant(app);
      const sale = await sold(t);
      const [refund, voided] = await Promise.all([
        postRefund(app, t.manager.headers, sale.id, {
          id: randomUUID(),
          registerId: t.registerIds[0],
          reason: 'race',
          lines: [{ lineNo: 2, quantity: 1000, restock: true }],
          payments: [{ kind: 'card', amount: 1000, reference: 'R-1' }],
        }),
        postVoid(app, t.manager.headers, sale.id, voidBody()),
      ]);
      expect([refund.statusCode, voided.statusCode].sort(), `${refund.body} ${voided.body}`).toEqual([
        201, 409,
      ]);
      expect((refund.statusCode === 201 ? voided : refund).json().error.code).toBe('INVALID_STATE');
      // Stock: the void gave back all three units, or the refund one of them.
      const back = (await onHand(t, t.productIds[0]!)) + (await onHand(t, t.productIds[1]!));
      expect(back).toBe(voided.statusCode === 201 ? 200_000 : 198_000);
    }
  });

  it("voids only a sale of its register's open session, and never a refunded sale", async () => {
    const t = await sellingTenant(app);
    const sale = await sold(t);
    const refunded = await sold(t);
    const refund = await postRefund(app, t.manager.headers, refunded.id, {
      id: randomUUID(),
      registerId: t.registerIds[0],
      reason: 'faulty',
      lines: [{ lineNo: 2, quantity: 1000, restock: false }],
      payments: [{ kind: 'card', amount: 1000, reference: 'R-1' }],
    });
    expect(refund.statusCode, refund.body).toBe(201);
    let before = await written(t);
    const withRefund = await postVoid(app, t.manager.headers, refunded.id, voidBody());
    expect(withRefund.statusCode).toBe(409);
    expect(withRefund.json().error.code).toBe('INVALID_STATE');
    expect(await written(t)).toEqual(before);

    const close = await checkedInject(app, {
      method: 'POST',
      url: `/cash-sessions/${t.sessionId}/close`,
      headers: t.owner.headers,
      payload: { countedTotal: 0 },
    });
    expect(close.statusCode, close.body).toBe(200);
    before = await written(t);
    const closed = await postVoid(app, t.manager.headers, sale.id, voidBody());
    expect(closed.statusCode).toBe(409);
    expect(closed.json().error.code).toBe('NO_OPEN_CASH_SESSION');
    const opened = await checkedInject(app, {
      method: 'POST',
      url: `/registers/${t.registerIds[0]}/cash-sessions`,
      headers: t.owner.headers,
      payload: { openingFloat: 0 },
    });
    expect(opened.statusCode).toBe(201);
    const later = await postVoid(app, t.manager.headers, sale.id, voidBody());
    expect(later.statusCode).toBe(409);
    expect(later.json().error.code).toBe('INVALID_STATE');
    expect(await written(t)).toEqual(before);
  });

  it('keeps inventory equal to stock × cost when a weighed level moved between the sale and its void', async () => {
    const t = await sellingTenant(app, { stock: 0 });
    const [kg] = t.productIds;
    await app
      .get(Database)
      .tenant({ tenantId: t.tenantId }, (tx) =>
        tx.updateTable('products').set({ unit: 'kg', cost: 2249 }).where('id', '=', kg!).execute(),
      );
    const res = await postSale(app, t.owner.headers, saleOf(t, [{ productId: kg!, quantity: 770 }]));
    expect(res.statusCode, res.body).toBe(201);
    const adjusted = await checkedInject(app, {
      method: 'POST',
      url: `/stores/${t.storeIds[0]}/stock/adjustments`,
      headers: t.owner.headers,
      payload: { reasonCode: 'received', lines: [{ productId: kg!, quantity: 1 }] },
    });
    expect(adjusted.statusCode, adjusted.body).toBe(201);
    const voided = await postVoid(app, t.manager.headers, res.json().id, voidBody());
    expect(voided.statusCode, voided.body).toBe(201);
    const check = await checkedInject(app, {
      method: 'GET',
      url: '/accounting/inventory-check',
      headers: t.owner.headers,
    });
    expect(check.json().inventory.difference).toBe(0);
    const nonZero = [...(await balances(app, t.tenantId))].filter(([, v]) => v !== 0);
    expect(nonZero.reduce((sum, [, v]) => sum + v, 0)).toBe(0);
  });

  it('keeps inventory equal to stock × cost when the sale booked a cost other than its lines add up to', async () => {
    // 1.5 kg at 3.33 a kilo out of 10 kg: the level's value falls 33.30 → 28.31 (4.99 booked as COGS), while the
    // line's own cost is 1.5 × 3.33 = 5.00 (rounded). The void gives back what was booked, not the lines' sum.
    const t = await sellingTenant(app, { stock: 10 });
    const [kg] = t.productIds;
    await app
      .get(Database)
      .tenant({ tenantId: t.tenantId }, (tx) =>
        tx.updateTable('products').set({ unit: 'kg', cost: 333 }).where('id', '=', kg!).execute(),
      );
    const before = await checkedInject(app, {
      method: 'GET',
      url: '/accounting/inventory-check',
      headers: t.owner.headers,
    });
    const res = await postSale(app, t.owner.headers, saleOf(t, [{ productId: kg!, quantity: 1500 }]));
    expect(res.statusCode, res.body).toBe(201);
    const voided = await postVoid(app, t.manager.headers, res.json().id, voidBody());
    expect(voided.statusCode, voided.body).toBe(201);
    const after = await checkedInject(app, {
      method: 'GET',
      url: '/accounting/inventory-check',
      headers: t.owner.headers,
    });
    expect(after.json().inventory.difference).toBe(before.json().inventory.difference);
  });

  it("lets a cashier void only with a manager's PIN", async () => {
    const t = await sellingTenant(app);
    const sale = await sold(t);
    const before = await written(t);
    const alone = await postVoid(app, t.cashier.headers, sale.id, voidBody());
    expect(alone.statusCode).toBe(403);
    expect(alone.json().error.code).toBe('APPROVAL_REQUIRED');
    await setPin(app, t.tenantId, t.manager.id, '4321');
    const wrong = await postVoid(
      app,
      t.cashier.headers,
      sale.id,
      voidBody({ managerId: t.manager.id, managerPin: '1111' }),
    );
    expect(wrong.statusCode).toBe(403);
    expect(await written(t)).toEqual(before);
    const approved = await postVoid(
      app,
      t.cashier.headers,
      sale.id,
      voidBody({ managerId: t.manager.id, managerPin: '4321' }),
    );
    expect(approved.statusCode, approved.body).toBe(201);
    expect(approved.json()).toMatchObject({ voidedBy: t.cashier.id, approvedBy: t.manager.id });
  });
});
