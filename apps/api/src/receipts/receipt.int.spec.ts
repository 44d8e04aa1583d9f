import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../db/database.js';
import {
  moreRegisters,
  postSale,
  saleOf,
  sellingTenant,
  type SellingTenant,
} from '../sales/sales.test-fixtures.js';
import { checkedInject } from '../test/contract-check.js';
import { createTestApp } from '../test/test-app.js';

describe('GET /sales/{id}/receipt', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(() => app.close());

  const receipt = (headers: Record<string, string>, saleId: string, query = '') =>
    checkedInject(app, { method: 'GET', url: `/sales/${saleId}/receipt${query}`, headers });

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

  /** 3 × Product 1 at 10.00 less 0.68: 29.32 due; 10.00 card, 5.00 voucher, 20.00 cash (14.30 after rounding). */
  async function splitSale(t: SellingTenant): Promise<string> {
    const body = saleOf(t, [], {
      lines: [{ productId: t.productIds[0]!, quantity: 3000, discount: { kind: 'amount', amount: 68 } }],
      payments: [
        { kind: 'card', amount: 1000, reference: 'T-1', approvalCode: 'A1' },
        { kind: 'other', amount: 500, methodCode: 'voucher' },
        { kind: 'cash', amount: 2000 },
      ],
    });
    const res = await postSale(app, t.owner.headers, body);
    expect(res.statusCode, res.body).toBe(201);
    return body.id;
  }

  const copies = (text: string) =>
    text
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line.includes('(REPRINT)'));

  it('prints the recorded sale as text: header, lines, totals, tax rows, tenders, rounding, change, never re-priced', async () => {
    const t = await shop();
    const id = await splitSale(t);
    // The catalog changes after the sale: the receipt still prints the sale as sold.
    await app
      .get(Database)
      .tenant({ tenantId: t.tenantId }, (tx) =>
        tx
          .updateTable('products')
          .set({ name: 'Renamed', price: 99_900 })
          .where('id', '=', t.productIds[0]!)
          .execute(),
      );
    const res = await receipt(t.cashier.headers, id);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    // Columns apart by ' | ', and Intl's no-break spaces as spaces.
    const lines = res.body.split('\n').map((line) =>
      line
        .trim()
        .replace(/ {2,}/g, ' | ')
        .replace(/[\u00a0\u202f]/g, ' '),
    );
    for (const expected of [
      'Corner Shop',
      'Bahnhofstrasse 1',
      '8001 Zürich',
      'Receipt | S1-01-000001',
      'Register | Till 1',
      'Cashier | owner',
      'Product 1 | CHF 29.32',
      '3 x CHF 10.00',
      'SKU SKU-1',
      'Discount | -CHF 0.68',
      'Subtotal | CHF 29.32',
      'Net | CHF 24.43',
      'Tax | CHF 4.89',
      'Total | CHF 29.32',
      'VAT20 20% | CHF 4.89',
      'Net CHF 24.43, Gross CHF 29.32',
      'Card | CHF 10.00',
      'Gift voucher | CHF 5.00',
      'Cash | CHF 20.00',
      'Rounding | -CHF 0.02',
      'Change | CHF 5.70',
    ]) {
      expect(lines, `${expected}\n${res.body}`).toContain(expected);
    }
    expect(res.body).not.toContain('Renamed');
    expect(res.body).not.toContain('999.00');
    // In the store's time zone (Zurich is ahead of UTC), not the server's.
    const { createdAt } = (
      await checkedInject(app, { method: 'GET', url: `/sales/${id}`, headers: t.owner.headers })
    ).json();
    const local = new Intl.DateTimeFormat('en-US', {
      timeZone: 'Europe/Zurich',
      hour: '2-digit',
      minute: '2-digit',
    }).format(new Date(createdAt));
    expect(lines.find((line) => line.startsWith('Date |'))).toContain(local);
    expect(copies(res.body)).toEqual([]);
    // 80 mm paper by default, 58 mm on request.
    expect(Math.max(...res.body.split('\n').map((line) => line.length))).toBe(48);
    const narrow = await receipt(t.cashier.headers, id, '?paper=58mm');
    expect(Math.max(...narrow.body.split('\n').map((line) => line.length))).toBe(32);
  });

  it('serves ESC/POS as bytes: initialise first, the receipt text and the receipt number inside', async () => {
    const t = await shop();
    const id = await splitSale(t);
    const res = await receipt(t.cashier.headers, id, '?format=escpos');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/octet-stream');
    const bytes = res.rawPayload;
    expect([...bytes.subarray(0, 2)]).toEqual([0x1b, 0x40]);
    const printed = bytes.toString('latin1');
    for (const text of ['Corner Shop', 'S1-01-000001', 'Product 1', 'Change', 'Gift voucher']) {
      expect(printed).toContain(text);
    }
    // The code page (windows-1252) prints the store's ü as one byte.
    expect(bytes.includes(Buffer.from('8001 Z\xfcrich', 'latin1'))).toBe(true);
  });

  it('serves HTML with the product names escaped', async () => {
    const t = await shop();
    const productId = randomUUID();
    await app.get(Database).tenant({ tenantId: t.tenantId }, async (tx) => {
      const { tax_category_id } = await tx
        .selectFrom('products')
        .select('tax_category_id')
        .where('id', '=', t.productIds[0]!)
        .executeTakeFirstOrThrow();
      await tx
        .insertInto('products')
        .values({
          tenant_id: t.tenantId,
          id: productId,
          sku: 'XSS-1',
          name: '<script>alert(1)</script>',
          price: 1000,
          cost: 0,
          tax_category_id,
        })
        .execute();
    });
    const body = saleOf(t, [{ productId }]);
    expect((await postSale(app, t.cashier.headers, body)).statusCode).toBe(201);
    const res = await receipt(t.cashier.headers, body.id, '?format=html');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(res.body).not.toContain('<script>');
    expect(res.body).toContain('Corner Shop');
  });

  it('marks every print after the first as a copy, whatever the format', async () => {
    const t = await shop();
    const id = await splitSale(t);
    expect(copies((await receipt(t.cashier.headers, id)).body)).toEqual([]);
    expect((await receipt(t.cashier.headers, id, '?format=escpos')).rawPayload.toString('latin1')).toContain(
      'COPY 1 (REPRINT)',
    );
    expect(copies((await receipt(t.manager.headers, id)).body)).toEqual(['COPY 2 (REPRINT)']);
    expect((await receipt(t.owner.headers, id, '?format=html')).body).toContain('COPY 3 (REPRINT)');
  });

  it('does not count a HEAD request as a print', async () => {
    const t = await shop();
    const id = await splitSale(t);
    const head = await app.inject({
      method: 'HEAD',
      url: `/sales/${id}/receipt`,
      headers: t.cashier.headers,
    });
    expect(head.statusCode).toBe(200);
    expect(head.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(copies((await receipt(t.cashier.headers, id)).body)).toEqual([]);
  });

  it('counts concurrent prints one after another: exactly one is the original', async () => {
    const t = await shop();
    const id = await splitSale(t);
    const results = await Promise.all(Array.from({ length: 8 }, () => receipt(t.cashier.headers, id)));
    expect(results.map((r) => r.statusCode)).toEqual(Array(8).fill(200));
    const marks = results.map((r) => copies(r.body)[0] ?? 'original').sort();
    expect(marks).toEqual([
      'COPY 1 (REPRINT)',
      'COPY 2 (REPRINT)',
      'COPY 3 (REPRINT)',
      'COPY 4 (REPRINT)',
      'COPY 5 (REPRINT)',
      'COPY 6 (REPRINT)',
      'COPY 7 (REPRINT)',
      'original',
    ]);
  });

  it('numbers receipts apart across registers, and a reprint keeps the number first printed', async () => {
    const t = await shop();
    const [second] = await moreRegisters(app, t, 1);
    const first = saleOf(t, [{ productId: t.productIds[0]! }]);
    const other = saleOf(t, [{ productId: t.productIds[0]! }], { registerId: second! });
    for (const body of [first, other])
      expect((await postSale(app, t.cashier.headers, body)).statusCode).toBe(201);
    const numberOf = async (id: string) =>
      (await receipt(t.cashier.headers, id)).body.split('\n').find((line) => line.startsWith('Receipt'));
    expect(await numberOf(first.id)).toMatch(/ S1-01-000001$/);
    expect(await numberOf(other.id)).toMatch(/ S1-02-000001$/);
    // The store's code changes: the reprint shows the number as first printed; a first print the new code.
    await app
      .get(Database)
      .tenant({ tenantId: t.tenantId }, (tx) =>
        tx.updateTable('stores').set({ code: 'ZRH' }).where('id', '=', t.storeIds[0]).execute(),
      );
    expect(await numberOf(first.id)).toMatch(/ S1-01-000001$/);
    const later = saleOf(t, [{ productId: t.productIds[0]! }]);
    expect((await postSale(app, t.cashier.headers, later)).statusCode).toBe(201);
    expect(await numberOf(later.id)).toMatch(/ ZRH-01-000002$/);
  });

  it('says VOID on the receipt of a voided sale', async () => {
    const t = await shop();
    const id = await splitSale(t);
    const voided = await checkedInject(app, {
      method: 'POST',
      url: `/sales/${id}/void`,
      headers: t.owner.headers,
      payload: { id: randomUUID(), reason: 'wrong product' },
    });
    expect(voided.statusCode, voided.body).toBe(201);
    const res = await receipt(t.cashier.headers, id);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.body).toContain('*** VOID ***');
    expect((await receipt(t.cashier.headers, id, '?format=html')).body).toContain('VOID');
  });

  it("refuses another store's sale to a seller of one store (403), hides another tenant's and unknown ids (404)", async () => {
    const t = await shop();
    const opened = await checkedInject(app, {
      method: 'POST',
      url: `/registers/${t.registerIds[1]}/cash-sessions`,
      headers: t.owner.headers,
      payload: { openingFloat: 0 },
    });
    expect(opened.statusCode, opened.body).toBe(201);
    const elsewhere = saleOf(t, [{ productId: t.productIds[0]! }], { registerId: t.registerIds[1] });
    expect((await postSale(app, t.owner.headers, elsewhere)).statusCode).toBe(201);
    const res = await receipt(t.cashier.headers, elsewhere.id);
    expect(res.statusCode, res.body).toBe(403);
    expect((await receipt(t.owner.headers, elsewhere.id)).statusCode).toBe(200);

    const other = await shop();
    const theirs = await splitSale(other);
    expect((await receipt(t.owner.headers, theirs)).statusCode).toBe(404);
    expect((await receipt(t.owner.headers, randomUUID())).statusCode).toBe(404);
    // None of these counted as a print: the other tenant's first print is still the original.
    expect(copies((await receipt(other.cashier.headers, theirs)).body)).toEqual([]);
  });

  it('answers a bad format or paper with a 400 naming it, and records no print', async () => {
    const t = await shop();
    const id = await splitSale(t);
    for (const [query, field] of [
      ['?format=pdf', 'format'],
      ['?paper=110mm', 'paper'],
    ] as const) {
      const res = await receipt(t.cashier.headers, id, query);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error.fields[field], res.body).toBeDefined();
    }
    expect(copies((await receipt(t.cashier.headers, id)).body)).toEqual([]);
  });
});
