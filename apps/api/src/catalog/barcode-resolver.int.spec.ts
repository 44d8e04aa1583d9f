import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTenant, type TestTenant } from '../test/fixtures.js';
import { createTestApp } from '../test/test-app.js';
import { checkedInject } from '../test/contract-check.js';
import { withCheckDigit } from './barcode.js';

describe('GET /barcodes/:code', () => {
  let app: NestFastifyApplication;
  let su: pg.Client;
  beforeAll(async () => {
    app = await createTestApp();
    su = new pg.Client({ connectionString: inject('db').superuserUrl });
    await su.connect();
  });
  afterAll(async () => {
    await su.end();
    await app.close();
  });

  const scan = (t: TestTenant, code: string) =>
    checkedInject(app, {
      method: 'GET',
      url: `/barcodes/${encodeURIComponent(code)}`,
      headers: t.cashier.headers,
    });

  /** A tenant with weighted prefixes 21 (weight) and 22 (price), milk (EAN + UPC + Code 128) and bananas (PLU 12345, 2.40/kg). */
  async function setup() {
    const t = await createTenant(app);
    await su.query(
      `update tenants set weighted_barcode_prefixes = '[{"prefix":"21","kind":"weight"},{"prefix":"22","kind":"price"}]' where id = $1`,
      [t.tenantId],
    );
    const post = (url: string, payload: object) =>
      checkedInject(app, { method: 'POST', url, headers: t.owner.headers, payload });
    const tax = (
      await post('/tax-categories', { name: 'Reduced', rates: [{ name: 'VAT', rateBp: 550 }] })
    ).json().id;
    const milk = (
      await post('/products', {
        sku: 'MILK',
        name: 'Milk',
        price: 129,
        taxCategoryId: tax,
        barcodes: [{ code: '4006381333931' }, { code: '036000291452' }, { code: 'SHELF-7' }],
      })
    ).json();
    const bananas = (
      await post('/products', {
        sku: 'BAN',
        name: 'Bananas',
        price: 240,
        unit: 'kg',
        plu: '12345',
        taxCategoryId: tax,
      })
    ).json();
    return { t, milk, bananas };
  }

  it('finds a product by an exact barcode: one unit', async () => {
    const { t, milk } = await setup();
    for (const code of ['4006381333931', 'SHELF-7']) {
      const res = await scan(t, code);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ product: milk, quantity: 1000, price: null, source: 'barcode' });
    }
  });

  it('finds a UPC-A whether the scanner sends 12 or 13 digits', async () => {
    const { t, milk } = await setup();
    expect((await scan(t, '036000291452')).json().product.id).toBe(milk.id);
    expect((await scan(t, '0036000291452')).json().product.id).toBe(milk.id);
  });

  it('reads a weight label into the product and its weight in grams', async () => {
    const { t, bananas } = await setup();
    const res = await scan(t, withCheckDigit('211234501250'));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ product: bananas, quantity: 1250, price: null, source: 'weighted' });
  });

  it('reads a price label into the product, the printed price and the weight it stands for', async () => {
    const { t, bananas } = await setup();
    const res = await scan(t, withCheckDigit('221234500360')); // 3.60 at 2.40/kg
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ product: bananas, quantity: 1500, price: 360, source: 'weighted' });
  });

  it('prefers an exact barcode over a weighted reading of the same code', async () => {
    const { t, milk } = await setup();
    const code = withCheckDigit('211234501250');
    await checkedInject(app, {
      method: 'POST',
      url: `/products/${milk.id}/barcodes`,
      headers: t.owner.headers,
      payload: { code },
    });
    expect((await scan(t, code)).json()).toMatchObject({
      product: { id: milk.id },
      quantity: 1000,
      source: 'barcode',
    });
  });

  it('answers 404 for an unknown code, an unknown PLU, a prefix the tenant does not use and another tenant', async () => {
    const { t } = await setup();
    const other = await setup();
    for (const code of [
      '5901234123457',
      withCheckDigit('219999901250'),
      withCheckDigit('231234501250'),
      'NOPE',
    ]) {
      const res = await scan(t, code);
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('NOT_FOUND');
    }
    // The other tenant has the same codes; a tenant without weighted prefixes does not read labels.
    await su.query(`update tenants set weighted_barcode_prefixes = '[]' where id = $1`, [other.t.tenantId]);
    expect((await scan(other.t, withCheckDigit('211234501250'))).statusCode).toBe(404);
    expect((await scan(other.t, '4006381333931')).json().product.id).toBe(other.milk.id);
  });

  it('answers 400 naming code for a misread check digit or a code no scanner sends', async () => {
    const { t } = await setup();
    for (const code of [
      '4006381333932',
      '036000291453',
      '96385075',
      withCheckDigit('211234501250').slice(0, 12) + '0',
      'café',
      'x'.repeat(81),
    ]) {
      const res = await scan(t, code);
      expect(res.statusCode, code).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
      expect(res.json().error.fields).toHaveProperty('code');
    }
  });

  it('needs a token', async () => {
    const res = await checkedInject(app, { method: 'GET', url: '/barcodes/4006381333931' });
    expect(res.statusCode).toBe(401);
  });
});
