import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant } from '../test/fixtures.js';
import { createTestApp } from '../test/test-app.js';
import { as, createProducts } from '../inventory/inventory.test-fixtures.js';
import { setCosts } from './accounting.test-fixtures.js';

/**
 * Property (real PostgreSQL, through the API): after any sequence of adjustments, transfers sent and
 * received, completed counts, sales, refunds (restocked or damaged, partial or whole) and voids, over products
 * sold each and by weight with any cost (zero included),
 * the trial balance is zero and the inventory account equals Σ on hand × cost in every store; once every
 * transfer is received, inventory in transit is empty.
 */

type Step =
  | { kind: 'adjust'; store: 0 | 1; product: 0 | 1 | 2; quantity: number; code: string }
  | { kind: 'send'; from: 0 | 1; product: 0 | 1 | 2; quantity: number }
  | { kind: 'receive'; pick: number }
  | { kind: 'count'; store: 0 | 1; product: 0 | 1 | 2; counted: number }
  | { kind: 'sell'; product: 0 | 1 | 2; quantity: number }
  | { kind: 'refund'; pick: number; part: number; restock: boolean }
  | { kind: 'void'; pick: number };

const KG = 2;
const store = fc.constantFrom(0 as const, 1 as const);
const product = fc.constantFrom(0 as const, 1 as const, 2 as const);
/** Thousandths: whole units for products 0 and 1, any grams for product 2 (kg). */
const quantityOf = (p: 0 | 1 | 2, magnitude: number) =>
  p === KG ? magnitude : Math.ceil(magnitude / 1000) * 1000;

const step: fc.Arbitrary<Step> = fc.oneof(
  fc
    .record({ store, product, magnitude: fc.integer({ min: 1, max: 9_000 }), sign: fc.constantFrom(1, -1) })
    .chain(({ store, product, magnitude, sign }) =>
      fc
        .constantFrom(
          ...(sign > 0 ? ['received', 'correction'] : ['damaged', 'lost', 'theft', 'expired', 'correction']),
        )
        .map((code): Step => ({
          kind: 'adjust',
          store,
          product,
          quantity: sign * quantityOf(product, magnitude),
          code,
        })),
    ),
  fc
    .record({ from: store, product, magnitude: fc.integer({ min: 1, max: 5_000 }) })
    .map(({ from, product, magnitude }): Step => ({
      kind: 'send',
      from,
      product,
      quantity: quantityOf(product, magnitude),
    })),
  fc.nat({ max: 10 }).map((pick): Step => ({ kind: 'receive', pick })),
  fc
    .record({ store, product, magnitude: fc.integer({ min: 0, max: 9_000 }) })
    .map(({ store, product, magnitude }): Step => ({
      kind: 'count',
      store,
      product,
      counted: magnitude === 0 ? 0 : quantityOf(product, magnitude),
    })),
  fc
    .record({ product, magnitude: fc.integer({ min: 1, max: 5_000 }) })
    .map(({ product, magnitude }): Step => ({
      kind: 'sell',
      product,
      quantity: quantityOf(product, magnitude),
    })),
  fc
    .record({ pick: fc.nat({ max: 10 }), part: fc.integer({ min: 1, max: 3 }), restock: fc.boolean() })
    .map((r): Step => ({ kind: 'refund', ...r })),
  fc.nat({ max: 10 }).map((pick): Step => ({ kind: 'void', pick })),
);

/** A sale of the run: its one line as sold, and how much of it is refunded. */
interface Sold {
  id: string;
  product: 0 | 1 | 2;
  quantity: number;
  net: number;
  refunded: number;
  voided: boolean;
}

describe('accounting property: the books follow the stock', () => {
  let app: NestFastifyApplication;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(() => app.close());

  it('trial balance zero, inventory = Σ stock × cost, in transit empty once received', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 1, maxLength: 16 }),
        fc.tuple(
          fc.integer({ min: 0, max: 5_000 }),
          fc.integer({ min: 0, max: 5_000 }),
          fc.integer({ min: 0, max: 5_000 }),
        ),
        async (steps, costs) => {
          const t = await createTenant(app);
          const products = await createProducts(app, t.tenantId, [
            { unit: 'each' },
            { unit: 'each' },
            { unit: 'kg' },
          ]);
          await setCosts(app, t.tenantId, Object.fromEntries(products.map((id, i) => [id, costs[i]!])));
          const owner = as(app, t.owner.headers);
          const stores = t.storeIds;
          const pending: string[] = [];
          const sales: Sold[] = [];
          const opened = await owner('POST', `/registers/${t.registerIds[0]}/cash-sessions`, {
            openingFloat: 0,
          });
          expect(opened.statusCode).toBe(201);
          const net = (s: Sold, before: number, after: number) =>
            Math.round((s.net * after) / s.quantity) - Math.round((s.net * before) / s.quantity);
          const ok = (status: number, expected: number, what: string) => expect(status, what).toBe(expected);

          for (const s of steps) {
            if (s.kind === 'adjust') {
              const res = await owner('POST', `/stores/${stores[s.store]}/stock/adjustments`, {
                reasonCode: s.code,
                lines: [{ productId: products[s.product], quantity: s.quantity }],
              });
              ok(res.statusCode, 201, JSON.stringify(s));
            } else if (s.kind === 'send') {
              const res = await owner('POST', '/transfers', {
                fromStoreId: stores[s.from],
                toStoreId: stores[1 - s.from],
                lines: [{ productId: products[s.product], quantity: s.quantity }],
              });
              ok(res.statusCode, 201, JSON.stringify(s));
              pending.push(res.json().id);
            } else if (s.kind === 'receive') {
              if (pending.length === 0) continue;
              const [id] = pending.splice(s.pick % pending.length, 1);
              ok((await owner('POST', `/transfers/${id}/receive`)).statusCode, 200, JSON.stringify(s));
            } else if (s.kind === 'sell') {
              // No tax rates: the gross is the extended price, unit price 1000.
              const gross = Math.round(s.quantity);
              const res = await owner('POST', '/sales', {
                id: randomUUID(),
                registerId: t.registerIds[0],
                lines: [{ productId: products[s.product], quantity: s.quantity }],
                payments: gross > 0 ? [{ kind: 'card', amount: gross, reference: 'P' }] : [],
              });
              ok(res.statusCode, 201, JSON.stringify(s));
              const line = res.json().lines[0];
              sales.push({
                id: res.json().id,
                product: s.product,
                quantity: s.quantity,
                net: line.net,
                refunded: 0,
                voided: false,
              });
            } else if (s.kind === 'refund') {
              const open = sales.filter((x) => !x.voided && x.refunded < x.quantity);
              if (open.length === 0) continue;
              const sale = open[s.pick % open.length]!;
              const left = sale.quantity - sale.refunded;
              const quantity =
                s.part === 3 ? left : Math.max(1, quantityOf(sale.product, Math.floor(left / (s.part + 1))));
              const amount = net(sale, sale.refunded, Math.min(sale.quantity, sale.refunded + quantity));
              const res = await owner('POST', `/sales/${sale.id}/refunds`, {
                id: randomUUID(),
                registerId: t.registerIds[0],
                reason: 'property',
                lines: [{ lineNo: 1, quantity: Math.min(left, quantity), restock: s.restock }],
                payments: amount > 0 ? [{ kind: 'card', amount, reference: 'R' }] : [],
              });
              ok(res.statusCode, 201, `${JSON.stringify(s)} ${res.body}`);
              sale.refunded += Math.min(left, quantity);
            } else if (s.kind === 'void') {
              const voidable = sales.filter((x) => !x.voided && x.refunded === 0);
              if (voidable.length === 0) continue;
              const sale = voidable[s.pick % voidable.length]!;
              const res = await owner('POST', `/sales/${sale.id}/void`, {
                id: randomUUID(),
                reason: 'property',
              });
              ok(res.statusCode, 201, `${JSON.stringify(s)} ${res.body}`);
              sale.voided = true;
            } else {
              const opened = await owner('POST', `/stores/${stores[s.store]}/counts`, {
                productIds: [products[s.product]],
              });
              ok(opened.statusCode, 201, JSON.stringify(s));
              const id = opened.json().id as string;
              await owner('PUT', `/counts/${id}/lines`, {
                lines: [{ productId: products[s.product], counted: s.counted }],
              });
              ok((await owner('POST', `/counts/${id}/complete`)).statusCode, 200, JSON.stringify(s));
            }
          }

          const books = async () => {
            const tb = (await owner('GET', '/accounting/trial-balance')).json();
            expect(tb.totalDebit).toBe(tb.totalCredit);
            expect(tb.accounts.reduce((sum: number, a: { balance: number }) => sum + a.balance, 0)).toBe(0);
            const check = (await owner('GET', '/accounting/inventory-check')).json();
            expect(check.inventory.difference).toBe(0);
            for (const st of check.stores) expect(st.difference, st.storeId).toBe(0);
            return check;
          };
          await books();
          for (const id of pending)
            ok((await owner('POST', `/transfers/${id}/receive`)).statusCode, 200, 'receive');
          const check = await books();
          expect(check.inTransit).toEqual({ account: 0, stockValue: 0, difference: 0 });
        },
      ),
      { numRuns: 30 },
    );
  }, 120_000);
});
