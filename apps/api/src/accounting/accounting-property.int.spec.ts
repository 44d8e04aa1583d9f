import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant } from '../test/fixtures.js';
import { createTestApp } from '../test/test-app.js';
import { as, createProducts } from '../inventory/inventory.test-fixtures.js';
import { setCosts } from './accounting.test-fixtures.js';

/**
 * Property (real PostgreSQL, through the API): after any sequence of adjustments, transfers sent and
 * received, and completed counts, over products sold each and by weight with any cost (zero included),
 * the trial balance is zero and the inventory account equals Σ on hand × cost in every store; once every
 * transfer is received, inventory in transit is empty.
 */

type Step =
  | { kind: 'adjust'; store: 0 | 1; product: 0 | 1 | 2; quantity: number; code: string }
  | { kind: 'send'; from: 0 | 1; product: 0 | 1 | 2; quantity: number }
  | { kind: 'receive'; pick: number }
  | { kind: 'count'; store: 0 | 1; product: 0 | 1 | 2; counted: number };

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
);

describe('accounting property: the books follow the stock', () => {
  let app: NestFastifyApplication;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(() => app.close());

  it('trial balance zero, inventory = Σ stock × cost, in transit empty once received', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 1, maxLength: 12 }),
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
      { numRuns: 15 },
    );
  }, 120_000);
});
