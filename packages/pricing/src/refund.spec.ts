import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { priceCart } from './cart.js';
import { cartArb } from './pricing.arbitraries.js';
import { computeRefund, type RefundRequestLine, type RefundResult } from './refund.js';

const NUM_RUNS = 1000;
const VAT20 = { code: 'VAT20', ratePpm: 200_000 };

describe('computeRefund', () => {
  const sale = priceCart({
    currency: 'GBP',
    pricing: 'inclusive',
    lines: [
      { id: 'mug', unitPrice: 1000, quantity: 3000, taxes: [VAT20] },
      {
        id: 'cheese',
        unitPrice: 1299,
        quantity: 1234,
        discount: { kind: 'percent', basisPoints: 1000 },
        taxes: [],
      },
    ],
  });

  it('refunds one mug at a time: the remainders move so the three refunds add up to the sale line', () => {
    expect(sale.lines[0]).toMatchObject({ net: 2500, tax: 500, gross: 3000 });
    const first = computeRefund(sale, [{ lineId: 'mug', quantity: 1000 }]);
    const second = computeRefund(sale, [{ lineId: 'mug', quantity: 1000 }], [first]);
    const third = computeRefund(sale, [{ lineId: 'mug', quantity: 1000 }], [first, second]);
    expect([first, second, third].map((r) => [r.totals.net, r.totals.tax, r.totals.gross])).toEqual([
      [833, 167, 1000], // 2500 / 3 = 833.33 → 833, 500 / 3 = 166.67 → 167
      [834, 166, 1000], // cumulative 1666.67 → 1667, 333.33 → 333
      [833, 167, 1000],
    ]);
    expect(first.taxSummary).toEqual([
      { code: 'VAT20', ratePpm: 200_000, taxableNet: 833, tax: 167, gross: 1000 },
    ]);
    expect(() => computeRefund(sale, [{ lineId: 'mug', quantity: 1 }], [first, second, third])).toThrow(
      expect.objectContaining({ code: 'REFUND_EXCEEDS_SALE', field: 'lines[0].quantity' }),
    );
  });

  it('refunds part of a weighed, discounted line: 0.500 of 1.234 kg', () => {
    // sale line: extended 1603, discount 160, gross 1443
    expect(sale.lines[1]).toMatchObject({ extended: 1603, lineDiscount: 160, gross: 1443 });
    const part = computeRefund(sale, [{ lineId: 'cheese', quantity: 500 }]);
    // 1443 × 500 / 1234 = 584.68 → 585; discount 160 × 500 / 1234 = 64.83 → 65
    expect(part.lines[0]).toMatchObject({
      quantity: 500,
      extended: 650,
      discount: 65,
      net: 585,
      tax: 0,
      gross: 585,
    });
    const rest = computeRefund(sale, [{ lineId: 'cheese', quantity: 734 }], [part]);
    expect(rest.lines[0]).toMatchObject({ extended: 953, discount: 95, gross: 858 });
  });

  it.each<[string, RefundRequestLine[], string, string]>([
    ['unknown line', [{ lineId: 'nope', quantity: 1000 }], 'UNKNOWN_LINE', 'lines[0].lineId'],
    ['zero quantity', [{ lineId: 'mug', quantity: 0 }], 'INVALID_QUANTITY', 'lines[0].quantity'],
    ['more than sold', [{ lineId: 'mug', quantity: 3001 }], 'REFUND_EXCEEDS_SALE', 'lines[0].quantity'],
    [
      'the same line twice',
      [
        { lineId: 'mug', quantity: 1000 },
        { lineId: 'mug', quantity: 1000 },
      ],
      'DUPLICATE_LINE',
      'lines[1].lineId',
    ],
  ])('refuses %s', (_name, request, code, field) => {
    expect(() => computeRefund(sale, request)).toThrow(
      expect.objectContaining({ name: 'PricingError', code, field }),
    );
  });

  it('refuses to hand back more than was paid, even when earlier refunds were recorded wrong', () => {
    const first = computeRefund(sale, [{ lineId: 'mug', quantity: 1000 }]);
    const inflated: RefundResult = { ...first, totals: { ...first.totals, gross: sale.totals.gross } };
    expect(() => computeRefund(sale, [{ lineId: 'cheese', quantity: 1 }], [inflated])).toThrow(
      expect.objectContaining({ code: 'REFUND_EXCEEDS_PAID' }),
    );
  });

  it('refunding every unit in random steps reproduces the sale exactly (property)', () => {
    const cutsArb = fc.array(fc.array(fc.nat(), { maxLength: 6 }), { minLength: 8, maxLength: 8 });
    fc.assert(
      fc.property(cartArb, cutsArb, (input, cutsPerLine) => {
        const cart = priceCart(input);
        const steps = cart.lines.map((line, i) => {
          if (line.quantity === 0) return [];
          const cuts = [
            ...new Set((cutsPerLine[i] ?? []).map((c) => c % line.quantity).filter((c) => c > 0)),
          ];
          const points = [0, ...cuts.sort((a, b) => a - b), line.quantity];
          return points.slice(1).map((p, k) => p - points[k]!);
        });
        const rounds = Math.max(0, ...steps.map((s) => s.length));
        const refunds: RefundResult[] = [];
        for (let r = 0; r < rounds; r++) {
          const request = cart.lines.flatMap((line, i) => {
            const quantity = steps[i]?.[r];
            return quantity === undefined ? [] : [{ lineId: line.id, quantity }];
          });
          const refund = computeRefund(cart, request, refunds);
          for (const line of refund.lines) {
            expect(line.net + line.tax).toBe(line.gross);
            expect(line.extended - line.discount).toBe(cart.pricing === 'inclusive' ? line.gross : line.net);
            expect(
              Math.min(line.net, line.tax, line.gross, line.discount, line.extended),
            ).toBeGreaterThanOrEqual(0);
          }
          refunds.push(refund);
        }
        for (const line of cart.lines) {
          if (line.quantity === 0) continue;
          const parts = refunds.flatMap((r) => r.lines.filter((l) => l.lineId === line.id));
          const total = (pick: (l: (typeof parts)[number]) => number): number =>
            parts.reduce((a, l) => a + pick(l), 0);
          expect(total((l) => l.quantity)).toBe(line.quantity);
          expect(total((l) => l.net)).toBe(line.net);
          expect(total((l) => l.tax)).toBe(line.tax);
          expect(total((l) => l.gross)).toBe(line.gross);
          expect(total((l) => l.discount)).toBe(line.lineDiscount + line.cartDiscount);
          expect(total((l) => l.extended)).toBe(line.extended);
          line.taxes.forEach((tax, k) => expect(total((l) => l.taxes[k]?.tax ?? 0)).toBe(tax.tax));
          expect(() => computeRefund(cart, [{ lineId: line.id, quantity: 1 }], refunds)).toThrow(
            expect.objectContaining({ code: 'REFUND_EXCEEDS_SALE' }),
          );
        }
        const refundedGross = refunds.reduce((a, r) => a + r.totals.gross, 0);
        expect(refundedGross).toBe(cart.totals.gross);
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
