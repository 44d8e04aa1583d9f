import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../db/database.js';
import { postSale, saleOf, sellingTenant } from '../sales/sales.test-fixtures.js';
import { checkedInject } from '../test/contract-check.js';
import { createTestApp } from '../test/test-app.js';

describe('X and Z reports', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(() => app.close());

  it('X shows the shift so far; the close takes a numbered Z with the same figures and the count', async () => {
    const t = await sellingTenant(app);
    const send = (method: 'GET' | 'POST', url: string, payload?: object, headers = t.owner.headers) =>
      checkedInject(app, { method, url, headers, ...(payload ? { payload } : {}) });
    await app
      .get(Database)
      .tenant({ tenantId: t.tenantId }, (tx) =>
        tx
          .insertInto('payment_methods')
          .values({ tenant_id: t.tenantId, id: randomUUID(), code: 'voucher', name: 'Voucher' })
          .execute(),
      );
    const [a, b] = t.productIds;
    // 1: 2 × 10.00 cash (50.00 given); 2: 10.00 card; 3: 10.00 half voucher, half cash; 4: voided.
    const s1 = saleOf(t, [{ productId: a!, quantity: 2000 }], { payments: [{ kind: 'cash', amount: 5000 }] });
    const s2 = saleOf(t, [{ productId: b! }], {
      payments: [{ kind: 'card', amount: 1000, reference: 'T-1' }],
    });
    const s3 = saleOf(t, [{ productId: b! }], {
      payments: [
        { kind: 'other', methodCode: 'voucher', amount: 500 },
        { kind: 'cash', amount: 500 },
      ],
    });
    const s4 = saleOf(t, [{ productId: a! }]);
    for (const s of [s1, s2, s3, s4])
      expect((await postSale(app, t.cashier.headers, s)).statusCode).toBe(201);
    const voided = await send('POST', `/sales/${s4.id}/void`, { id: randomUUID(), reason: 'wrong item' });
    expect(voided.statusCode, voided.body).toBe(201);
    const refunded = await send('POST', `/sales/${s1.id}/refunds`, {
      id: randomUUID(),
      registerId: t.registerIds[0],
      reason: 'changed mind',
      lines: [{ lineNo: 1, quantity: 1000, restock: true }],
      payments: [{ kind: 'cash', amount: 1001 }],
    });
    expect(refunded.statusCode, refunded.body).toBe(201);
    expect(
      (
        await send('POST', `/cash-sessions/${t.sessionId}/movements`, {
          kind: 'cash_out',
          amount: 300,
          reasonCode: 'paid_out',
          note: 'milk',
        })
      ).statusCode,
    ).toBe(201);

    const x = await send('GET', `/cash-sessions/${t.sessionId}/x-report`, undefined, t.cashier.headers);
    expect(x.statusCode, x.body).toBe(200);
    const expected = {
      kind: 'X',
      number: null,
      cashSessionId: t.sessionId,
      closedAt: null,
      currency: 'EUR',
      sales: { count: 3, extended: 4000, discount: 0, net: 3333, tax: 667, gross: 4000, cashRounding: 0 },
      salesByTender: [
        { kind: 'card', methodCode: null, count: 1, amount: 1000 },
        { kind: 'cash', methodCode: null, count: 2, amount: 2500 },
        { kind: 'other', methodCode: 'voucher', count: 1, amount: 500 },
      ],
      taxes: [{ code: 'VAT20', ratePpm: 200_000, taxableNet: 3333, tax: 667 }],
      refunds: { count: 1, gross: 1001, paid: 1001 },
      refundsByTender: [{ kind: 'cash', methodCode: null, count: 1, amount: 1001 }],
      refundTaxes: [{ code: 'VAT20', ratePpm: 200_000 }],
      voids: { count: 1, gross: 1000 },
      cashMovements: {
        cashIn: 0,
        cashOut: 300,
        byReason: [{ kind: 'cash_out', reasonCode: 'paid_out', count: 1, amount: 300 }],
      },
      // 100.00 float + 25.00 cash sales − 10.01 cash refund (half of the line's 16.67 net and 3.33 tax, each
      // rounded) − 3.00 paid out
      cash: {
        openingFloat: 10_000,
        sales: 2500,
        refunds: 1001,
        cashIn: 0,
        cashOut: 300,
        expected: 11_199,
        counted: null,
        overShort: null,
      },
    };
    expect(x.json()).toMatchObject(expected);
    // Nothing is stored for an X, and there is no Z while the session is open.
    expect((await send('GET', `/cash-sessions/${t.sessionId}/z-report`)).statusCode).toBe(404);

    const closed = await send('POST', `/cash-sessions/${t.sessionId}/close`, { countedTotal: 11_150 });
    expect(closed.statusCode, closed.body).toBe(200);
    const z = await send('GET', `/cash-sessions/${t.sessionId}/z-report`);
    expect(z.statusCode, z.body).toBe(200);
    expect(z.json()).toMatchObject({
      ...expected,
      kind: 'Z',
      number: 1,
      closedAt: closed.json().closedAt,
      cash: { ...expected.cash, counted: 11_150, overShort: -49 },
    });
    // Read again later, the Z is what was stored, not recomputed.
    expect((await send('GET', `/cash-sessions/${t.sessionId}/z-report`)).body).toBe(z.body);

    // The next session of the register closes with Z number 2; the list is newest first.
    const next = await send('POST', `/registers/${t.registerIds[0]}/cash-sessions`, { openingFloat: 0 });
    await send('POST', `/cash-sessions/${next.json().id}/close`, { countedTotal: 0 });
    const list = await send('GET', `/registers/${t.registerIds[0]}/z-reports?limit=1`);
    expect(list.json().items.map((r: { number: number }) => r.number)).toEqual([2]);
    const rest = await send(
      'GET',
      `/registers/${t.registerIds[0]}/z-reports?limit=1&cursor=${list.json().nextCursor}`,
    );
    expect(rest.json()).toMatchObject({ items: [{ number: 1 }], nextCursor: null });
  });

  it('a register session reads the reports of its own register only', async () => {
    const t = await sellingTenant(app);
    const other = await checkedInject(app, {
      method: 'GET',
      url: `/registers/${t.registerIds[1]}/z-reports`,
      headers: t.owner.headers,
    });
    expect(other.statusCode).toBe(200);
    const missing = await checkedInject(app, {
      method: 'GET',
      url: `/cash-sessions/${randomUUID()}/x-report`,
      headers: t.owner.headers,
    });
    expect(missing.statusCode).toBe(404);
  });
});
