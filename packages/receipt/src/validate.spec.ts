import { describe, expect, it } from 'vitest';
import { ReceiptError } from './errors.js';
import type { ReceiptSale } from './sale.js';
import { plainSale, partialRefund } from './test/fixtures.js';
import { validateSale } from './validate.js';

function withLine(change: Partial<ReceiptSale['lines'][number]>): ReceiptSale {
  return { ...plainSale, lines: plainSale.lines.map((line, i) => (i === 1 ? { ...line, ...change } : line)) };
}

function rejection(sale: ReceiptSale): { code: string; field: string } {
  try {
    validateSale(sale);
  } catch (error) {
    if (error instanceof ReceiptError) return { code: error.code, field: error.field };
    throw error;
  }
  throw new Error('expected the sale to be rejected');
}

describe('validateSale', () => {
  it('accepts the golden sales', () => {
    expect(() => validateSale(plainSale)).not.toThrow();
    expect(() => validateSale(partialRefund)).not.toThrow();
    // A refund without a receipt names no original sale.
    expect(() => validateSale({ ...partialRefund, originalReceiptNumber: undefined })).not.toThrow();
  });

  it.each<[string, ReceiptSale, string, string]>([
    ['a negative quantity', withLine({ quantity: -1000 }), 'NEGATIVE_QUANTITY', 'lines[1].quantity'],
    ['a zero quantity', withLine({ quantity: 0 }), 'NEGATIVE_QUANTITY', 'lines[1].quantity'],
    ['half an item', withLine({ quantity: 1500 }), 'FRACTIONAL_EACH_QUANTITY', 'lines[1].quantity'],
    [
      'a fractional quantity',
      withLine({ quantity: 1.5, unit: 'kg' }),
      'INVALID_INTEGER',
      'lines[1].quantity',
    ],
    ['a float amount', withLine({ unitPrice: 3.49 }), 'INVALID_INTEGER', 'lines[1].unitPrice'],
    ['a negative line total', withLine({ lineTotal: -1 }), 'NEGATIVE_AMOUNT', 'lines[1].lineTotal'],
    ['an unknown unit', withLine({ unit: 'lb' as 'kg' }), 'INVALID_UNIT', 'lines[1].unit'],
    ['an empty name', withLine({ name: '  ' }), 'EMPTY_TEXT', 'lines[1].name'],
    ['negative change', { ...plainSale, changeDue: -5 }, 'NEGATIVE_AMOUNT', 'changeDue'],
    ['an unknown currency', { ...plainSale, currency: 'usd' }, 'INVALID_CURRENCY', 'currency'],
    ['a made-up currency', { ...plainSale, currency: 'ZZZ' }, 'INVALID_CURRENCY', 'currency'],
    ['a broken locale', { ...plainSale, locale: 'en_US!' }, 'INVALID_LOCALE', 'locale'],
    ['an unknown time zone', { ...plainSale, timeZone: 'Mars/Olympus' }, 'INVALID_TIME_ZONE', 'timeZone'],
    [
      'a local time without offset',
      { ...plainSale, issuedAt: '2026-11-22T07:40:00' },
      'INVALID_INSTANT',
      'issuedAt',
    ],
    ['an impossible date', { ...plainSale, issuedAt: '2026-13-40T07:40:00Z' }, 'INVALID_INSTANT', 'issuedAt'],
    [
      'a blank original receipt',
      { ...partialRefund, originalReceiptNumber: ' ' },
      'EMPTY_TEXT',
      'originalReceiptNumber',
    ],
    ['an unknown kind', { ...plainSale, kind: 'return' as 'sale' }, 'INVALID_KIND', 'kind'],
    [
      'a float rounding',
      { ...plainSale, tenders: [{ kind: 'cash', amount: 100, cashRoundingAdjustment: 0.5 }] },
      'INVALID_INTEGER',
      'tenders[0].cashRoundingAdjustment',
    ],
    [
      'a negative tax rate',
      { ...plainSale, taxSummary: [{ ...plainSale.taxSummary[0]!, ratePpm: -1 }] },
      'NEGATIVE_AMOUNT',
      'taxSummary[0].ratePpm',
    ],
    [
      'non-ASCII in CODE128',
      { ...plainSale, code: { symbology: 'code128', value: 'Nº1' } },
      'INVALID_BARCODE_VALUE',
      'code.value',
    ],
  ])('rejects %s, naming the field', (_what, sale, code, field) => {
    expect(rejection(sale)).toEqual({ code, field });
  });

  it('allows a negative cash rounding adjustment', () => {
    expect(() =>
      validateSale({ ...plainSale, tenders: [{ kind: 'cash', amount: 2300, cashRoundingAdjustment: -2 }] }),
    ).not.toThrow();
  });

  it('puts the field in the message', () => {
    expect(() => validateSale(withLine({ quantity: -1000 }))).toThrow(/^lines\[1\]\.quantity: /);
  });
});
