import { describe, expect, it } from 'vitest';
import { priceCart } from './cart.js';
import type { CartInput } from './types.js';

const VAT20 = { code: 'VAT20', ratePpm: 200_000 };
const GST = { code: 'GST', ratePpm: 50_000 };
const QST = { code: 'QST', ratePpm: 99_750 };

describe('worked examples', () => {
  it('UK, GBP, 20% VAT inclusive: net = gross / 1.2 rounded half-up, VAT = gross − net', () => {
    const cart = priceCart({
      currency: 'GBP',
      pricing: 'inclusive',
      lines: [
        { id: 'shirt', unitPrice: 1200, quantity: 1000, taxes: [VAT20] },
        { id: 'socks', unitPrice: 349, quantity: 3000, taxes: [VAT20] },
      ],
    });
    expect(cart.lines.map((l) => [l.extended, l.net, l.tax, l.gross])).toEqual([
      [1200, 1000, 200, 1200],
      [1047, 873, 174, 1047], // 1047 / 1.2 = 872.5 → 873
    ]);
    expect(cart.totals).toMatchObject({ net: 1873, tax: 374, gross: 2247 });
    expect(cart.taxSummary).toEqual([
      { code: 'VAT20', ratePpm: 200_000, taxableNet: 1873, tax: 374, gross: 2247 },
    ]);
  });

  it('UK, the same socks with half-even: 872.5 → 872', () => {
    const cart = priceCart({
      currency: 'GBP',
      pricing: 'inclusive',
      rounding: 'half-even',
      lines: [{ id: 'socks', unitPrice: 349, quantity: 3000, taxes: [VAT20] }],
    });
    expect(cart.lines[0]).toMatchObject({ net: 872, tax: 175, gross: 1047 });
  });

  it('Quebec, CAD, 5% GST + 9.975% QST exclusive, each tax rounded per line', () => {
    const cart = priceCart({
      currency: 'CAD',
      pricing: 'exclusive',
      lines: [
        { id: 'kettle', unitPrice: 10_000, quantity: 1000, taxes: [GST, QST] },
        { id: 'mug', unitPrice: 1999, quantity: 1000, taxes: [GST, QST] },
      ],
    });
    expect(cart.lines.map((l) => [l.net, ...l.taxes.map((t) => t.tax), l.gross])).toEqual([
      [10_000, 500, 998, 11_498], // QST 997.5 → 998
      [1999, 100, 199, 2298], // GST 99.95 → 100, QST 199.40025 → 199
    ]);
    expect(cart.totals).toMatchObject({ net: 11_999, tax: 1797, gross: 13_796 });
    expect(cart.taxSummary).toEqual([
      { code: 'GST', ratePpm: 50_000, taxableNet: 11_999, tax: 600, gross: 12_599 },
      { code: 'QST', ratePpm: 99_750, taxableNet: 11_999, tax: 1197, gross: 13_196 },
    ]);
  });

  it('Quebec prices tax-inclusive: the tax total is split over GST and QST in proportion to the rates', () => {
    const cart = priceCart({
      currency: 'CAD',
      pricing: 'inclusive',
      lines: [{ id: 'kettle', unitPrice: 11_498, quantity: 1000, taxes: [GST, QST] }],
    });
    // net = 11498 / 1.14975 = 10000.43 → 10000; tax 1498 split 5 : 9.975 → 499.83 / 998.17 → 500 / 998
    expect(cart.lines[0]).toMatchObject({ net: 10_000, tax: 1498, gross: 11_498 });
    expect(cart.lines[0]?.taxes.map((t) => t.tax)).toEqual([500, 998]);
  });

  it('Japan, JPY (0 decimals), 10% and 8% consumption tax inclusive', () => {
    const cart = priceCart({
      currency: 'JPY',
      pricing: 'inclusive',
      lines: [
        { id: 'towel', unitPrice: 1980, quantity: 3000, taxes: [{ code: 'CT10', ratePpm: 100_000 }] },
        { id: 'onigiri', unitPrice: 98, quantity: 1000, taxes: [{ code: 'CT8', ratePpm: 80_000 }] },
      ],
    });
    expect(cart.exponent).toBe(0);
    expect(cart.lines.map((l) => [l.net, l.tax, l.gross])).toEqual([
      [5400, 540, 5940],
      [91, 7, 98], // 98 / 1.08 = 90.74 → 91
    ]);
  });

  it('Kuwait, KWD (3 decimals): a weighed item and a 10% cart discount, no tax', () => {
    const cart = priceCart({
      currency: 'KWD',
      pricing: 'exclusive',
      cartDiscount: { kind: 'percent', basisPoints: 1000 },
      lines: [
        { id: 'dates', unitPrice: 1250, quantity: 2000, taxes: [] },
        { id: 'rice', unitPrice: 125, quantity: 1500, taxes: [] }, // 0.125 KWD/kg × 1.5 kg = 0.1875 → 0.188
      ],
    });
    expect(cart.exponent).toBe(3);
    expect(cart.lines.map((l) => [l.extended, l.cartDiscount, l.gross])).toEqual([
      [2500, 250, 2250],
      [188, 19, 169], // discount 268.8 → 269, split 2500 : 188 → 249.85 / 18.80 → 250 / 19
    ]);
    expect(cart.totals).toMatchObject({ extended: 2688, cartDiscount: 269, net: 2419, tax: 0, gross: 2419 });
  });

  it('a weighed item: 1.234 kg × 12.99/kg = 16.02966 → 16.03, with 7% VAT inclusive (EUR)', () => {
    const cart = priceCart({
      currency: 'EUR',
      pricing: 'inclusive',
      lines: [{ id: 'cheese', unitPrice: 1299, quantity: 1234, taxes: [{ code: 'VAT7', ratePpm: 70_000 }] }],
    });
    expect(cart.lines[0]).toMatchObject({ extended: 1603, net: 1498, tax: 105, gross: 1603 });
  });

  it('line and cart discounts: a percentage rounds, an amount is capped so nothing goes below zero', () => {
    const cart = priceCart({
      currency: 'EUR',
      pricing: 'exclusive',
      cartDiscount: { kind: 'amount', amount: 100 },
      lines: [
        { id: 'a', unitPrice: 1000, quantity: 1000, taxes: [] },
        {
          id: 'b',
          unitPrice: 2222,
          quantity: 1000,
          discount: { kind: 'percent', basisPoints: 1000 },
          taxes: [],
        },
        { id: 'c', unitPrice: 300, quantity: 1000, discount: { kind: 'amount', amount: 500 }, taxes: [] },
        { id: 'd', unitPrice: 3000, quantity: 1000, taxes: [] },
      ],
    });
    // b: 222.2 → 222 off; c: 500 capped at 300; cart 100 over 1000 : 2000 : 0 : 3000 → 16.67 / 33.33 / 0 / 50
    expect(cart.lines.map((l) => [l.lineDiscount, l.cartDiscount, l.amount])).toEqual([
      [0, 17, 983],
      [222, 33, 1967],
      [300, 0, 0],
      [0, 50, 2950],
    ]);
    expect(cart.totals).toMatchObject({ lineDiscount: 522, cartDiscount: 100, discount: 622, gross: 5900 });
  });

  it('a cart discount larger than the cart takes the whole cart and no more', () => {
    const cart = priceCart({
      currency: 'GBP',
      pricing: 'inclusive',
      cartDiscount: { kind: 'amount', amount: 99_999 },
      lines: [{ id: 'a', unitPrice: 500, quantity: 1000, taxes: [VAT20] }],
    });
    expect(cart.totals).toMatchObject({ cartDiscount: 500, net: 0, tax: 0, gross: 0 });
  });
});

describe('refusals name the field', () => {
  const base: CartInput = {
    currency: 'EUR',
    pricing: 'exclusive',
    lines: [{ id: 'a', unitPrice: 100, quantity: 1000, taxes: [] }],
  };
  const line = base.lines[0]!;
  it.each<[string, CartInput, string, string]>([
    ['unknown currency', { ...base, currency: 'ZZZ' }, 'UNKNOWN_CURRENCY', 'currency'],
    [
      'negative price',
      { ...base, lines: [{ ...line, unitPrice: -1 }] },
      'INVALID_AMOUNT',
      'lines[0].unitPrice',
    ],
    [
      'fractional price',
      { ...base, lines: [{ ...line, unitPrice: 1.5 }] },
      'INVALID_AMOUNT',
      'lines[0].unitPrice',
    ],
    [
      'negative quantity',
      { ...base, lines: [{ ...line, quantity: -1000 }] },
      'INVALID_QUANTITY',
      'lines[0].quantity',
    ],
    [
      'unsafe quantity',
      { ...base, lines: [{ ...line, quantity: 2 ** 53 }] },
      'INVALID_QUANTITY',
      'lines[0].quantity',
    ],
    ['duplicate line', { ...base, lines: [line, line] }, 'DUPLICATE_LINE', 'lines[1].id'],
    [
      'percent over 100%',
      { ...base, cartDiscount: { kind: 'percent', basisPoints: 10_001 } },
      'INVALID_DISCOUNT',
      'cartDiscount.basisPoints',
    ],
    [
      'negative rate',
      { ...base, lines: [{ ...line, taxes: [{ code: 'X', ratePpm: -1 }] }] },
      'INVALID_RATE',
      'lines[0].taxes[0].ratePpm',
    ],
    [
      'repeated tax code',
      { ...base, lines: [{ ...line, taxes: [GST, GST] }] },
      'INVALID_RATE',
      'lines[0].taxes[1].code',
    ],
    [
      'result beyond MAX_SAFE_INTEGER',
      { ...base, lines: [{ ...line, unitPrice: Number.MAX_SAFE_INTEGER, quantity: 2000 }] },
      'AMOUNT_OVERFLOW',
      'lines[0].extended',
    ],
  ])('%s', (_name, input, code, field) => {
    expect(() => priceCart(input)).toThrow(expect.objectContaining({ name: 'PricingError', code, field }));
  });
});
