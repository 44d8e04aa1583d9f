import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../db/database.js';
import { postReceiptlessRefund, postRefund } from '../refunds/refund.test-fixtures.js';
import { postSale, saleOf, sellingTenant, type SellingTenant } from '../sales/sales.test-fixtures.js';
import { receiptEndpoints } from '@zakpos/contracts';
import { checkedInject, contractClient } from '../test/contract-check.js';
import { createTestApp } from '../test/test-app.js';

describe('GET /refunds/{id}/receipt and GET /cash-sessions/{id}/z-report/receipt', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(() => app.close());

  const get = (headers: Record<string, string>, url: string) =>
    checkedInject(app, { method: 'GET', url, headers });
  const refundReceipt = (headers: Record<string, string>, id: string, query = '') =>
    get(headers, `/refunds/${id}/receipt${query}`);
  const zReceipt = (headers: Record<string, string>, sessionId: string, query = '') =>
    get(headers, `/cash-sessions/${sessionId}/z-report/receipt${query}`);

  /** Columns apart by ' | ', Intl's no-break spaces as spaces. */
  const linesOf = (body: string) =>
    body.split('\n').map((line) =>
      line
        .trim()
        .replace(/ {2,}/g, ' | ')
        .replace(/[\u00a0\u202f]/g, ' '),
    );
  const copies = (body: string) => linesOf(body).filter((line) => line.includes('(REPRINT)'));

  /** CHF, cash rounded to 0.05; a voucher method; store 1 with an address. */
  async function shop(): Promise<SellingTenant> {
    const t = await sellingTenant(app, { currency: 'CHF', cashIncrement: 5 });
    await app.get(Database).tenant({ tenantId: t.tenantId }, async (tx) => {
      await tx
        .insertInto('payment_methods')
        .values({ tenant_id: t.tenantId, id: randomUUID(), code: 'voucher', name: 'Gift voucher' })
        .execute();
      await tx
        .updateTable('stores')
        .set({ name: 'Corner Shop', address: 'Bahnhofstrasse 1\n8001 Zürich', time_zone: 'Europe/Zurich' })
        .where('id', '=', t.storeIds[0])
        .execute();
    });
    return t;
  }

  /** Receipt 1: 3 × Product 1 at 10.00 less 0.68 (29.32), 10.00 card, 20.00 cash. */
  async function sale(t: SellingTenant): Promise<string> {
    const body = saleOf(t, [], {
      lines: [{ productId: t.productIds[0]!, quantity: 3000, discount: { kind: 'amount', amount: 68 } }],
      payments: [
        { kind: 'card', amount: 1000, reference: 'T-1', approvalCode: 'A1' },
        { kind: 'cash', amount: 2000 },
      ],
    });
    const res = await postSale(app, t.owner.headers, body);
    expect(res.statusCode, res.body).toBe(201);
    return body.id;
  }

  /** Receipt 2: one unit back (10.00 less its 0.23 share of the discount: 9.77), in cash rounded to 9.75. */
  async function refund(t: SellingTenant, saleId: string): Promise<string> {
    const id = randomUUID();
    const res = await postRefund(app, t.owner.headers, saleId, {
      id,
      registerId: t.registerIds[0],
      reason: 'changed mind',
      lines: [{ lineNo: 1, quantity: 1000, restock: true }],
      payments: [{ kind: 'cash', amount: 975 }],
    });
    expect(res.statusCode, res.body).toBe(201);
    return id;
  }

  it('prints the recorded refund as text: REFUND, its own number, the sale it refunds, lines, tax and cash back with rounding', async () => {
    const t = await shop();
    const id = await refund(t, await sale(t));
    const res = await refundReceipt(t.cashier.headers, id);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    const lines = linesOf(res.body);
    for (const expected of [
      '*** REFUND ***',
      'Corner Shop',
      '8001 Zürich',
      'Receipt | S1-01-000002',
      'Original receipt | S1-01-000001',
      'Register | Till 1',
      'Cashier | owner',
      'Product 1 | CHF 9.77',
      'Discount | -CHF 0.23',
      'Total | CHF 9.77',
      'VAT20 20% | CHF 1.63',
      'Net CHF 8.14, Gross CHF 9.77',
      'Cash | CHF 9.75',
      'Rounding | -CHF 0.02',
      'Reason: changed mind',
    ]) {
      expect(lines, `${expected}\n${res.body}`).toContain(expected);
    }
    expect(copies(res.body)).toEqual([]);
    expect(Math.max(...res.body.split('\n').map((line) => line.length))).toBe(48);
    const narrow = await refundReceipt(t.cashier.headers, id, '?paper=58mm');
    expect(Math.max(...narrow.body.split('\n').map((line) => line.length))).toBe(32);
  });

  it('serves a refund as ESC/POS bytes and as HTML', async () => {
    const t = await shop();
    const id = await refund(t, await sale(t));
    const escpos = await refundReceipt(t.cashier.headers, id, '?format=escpos');
    expect(escpos.statusCode, escpos.body).toBe(200);
    expect(escpos.headers['content-type']).toBe('application/octet-stream');
    const bytes = escpos.rawPayload;
    expect([...bytes.subarray(0, 2)]).toEqual([0x1b, 0x40]);
    const printed = bytes.toString('latin1');
    for (const text of [' REFUND ', 'S1-01-000002', 'S1-01-000001', 'Product 1', 'Rounding']) {
      expect(printed).toContain(text);
    }
    expect(bytes.includes(Buffer.from('8001 Z\xfcrich', 'latin1'))).toBe(true);
    // The typed client hands the same bytes back, not text.
    const viaClient = await contractClient(app, t.cashier)(receiptEndpoints.refundReceipt, {
      params: { id },
      query: { format: 'escpos' },
    });
    expect(viaClient).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(viaClient as Uint8Array).subarray(0, 200)).toEqual(bytes.subarray(0, 200));

    const html = await refundReceipt(t.cashier.headers, id, '?format=html');
    expect(html.statusCode, html.body).toBe(200);
    expect(html.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(html.body).toContain('REFUND');
    expect(html.body).toContain('S1-01-000001');
    expect(html.body).toContain('COPY 2 (REPRINT)');
  });

  it('prints a refund without a receipt with no original receipt line', async () => {
    const t = await shop();
    const id = randomUUID();
    const res = await postReceiptlessRefund(app, t.owner.headers, {
      id,
      registerId: t.registerIds[0],
      reason: 'no receipt',
      lines: [{ productId: t.productIds[1]!, quantity: 1000, restock: false }],
      payments: [{ kind: 'other', methodCode: 'voucher', amount: 1000 }],
    });
    expect(res.statusCode, res.body).toBe(201);
    for (const format of ['text', 'html'] as const) {
      const printed = await refundReceipt(t.manager.headers, id, `?format=${format}`);
      expect(printed.statusCode, printed.body).toBe(200);
      expect(printed.body).toContain('REFUND');
      expect(printed.body).not.toContain('Original receipt');
    }
    const lines = linesOf((await refundReceipt(t.manager.headers, id)).body);
    expect(lines).toContain('Receipt | S1-01-000001');
    expect(lines).toContain('Product 2 | CHF 10.00');
    expect(lines).toContain('Gift voucher | CHF 10.00');
    const escpos = await refundReceipt(t.manager.headers, id, '?format=escpos');
    expect(escpos.headers['content-type']).toBe('application/octet-stream');
    expect(escpos.rawPayload.toString('latin1')).not.toContain('Original receipt');
  });

  it('counts refund prints like sales: every print after the first is a copy, HEAD is none', async () => {
    const t = await shop();
    const saleId = await sale(t);
    const id = await refund(t, saleId);
    // The sale's own prints are counted apart.
    expect(copies((await get(t.cashier.headers, `/sales/${saleId}/receipt`)).body)).toEqual([]);
    const head = await app.inject({
      method: 'HEAD',
      url: `/refunds/${id}/receipt`,
      headers: t.cashier.headers,
    });
    expect(head.statusCode).toBe(200);
    expect(copies((await refundReceipt(t.cashier.headers, id)).body)).toEqual([]);
    expect(copies((await refundReceipt(t.cashier.headers, id)).body)).toEqual(['COPY 1 (REPRINT)']);
    expect(
      (await refundReceipt(t.owner.headers, id, '?format=escpos')).rawPayload.toString('latin1'),
    ).toContain('COPY 2 (REPRINT)');
    const concurrent = await Promise.all(
      Array.from({ length: 4 }, () => refundReceipt(t.cashier.headers, id)),
    );
    expect(concurrent.map((r) => copies(r.body)[0]).sort()).toEqual([
      'COPY 3 (REPRINT)',
      'COPY 4 (REPRINT)',
      'COPY 5 (REPRINT)',
      'COPY 6 (REPRINT)',
    ]);
  });

  it("names the sale's receipt as first printed, and keeps the refund's number across a store code change", async () => {
    const t = await shop();
    const saleId = await sale(t);
    expect((await get(t.cashier.headers, `/sales/${saleId}/receipt`)).statusCode).toBe(200);
    const id = await refund(t, saleId);
    await app
      .get(Database)
      .tenant({ tenantId: t.tenantId }, (tx) =>
        tx.updateTable('stores').set({ code: 'ZRH' }).where('id', '=', t.storeIds[0]).execute(),
      );
    const lines = linesOf((await refundReceipt(t.cashier.headers, id)).body);
    expect(lines).toContain('Original receipt | S1-01-000001');
    expect(lines).toContain('Receipt | ZRH-01-000002');
    const reprint = linesOf((await refundReceipt(t.cashier.headers, id)).body);
    expect(reprint).toContain('Receipt | ZRH-01-000002');
  });

  it("hides another tenant's and unknown refunds (404, no print counted), and names a bad format", async () => {
    const t = await shop();
    const other = await shop();
    const theirs = await refund(other, await sale(other));
    expect((await refundReceipt(t.owner.headers, theirs)).statusCode).toBe(404);
    expect((await refundReceipt(t.owner.headers, randomUUID())).statusCode).toBe(404);
    expect(copies((await refundReceipt(other.cashier.headers, theirs)).body)).toEqual([]);
    for (const [query, field] of [
      ['?format=pdf', 'format'],
      ['?paper=110mm', 'paper'],
    ] as const) {
      const res = await refundReceipt(other.cashier.headers, theirs, query);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error.fields[field], res.body).toBeDefined();
    }
    expect(copies((await refundReceipt(other.cashier.headers, theirs)).body)).toEqual(['COPY 1 (REPRINT)']);
  });

  /** The shop's day: the sale, the refund, a paid-out of 3.00; closed counting 3.00 short of what is expected. */
  async function closedDay(t: SellingTenant): Promise<void> {
    await refund(t, await sale(t));
    const out = await checkedInject(app, {
      method: 'POST',
      url: `/cash-sessions/${t.sessionId}/movements`,
      headers: t.owner.headers,
      payload: { kind: 'cash_out', amount: 300, reasonCode: 'paid_out', note: 'milk' },
    });
    expect(out.statusCode, out.body).toBe(201);
    const x = (await get(t.owner.headers, `/cash-sessions/${t.sessionId}/x-report`)).json();
    const closed = await checkedInject(app, {
      method: 'POST',
      url: `/cash-sessions/${t.sessionId}/close`,
      headers: t.owner.headers,
      payload: { countedTotal: x.cash.expected - 300 },
    });
    expect(closed.statusCode, closed.body).toBe(200);
  }

  it('404s the Z receipt while the session is open, then prints the stored Z report as text', async () => {
    const t = await shop();
    const open = await zReceipt(t.cashier.headers, t.sessionId);
    expect(open.statusCode, open.body).toBe(404);
    await closedDay(t);
    const z = (await get(t.owner.headers, `/cash-sessions/${t.sessionId}/z-report`)).json();
    const res = await zReceipt(t.cashier.headers, t.sessionId);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    const lines = linesOf(res.body);
    const money = (units: number) => `${units < 0 ? '-' : ''}CHF ${(Math.abs(units) / 100).toFixed(2)}`;
    for (const expected of [
      '*** Z REPORT ***',
      'Corner Shop',
      'Z number | 1',
      'Register | Till 1',
      'Sales',
      'Count | 1',
      `Gross | ${money(z.sales.gross)}`,
      'Tenders',
      `Card (1) | ${money(1000)}`,
      'Taxes',
      'Refunds',
      `Paid back | ${money(975)}`,
      'Refunds by tender',
      `Cash (1) | ${money(975)}`,
      'Voids',
      'Cash movements',
      `paid_out (1) | ${money(-300)}`,
      'Cash drawer',
      `Opening float | ${money(10_000)}`,
      `Expected | ${money(z.cash.expected)}`,
      `Counted | ${money(z.cash.expected - 300)}`,
      `Over (+) / short (-) | ${money(-300)}`,
    ]) {
      expect(lines, `${expected}\n${res.body}`).toContain(expected);
    }
    expect(Math.max(...res.body.split('\n').map((line) => line.length))).toBe(48);
    const narrow = await zReceipt(t.cashier.headers, t.sessionId, '?paper=58mm');
    expect(Math.max(...narrow.body.split('\n').map((line) => line.length))).toBeLessThanOrEqual(32);
    // Printing is no copy: the Z report prints the same each time.
    expect((await zReceipt(t.cashier.headers, t.sessionId)).body).toBe(res.body);
  });

  it('serves the Z report as ESC/POS bytes and as HTML; 404 for another tenant; a bad format is a 400 naming it', async () => {
    const t = await shop();
    await closedDay(t);
    const escpos = await zReceipt(t.cashier.headers, t.sessionId, '?format=escpos');
    expect(escpos.statusCode, escpos.body).toBe(200);
    expect(escpos.headers['content-type']).toBe('application/octet-stream');
    expect([...escpos.rawPayload.subarray(0, 2)]).toEqual([0x1b, 0x40]);
    const printed = escpos.rawPayload.toString('latin1');
    for (const text of [' Z REPORT ', 'Corner Shop', 'Cash drawer', 'paid_out'])
      expect(printed).toContain(text);
    expect(escpos.rawPayload.includes(Buffer.from('8001 Z\xfcrich', 'latin1'))).toBe(true);

    const html = await zReceipt(t.cashier.headers, t.sessionId, '?format=html');
    expect(html.statusCode, html.body).toBe(200);
    expect(html.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(html.body).toContain('<title>Corner Shop Z REPORT 1</title>');
    expect(html.body).toContain('Cash drawer');

    const other = await shop();
    expect((await zReceipt(other.owner.headers, t.sessionId)).statusCode).toBe(404);
    expect((await zReceipt(t.owner.headers, randomUUID())).statusCode).toBe(404);
    const bad = await zReceipt(t.cashier.headers, t.sessionId, '?format=pdf');
    expect(bad.statusCode, bad.body).toBe(400);
    expect(bad.json().error.fields.format, bad.body).toBeDefined();
  });
});
