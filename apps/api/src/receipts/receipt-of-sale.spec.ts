import type { Sale } from '@zakpos/contracts';
import { buildReceipt } from '@zakpos/receipt';
import { describe, expect, it } from 'vitest';
import { printedReceiptNumber } from './receipt-number.js';
import { receiptOfSale, type SaleReceiptContext } from './receipt-of-sale.js';

const line = (over: Partial<Sale['lines'][number]>): Sale['lines'][number] => ({
  lineNo: 1,
  productId: 'p-each',
  name: 'Apples',
  sku: null,
  barcode: null,
  quantity: 1000,
  unitPrice: 1000,
  discount: null,
  approvedBy: null,
  extended: 1000,
  lineDiscount: 0,
  cartDiscount: 0,
  net: 833,
  tax: 167,
  gross: 1000,
  taxes: [],
  ...over,
});

const sale: Sale = {
  id: 's',
  storeId: 'st',
  registerId: 'r',
  cashSessionId: 'cs',
  receiptNumber: 7,
  cartId: null,
  customerId: null,
  cashierId: 'u',
  status: 'completed',
  currency: 'CHF',
  pricing: 'inclusive',
  discount: null,
  discountApprovedBy: null,
  note: null,
  lines: [
    line({}),
    // Sold by weight, though the product is sold each today.
    line({ lineNo: 2, productId: 'p-each', name: 'Cheese', quantity: 450, unitPrice: 2000, extended: 900 }),
    line({ lineNo: 3, productId: 'p-kg', name: 'Flour', quantity: 2000, unitPrice: 300, extended: 600 }),
  ],
  totals: {
    extended: 2500,
    lineDiscount: 0,
    cartDiscount: 100,
    discount: 100,
    net: 2000,
    tax: 400,
    gross: 2400,
    cashRounding: 0,
    paid: 2400,
    tendered: 2400,
    change: 0,
  },
  taxSummary: [{ code: 'VAT20', ratePpm: 200_000, taxableNet: 2000, tax: 400, gross: 2400 }],
  payments: [
    {
      paymentNo: 1,
      kind: 'cash',
      methodCode: null,
      amount: 1000,
      applied: 1000,
      provider: null,
      reference: null,
      approvalCode: null,
    },
    {
      paymentNo: 2,
      kind: 'other',
      methodCode: 'voucher',
      amount: 400,
      applied: 400,
      provider: null,
      reference: null,
      approvalCode: null,
    },
    {
      paymentNo: 3,
      kind: 'cash',
      methodCode: null,
      amount: 1000,
      applied: 1000,
      provider: null,
      reference: null,
      approvalCode: null,
    },
  ],
  createdAt: '2026-11-22T07:40:00.000Z',
  voidedAt: null,
  voidedBy: null,
};

const ctx: SaleReceiptContext = {
  setting: {
    storeCode: 'ZRH',
    storeName: 'Corner Shop',
    storeAddress: 'Bahnhofstrasse 1\n\n 8001 Zürich ',
    timeZone: 'Europe/Zurich',
    locale: 'de-CH',
    registerName: 'Till 1',
    registerPosition: 2,
    cashierName: 'Ada',
  },
  receiptNumber: 'ZRH-02-000007',
  printNumber: 1,
  paymentMethodNames: new Map([['voucher', 'Gift voucher']]),
  productUnits: new Map([
    ['p-each', 'each'],
    ['p-kg', 'kg'],
  ]),
};

describe('receiptOfSale', () => {
  it('maps the recorded sale as the receipt package takes it, which accepts it', () => {
    const r = receiptOfSale(sale, ctx);
    expect(r).toMatchObject({
      kind: 'sale',
      store: { name: 'Corner Shop', addressLines: ['Bahnhofstrasse 1', '8001 Zürich'] },
      receiptNumber: 'ZRH-02-000007',
      code: { symbology: 'code128', value: 'ZRH-02-000007' },
      issuedAt: '2026-11-22T07:40:00.000Z',
      timeZone: 'Europe/Zurich',
      locale: 'de-CH',
      subtotal: 2500,
      cartDiscount: 100,
      total: 2400,
      taxSummary: [{ label: 'VAT20', ratePpm: 200_000, net: 2000, tax: 400, gross: 2400 }],
      footerLines: [],
    });
    expect(r.lines.map((l) => l.unit)).toEqual(['each', 'kg', 'kg']);
    expect(() => buildReceipt(r)).not.toThrow();
  });

  it('puts the cash rounding on the last cash tender and names an other tender by its method', () => {
    const r = receiptOfSale({ ...sale, totals: { ...sale.totals, cashRounding: -2 } }, ctx);
    expect(r.tenders).toEqual([
      { kind: 'cash', amount: 1000, cashRoundingAdjustment: 0 },
      { kind: 'other', label: 'Gift voucher', amount: 400, cashRoundingAdjustment: 0 },
      { kind: 'cash', amount: 1000, cashRoundingAdjustment: -2 },
    ]);
  });

  it('marks a voided sale VOID and a reprint with its copy number', () => {
    const r = receiptOfSale({ ...sale, status: 'voided' }, { ...ctx, printNumber: 3 });
    expect(r.kind).toBe('void');
    expect(r.footerLines).toEqual(['COPY 2 (REPRINT)']);
  });
});

describe('printedReceiptNumber', () => {
  it('is the store code, the register position and the number, padded', () => {
    expect(printedReceiptNumber('S-1', 3, 42)).toBe('S-1-03-000042');
    expect(printedReceiptNumber('ZRH', 12, 1_234_567)).toBe('ZRH-12-1234567');
  });
});
