import { randomUUID } from 'node:crypto';
import {
  type EventType,
  productChangedPayloadSchema,
  sessionChangedPayloadSchema,
  stockChangedPayloadSchema,
} from '@zakpos/contracts';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { createProducts, setOversellPolicy } from '../inventory/inventory.test-fixtures.js';
import { useApiHarness } from '../test/api-harness.js';
import { createTenant, type TestTenant } from '../test/fixtures.js';

// Real, valid codes.
const EAN_A = '4006381333931';
const EAN_B = '5901234123457';
const UPC = '036000291452';
const EAN8 = '96385074';
const BAD_EAN = '4006381333932';

const payloadSchemas: Partial<Record<EventType, z.ZodType>> = {
  'stock.changed': stockChangedPayloadSchema,
  'product.created': productChangedPayloadSchema,
  'product.updated': productChangedPayloadSchema,
  'product.price_changed': productChangedPayloadSchema,
  'session.opened': sessionChangedPayloadSchema,
  'session.closed': sessionChangedPayloadSchema,
};

interface OutboxEvent {
  type: string;
  aggregateType: string;
  aggregateId: string;
  payload: Record<string, unknown>;
}

describe('domain events of catalog, inventory and cash changes', () => {
  const api = useApiHarness();
  const { call } = api;

  /** The tenant's outbox in write order, read as the superuser; every payload must parse as its contract. */
  async function outbox(t: TestTenant): Promise<OutboxEvent[]> {
    const { rows } = await api.su.query<{
      type: string;
      aggregate_type: string;
      aggregate_id: string;
      payload: Record<string, unknown>;
    }>('select type, aggregate_type, aggregate_id, payload from outbox where tenant_id = $1 order by seq', [
      t.tenantId,
    ]);
    return rows.map((r) => {
      const schema = payloadSchemas[r.type as EventType];
      if (!schema) throw new Error(`an event type this spec does not expect: ${r.type}`);
      // Parsing drops undeclared keys: equal after parsing means exactly the contract's fields.
      expect(schema.parse(r.payload)).toStrictEqual(r.payload);
      return {
        type: r.type,
        aggregateType: r.aggregate_type,
        aggregateId: r.aggregate_id,
        payload: r.payload,
      };
    });
  }

  /** Runs `op` and returns the events it added to the tenant's outbox. */
  async function eventsOf(t: TestTenant, op: () => Promise<unknown>): Promise<OutboxEvent[]> {
    const before = (await outbox(t)).length;
    await op();
    return (await outbox(t)).slice(before);
  }

  /** Expects `op` to answer `status` and to add nothing to the outbox. */
  async function expectNoEvents(t: TestTenant, status: number, op: () => ReturnType<typeof call>) {
    const before = await outbox(t);
    const res = await op();
    expect(res.statusCode, res.body).toBe(status);
    expect(await outbox(t)).toEqual(before);
  }

  const product = (type: string, productId: string, payload: object): OutboxEvent => ({
    type,
    aggregateType: 'product',
    aggregateId: productId,
    payload: { productId, ...payload },
  });
  const stock = (storeId: string, payload: object): OutboxEvent => ({
    type: 'stock.changed',
    aggregateType: 'store',
    aggregateId: storeId,
    payload: { storeId, ...payload },
  });

  /** Events with their stock changes sorted by product, where the order of lines is not the input's. */
  const sortedChanges = (events: OutboxEvent[]): OutboxEvent[] =>
    events.map((e) => {
      const changes = e.payload.changes as { productId: string }[] | undefined;
      if (!changes) return e;
      const sorted = [...changes].sort((x, y) => x.productId.localeCompare(y.productId));
      return { ...e, payload: { ...e.payload, changes: sorted } };
    });

  describe('products', () => {
    async function setup() {
      const t = await createTenant(api.app);
      const tax = await call(t, 'owner', 'POST', '/tax-categories', {
        name: 'Standard',
        rates: [{ name: 'VAT', rateBp: 2000 }],
      });
      expect(tax.statusCode).toBe(201);
      return { t, taxCategoryId: tax.json().id as string };
    }
    const body = (taxCategoryId: string, extra: object = {}) => ({
      sku: `SKU-${randomUUID().slice(0, 8)}`,
      name: 'Whole milk 1 L',
      price: 129,
      cost: 80,
      taxCategoryId,
      ...extra,
    });

    it('writes product.created with the new product’s barcodes; a refused create writes nothing', async () => {
      const { t, taxCategoryId } = await setup();
      await expectNoEvents(t, 400, () =>
        call(t, 'owner', 'POST', '/products', body(taxCategoryId, { barcodes: [{ code: BAD_EAN }] })),
      );
      await expectNoEvents(t, 404, () =>
        call(t, 'owner', 'POST', '/products', body(randomUUID(), { barcodes: [{ code: EAN_A }] })),
      );

      const created = await call(
        t,
        'owner',
        'POST',
        '/products',
        body(taxCategoryId, { sku: 'MILK', barcodes: [{ code: EAN_A }, { code: UPC }] }),
      );
      expect(created.statusCode).toBe(201);
      const id = created.json().id as string;
      expect(await outbox(t)).toEqual([product('product.created', id, { barcodes: [UPC, EAN_A] })]);

      const bare = await call(t, 'owner', 'POST', '/products', body(taxCategoryId));
      expect(bare.statusCode).toBe(201);
      expect((await outbox(t)).slice(1)).toEqual([
        product('product.created', bare.json().id as string, { barcodes: [] }),
      ]);
      // The SKU is taken: a conflict writes nothing.
      await expectNoEvents(t, 409, () =>
        call(t, 'owner', 'POST', '/products', body(taxCategoryId, { sku: 'MILK' })),
      );
    });

    it('writes product.updated on every change, and product.price_changed when the price moves', async () => {
      const { t, taxCategoryId } = await setup();
      const created = await call(
        t,
        'owner',
        'POST',
        '/products',
        body(taxCategoryId, { barcodes: [{ code: EAN_A }, { code: UPC }] }),
      );
      const id = created.json().id as string;
      const patch = (payload: object) => call(t, 'owner', 'PATCH', `/products/${id}`, payload);

      expect(await eventsOf(t, () => patch({ name: 'Semi-skimmed milk 1 L' }))).toEqual([
        product('product.updated', id, { barcodes: [UPC, EAN_A] }),
      ]);
      // New price and new barcodes: the old and the new codes are named, the prices on price_changed only.
      expect(await eventsOf(t, () => patch({ price: 139, barcodes: [{ code: EAN_B }] }))).toEqual([
        product('product.updated', id, { barcodes: [UPC, EAN_A, EAN_B] }),
        product('product.price_changed', id, {
          barcodes: [UPC, EAN_A, EAN_B],
          price: 139,
          previousPrice: 129,
        }),
      ]);
      expect(await eventsOf(t, () => patch({ cost: 90 }))).toEqual([
        product('product.updated', id, { barcodes: [EAN_B] }),
      ]);
      // The same values again change nothing: no event.
      expect(await eventsOf(t, () => patch({ price: 139, cost: 90 }))).toEqual([]);
      // Archiving through the update is an update.
      expect(await eventsOf(t, () => patch({ active: false }))).toEqual([
        product('product.updated', id, { barcodes: [EAN_B] }),
      ]);

      await expectNoEvents(t, 404, () => patch({ price: 1, taxCategoryId: randomUUID() }));
      await expectNoEvents(t, 400, () => patch({ price: 1, barcodes: [{ code: BAD_EAN }] }));
      await expectNoEvents(t, 404, () =>
        call(t, 'owner', 'PATCH', `/products/${randomUUID()}`, { price: 1 }),
      );
      expect((await outbox(t)).map((e) => e.type)).toEqual([
        'product.created',
        'product.updated',
        'product.updated',
        'product.price_changed',
        'product.updated',
        'product.updated',
      ]);
    });

    it('writes product.updated when a barcode is added or removed, naming the codes before and after', async () => {
      const { t, taxCategoryId } = await setup();
      const created = await call(
        t,
        'owner',
        'POST',
        '/products',
        body(taxCategoryId, { barcodes: [{ code: EAN_B }] }),
      );
      const id = created.json().id as string;
      const other = await call(
        t,
        'owner',
        'POST',
        '/products',
        body(taxCategoryId, { barcodes: [{ code: EAN_A }] }),
      );
      expect(other.statusCode).toBe(201);

      expect(
        await eventsOf(t, () => call(t, 'owner', 'POST', `/products/${id}/barcodes`, { code: EAN8 })),
      ).toEqual([product('product.updated', id, { barcodes: [EAN_B, EAN8] })]);
      // The removed code is named: a cache keyed by it must drop it.
      expect(
        await eventsOf(t, () => call(t, 'owner', 'DELETE', `/products/${id}/barcodes/${EAN_B}`)),
      ).toEqual([product('product.updated', id, { barcodes: [EAN_B, EAN8] })]);

      await expectNoEvents(t, 404, () => call(t, 'owner', 'DELETE', `/products/${id}/barcodes/${EAN_B}`));
      await expectNoEvents(t, 409, () =>
        call(t, 'owner', 'POST', `/products/${id}/barcodes`, { code: EAN_A }),
      );
      await expectNoEvents(t, 400, () =>
        call(t, 'owner', 'POST', `/products/${id}/barcodes`, { code: BAD_EAN }),
      );
    });

    it('writes product.updated when a product is deactivated, and nothing when it already was', async () => {
      const { t, taxCategoryId } = await setup();
      const created = await call(
        t,
        'owner',
        'POST',
        '/products',
        body(taxCategoryId, { barcodes: [{ code: UPC }] }),
      );
      const id = created.json().id as string;

      expect(await eventsOf(t, () => call(t, 'owner', 'DELETE', `/products/${id}`))).toEqual([
        product('product.updated', id, { barcodes: [UPC] }),
      ]);
      await expectNoEvents(t, 200, () => call(t, 'owner', 'DELETE', `/products/${id}`));
      await expectNoEvents(t, 404, () => call(t, 'owner', 'DELETE', `/products/${randomUUID()}`));
      const reactivated = await call(t, 'owner', 'PATCH', `/products/${id}`, { active: true });
      expect(reactivated.statusCode).toBe(200);
      // A cashier may not deactivate: refused, nothing written.
      await expectNoEvents(t, 403, () => call(t, 'cashier', 'DELETE', `/products/${id}`));
    });
  });

  describe('stock', () => {
    async function setup() {
      const t = await createTenant(api.app);
      const [each, kg] = (await createProducts(api.app, t.tenantId, [{ unit: 'each' }, { unit: 'kg' }])) as [
        string,
        string,
      ];
      return { t, each, kg, a: t.storeIds[0], b: t.storeIds[1] };
    }

    it('writes stock.changed for an adjustment with the movements’ signed quantities; a refused one writes nothing', async () => {
      const { t, each, kg, a } = await setup();
      const adjusted = await call(t, 'owner', 'POST', `/stores/${a}/stock/adjustments`, {
        reasonCode: 'received',
        lines: [
          { productId: each, quantity: 12_000 },
          { productId: kg, quantity: 2_500 },
        ],
      });
      expect(adjusted.statusCode).toBe(201);
      const id = adjusted.json().id as string;
      expect(await outbox(t)).toEqual([
        stock(a, {
          reason: 'adjustment',
          referenceId: id,
          changes: [
            { productId: each, quantity: 12_000 },
            { productId: kg, quantity: 2_500 },
          ],
        }),
      ]);

      const out = await call(t, 'owner', 'POST', `/stores/${a}/stock/adjustments`, {
        reasonCode: 'damaged',
        lines: [{ productId: each, quantity: -2_000 }],
      });
      expect(out.statusCode).toBe(201);
      expect((await outbox(t)).slice(1)).toEqual([
        stock(a, {
          reason: 'adjustment',
          referenceId: out.json().id,
          changes: [{ productId: each, quantity: -2_000 }],
        }),
      ]);

      await setOversellPolicy(api.app, t.tenantId, a, 'refuse');
      // 10 on hand: taking 11 would go below zero in a 'refuse' store.
      await expectNoEvents(t, 409, () =>
        call(t, 'owner', 'POST', `/stores/${a}/stock/adjustments`, {
          reasonCode: 'correction',
          lines: [
            { productId: kg, quantity: 1_000 },
            { productId: each, quantity: -11_000 },
          ],
        }),
      );
      await expectNoEvents(t, 404, () =>
        call(t, 'owner', 'POST', `/stores/${a}/stock/adjustments`, {
          reasonCode: 'received',
          lines: [{ productId: randomUUID(), quantity: 1_000 }],
        }),
      );
      await expectNoEvents(t, 400, () =>
        call(t, 'owner', 'POST', `/stores/${a}/stock/adjustments`, {
          reasonCode: 'received',
          lines: [{ productId: each, quantity: 1_500 }],
        }),
      );
    });

    it('writes stock.changed for a transfer: the source’s stock out when sent, the destination’s in when received', async () => {
      const { t, each, kg, a, b } = await setup();
      await call(t, 'owner', 'POST', `/stores/${a}/stock/adjustments`, {
        reasonCode: 'received',
        lines: [
          { productId: each, quantity: 10_000 },
          { productId: kg, quantity: 10_000 },
        ],
      });
      await setOversellPolicy(api.app, t.tenantId, a, 'refuse');
      await expectNoEvents(t, 409, () =>
        call(t, 'owner', 'POST', '/transfers', {
          fromStoreId: a,
          toStoreId: b,
          lines: [{ productId: each, quantity: 11_000 }],
        }),
      );

      const lines = [
        { productId: each, quantity: 4_000 },
        { productId: kg, quantity: 1_250 },
      ];
      let transferId = '';
      expect(
        await eventsOf(t, async () => {
          const sent = await call(t, 'owner', 'POST', '/transfers', { fromStoreId: a, toStoreId: b, lines });
          expect(sent.statusCode).toBe(201);
          transferId = sent.json().id as string;
        }),
      ).toEqual([
        stock(a, {
          reason: 'transfer',
          referenceId: transferId,
          changes: [
            { productId: each, quantity: -4_000 },
            { productId: kg, quantity: -1_250 },
          ],
        }),
      ]);

      const received = await eventsOf(t, async () => {
        const res = await call(t, 'owner', 'POST', `/transfers/${transferId}/receive`);
        expect(res.statusCode).toBe(200);
      });
      expect(sortedChanges(received)).toEqual(
        sortedChanges([stock(b, { reason: 'transfer', referenceId: transferId, changes: lines })]),
      );

      await expectNoEvents(t, 409, () => call(t, 'owner', 'POST', `/transfers/${transferId}/receive`));
      await expectNoEvents(t, 404, () => call(t, 'owner', 'POST', `/transfers/${randomUUID()}/receive`));
    });

    it('writes stock.changed for a completed count, with only the products whose level moved', async () => {
      const { t, each, kg, a } = await setup();
      const [third] = (await createProducts(api.app, t.tenantId, [{ unit: 'each' }])) as [string];
      await call(t, 'owner', 'POST', `/stores/${a}/stock/adjustments`, {
        reasonCode: 'received',
        lines: [
          { productId: each, quantity: 10_000 },
          { productId: kg, quantity: 5_000 },
        ],
      });
      const count = (await call(t, 'owner', 'POST', `/stores/${a}/counts`, {})).json();
      const recorded = await call(t, 'owner', 'PUT', `/counts/${count.id}/lines`, {
        lines: [
          { productId: each, counted: 7_000 },
          { productId: kg, counted: 5_000 },
          { productId: third, counted: 2_000 },
        ],
      });
      expect(recorded.statusCode).toBe(200);
      // Recording counts moves no stock.
      expect(await outbox(t)).toHaveLength(1);

      const events = await eventsOf(t, async () => {
        const completed = await call(t, 'owner', 'POST', `/counts/${count.id}/complete`);
        expect(completed.statusCode).toBe(200);
      });
      // The kg line counted what was on hand: it is left out.
      expect(sortedChanges(events)).toEqual(
        sortedChanges([
          stock(a, {
            reason: 'count',
            referenceId: count.id,
            changes: [
              { productId: each, quantity: -3_000 },
              { productId: third, quantity: 2_000 },
            ],
          }),
        ]),
      );

      await expectNoEvents(t, 409, () => call(t, 'owner', 'POST', `/counts/${count.id}/complete`));

      // A count that matches the shelf changes nothing: no event.
      const matching = (await call(t, 'owner', 'POST', `/stores/${a}/counts`, { productIds: [kg] })).json();
      await call(t, 'owner', 'PUT', `/counts/${matching.id}/lines`, {
        lines: [{ productId: kg, counted: 5_000 }],
      });
      await expectNoEvents(t, 200, () => call(t, 'owner', 'POST', `/counts/${matching.id}/complete`));
    });
  });

  describe('cash sessions', () => {
    it('writes session.opened and session.closed; a refused open or close writes nothing', async () => {
      const t = await createTenant(api.app);
      const [register] = t.registerIds;
      const [store] = t.storeIds;
      const session = (type: string, sessionId: string): OutboxEvent => ({
        type,
        aggregateType: 'cash_session',
        aggregateId: sessionId,
        payload: { sessionId, storeId: store, registerId: register },
      });

      await expectNoEvents(t, 404, () =>
        call(t, 'owner', 'POST', `/registers/${randomUUID()}/cash-sessions`, { openingFloat: 10_000 }),
      );
      const opened = await call(t, 'owner', 'POST', `/registers/${register}/cash-sessions`, {
        openingFloat: 10_000,
      });
      expect(opened.statusCode, opened.body).toBe(201);
      const id = opened.json().id as string;
      expect(await outbox(t)).toEqual([session('session.opened', id)]);

      await expectNoEvents(t, 409, () =>
        call(t, 'owner', 'POST', `/registers/${register}/cash-sessions`, { openingFloat: 10_000 }),
      );
      await expectNoEvents(t, 400, () =>
        call(t, 'owner', 'POST', `/cash-sessions/${id}/close`, {
          countedTotal: 1,
          denominations: [{ value: 5000, count: 2 }],
        }),
      );

      const closed = await call(t, 'owner', 'POST', `/cash-sessions/${id}/close`, { countedTotal: 10_000 });
      expect(closed.statusCode, closed.body).toBe(200);
      expect(await outbox(t)).toEqual([session('session.opened', id), session('session.closed', id)]);

      await expectNoEvents(t, 409, () =>
        call(t, 'owner', 'POST', `/cash-sessions/${id}/close`, { countedTotal: 10_000 }),
      );
    });
  });
});
