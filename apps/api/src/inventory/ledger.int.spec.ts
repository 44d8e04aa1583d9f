import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Database } from '../db/database.js';
import { createTenant } from '../test/fixtures.js';
import { createTestApp } from '../test/test-app.js';
import { as, createProducts, setOversellPolicy } from './inventory.test-fixtures.js';

/** mulberry32: a small seeded PRNG, so a failing sequence can be replayed from its seed. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)]!;
  const shuffle = <T>(items: readonly T[]): T[] => {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = int(0, i);
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  };
  /** One to `max` distinct items. */
  const some = <T>(items: readonly T[], max: number): T[] =>
    shuffle(items).slice(0, int(1, Math.min(max, items.length)));
  return { next, int, pick, shuffle, some };
}

const SEEDS = [20_240_601, 7];
const OPERATIONS = 200;

describe('the stock level always equals the sum of its movements', () => {
  let app: NestFastifyApplication;
  let superuser: pg.Client;
  beforeAll(async () => {
    app = await createTestApp();
    superuser = new pg.Client({ connectionString: inject('db').superuserUrl });
    await superuser.connect();
  });
  afterAll(async () => {
    await superuser.end();
    await app.close();
  });

  it.each(SEEDS)('after %i-seeded random adjustments, transfers, receives and counts', async (seed) => {
    const rnd = prng(seed);
    const t = await createTenant(app);
    const thirdStore = randomUUID();
    await app
      .get(Database)
      .tenant({ tenantId: t.tenantId }, (tx) =>
        tx
          .insertInto('stores')
          .values({ tenant_id: t.tenantId, id: thirdStore, code: 'S3', name: 'Store 3' })
          .execute(),
      );
    const stores = [...t.storeIds, thirdStore];
    const refuseStore = stores[0]!;
    await setOversellPolicy(app, t.tenantId, refuseStore, 'refuse');
    const units = ['each', 'each', 'kg', 'kg', 'each'] as const;
    const products = await createProducts(
      app,
      t.tenantId,
      units.map((unit) => ({ unit })),
    );
    const unitOf = new Map(products.map((id, i) => [id, units[i]!]));
    const owner = as(app, t.owner.headers);

    // What the ledger must say, built only from the API's answers.
    const model = new Map<string, number>();
    const key = (store: string, product: string) => `${store}/${product}`;
    const move = (store: string, product: string, delta: number) =>
      model.set(key(store, product), (model.get(key(store, product)) ?? 0) + delta);
    const inTransit = new Map<string, { to: string; lines: { productId: string; quantity: number }[] }>();
    const received: string[] = [];
    const openCounts: string[] = [];
    const statuses: Record<string, number> = {};

    const quantity = (product: string, maxUnits: number) =>
      unitOf.get(product) === 'each' ? rnd.int(1, maxUnits) * 1000 : rnd.int(1, maxUnits * 1000);

    const expectOutcome = (res: LightMyRequestResponse, ok: number, label: string) => {
      const tag = `${label} ${res.statusCode}${res.statusCode >= 400 ? ` ${res.json().error.code}` : ''}`;
      statuses[tag] = (statuses[tag] ?? 0) + 1;
      if (res.statusCode === ok) return true;
      // Refusals are expected (oversell in the refuse store, a receive or count that lost a race);
      // anything else (a deadlock, a 500, a validation error from our own generator) is a failure.
      expect(res.statusCode, `${label}: ${res.body}`).toBe(409);
      expect(['INSUFFICIENT_STOCK', 'INVALID_STATE'], `${label}: ${res.body}`).toContain(
        res.json().error.code,
      );
      return false;
    };

    const operations: (() => Promise<void>)[] = [
      async () => {
        const store = rnd.pick(stores);
        const reasonCode = rnd.pick([
          'received',
          'damaged',
          'lost',
          'theft',
          'expired',
          'correction', // 'count' comes only from completing a count (the counts operation below)
        ]);
        const sign = reasonCode === 'received' ? 1 : reasonCode === 'correction' ? 0 : -1;
        const lines = rnd.some(products, 3).map((productId) => ({
          productId,
          quantity: quantity(productId, 12) * (sign === 0 ? rnd.pick([1, -1]) : sign),
        }));
        const res = await owner('POST', `/stores/${store}/stock/adjustments`, { reasonCode, lines });
        if (expectOutcome(res, 201, 'adjust')) for (const l of lines) move(store, l.productId, l.quantity);
      },
      async () => {
        const [from, to] = rnd.shuffle(stores) as [string, string];
        const lines = rnd
          .some(products, 2)
          .map((productId) => ({ productId, quantity: quantity(productId, 6) }));
        const res = await owner('POST', '/transfers', { fromStoreId: from, toStoreId: to, lines });
        if (expectOutcome(res, 201, 'send')) {
          for (const l of lines) move(from, l.productId, -l.quantity);
          inTransit.set(res.json().id, { to, lines });
        }
      },
      async () => {
        const pending = [...inTransit.keys()];
        // Now and then receive one again, which must be refused.
        const id =
          pending.length && rnd.next() < 0.85
            ? rnd.pick(pending)
            : received.length
              ? rnd.pick(received)
              : null;
        if (!id) return;
        const transfer = inTransit.get(id);
        inTransit.delete(id);
        const res = await owner('POST', `/transfers/${id}/receive`);
        if (expectOutcome(res, 200, 'receive')) {
          expect(transfer, 'a received transfer was received again').toBeDefined();
          for (const l of transfer!.lines) move(transfer!.to, l.productId, l.quantity);
          received.push(id);
        }
      },
      async () => {
        const store = rnd.pick(stores);
        const body = rnd.next() < 0.5 ? {} : { productIds: rnd.some(products, 3) };
        const res = await owner('POST', `/stores/${store}/counts`, body);
        expectOutcome(res, 201, 'open count');
        openCounts.push(res.json().id);
      },
      async () => {
        if (!openCounts.length) return;
        const id = rnd.pick(openCounts);
        const lines = rnd
          .some(products, 3)
          .map((productId) => ({ productId, counted: quantity(productId, 10) }));
        expectOutcome(await owner('PUT', `/counts/${id}/lines`, { lines }), 200, 'record count');
      },
      async () => {
        if (!openCounts.length) return;
        const id = openCounts.splice(rnd.int(0, openCounts.length - 1), 1)[0]!;
        const res = await owner('POST', `/counts/${id}/complete`);
        if (expectOutcome(res, 200, 'complete count')) {
          const count = res.json();
          for (const l of count.lines) if (l.variance !== null) move(count.storeId, l.productId, l.variance);
        }
      },
    ];
    const weights = [5, 3, 2, 1, 2, 1];
    const weighted = weights.flatMap((w, i) => Array.from({ length: w }, () => operations[i]!));

    let done = 0;
    while (done < OPERATIONS) {
      // Mostly one at a time; sometimes two or three at once, to exercise the locking.
      const batch = rnd.next() < 0.7 ? 1 : rnd.int(2, 3);
      await Promise.all(Array.from({ length: batch }, () => rnd.pick(weighted)()));
      done += batch;
    }

    // Every kind of operation happened, and some were refused.
    const seen = Object.keys(statuses).join(' ');
    for (const kind of [
      'adjust 201',
      'send 201',
      'receive 200',
      'complete count 200',
      'INSUFFICIENT_STOCK',
    ]) {
      expect(seen, JSON.stringify(statuses)).toContain(kind);
    }

    // 1. In the database (superuser: no RLS): each level equals the sum of its movements.
    const drift = await superuser.query(
      `select coalesce(l.store_id, m.store_id) as store_id, coalesce(l.product_id, m.product_id) as product_id,
              l.on_hand, m.total
         from (select * from stock_levels where tenant_id = $1) l
         full join (select store_id, product_id, sum(quantity) as total
                      from stock_movements where tenant_id = $1 group by store_id, product_id) m
           on m.store_id = l.store_id and m.product_id = l.product_id
        where l.on_hand is distinct from m.total and not (l.on_hand = 0 and m.total is null)`,
      [t.tenantId],
    );
    expect(drift.rows).toEqual([]);
    const levels = await superuser.query<{ store_id: string; product_id: string; on_hand: string }>(
      'select store_id, product_id, on_hand from stock_levels where tenant_id = $1',
      [t.tenantId],
    );
    expect(levels.rowCount).toBeGreaterThan(0);

    // 2. The levels are what the API's answers add up to, and the refuse store never went negative.
    for (const store of stores) {
      for (const product of products) {
        const row = levels.rows.find((r) => r.store_id === store && r.product_id === product);
        expect(Number(row?.on_hand ?? 0), `${store}/${product}`).toBe(model.get(key(store, product)) ?? 0);
        if (store === refuseStore) expect(Number(row?.on_hand ?? 0)).toBeGreaterThanOrEqual(0);
      }
    }

    // 3. Transfers: out = in for received ones, no receipt for those in transit, and the API shows them in transit.
    const transfers = await superuser.query<{ id: string; status: string; out: string; in: string | null }>(
      `select t.id, t.status,
              (select sum(quantity) from stock_movements m where m.tenant_id = t.tenant_id and m.reference_id = t.id and m.reason = 'transfer_out') as out,
              (select sum(quantity) from stock_movements m where m.tenant_id = t.tenant_id and m.reference_id = t.id and m.reason = 'transfer_in') as in
         from transfers t where t.tenant_id = $1`,
      [t.tenantId],
    );
    for (const tr of transfers.rows) {
      if (tr.status === 'received') expect(Number(tr.in)).toBe(-Number(tr.out));
      else expect(tr.in).toBeNull();
    }
    expect(
      transfers.rows
        .filter((r) => r.status === 'in_transit')
        .map((r) => r.id)
        .sort(),
    ).toEqual([...inTransit.keys()].sort());
    for (const store of stores) {
      const api = (await owner('GET', `/stores/${store}/stock?limit=200`)).json().items as {
        productId: string;
        onHand: number;
        inTransit: number;
      }[];
      for (const product of products) {
        const expected = [...inTransit.values()]
          .filter((tr) => tr.to === store)
          .flatMap((tr) => tr.lines)
          .filter((l) => l.productId === product)
          .reduce((sum, l) => sum + l.quantity, 0);
        const level = api.find((l) => l.productId === product);
        expect(level?.inTransit, `in transit to ${store}/${product}`).toBe(expected);
        expect(level?.onHand).toBe(model.get(key(store, product)) ?? 0);
      }
    }
  });
});
