import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cartInputOf, priceCart } from './cart.js';
import { cartArb } from './pricing.arbitraries.js';
import { oraclePriceCart } from './pricing.oracle.js';
import type { PricedCart } from './types.js';

/** Each property below runs this many generated carts. */
const NUM_RUNS = 1000;

const sumOf = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

function checkInvariants(cart: PricedCart): void {
  for (const line of cart.lines) {
    expect(line.net + line.tax).toBe(line.gross);
    expect(sumOf(line.taxes.map((t) => t.tax))).toBe(line.tax);
    expect(line.extended - line.lineDiscount - line.cartDiscount).toBe(line.amount);
    expect(cart.pricing === 'inclusive' ? line.gross : line.net).toBe(line.amount);
    for (const value of [
      line.extended,
      line.lineDiscount,
      line.cartDiscount,
      line.amount,
      line.net,
      line.gross,
    ]) {
      expect(Number.isSafeInteger(value) && value >= 0).toBe(true);
    }
    for (const tax of line.taxes) expect(tax.tax >= 0).toBe(true);
  }
  const t = cart.totals;
  expect(t.extended).toBe(sumOf(cart.lines.map((l) => l.extended)));
  expect(t.lineDiscount).toBe(sumOf(cart.lines.map((l) => l.lineDiscount)));
  expect(t.cartDiscount).toBe(sumOf(cart.lines.map((l) => l.cartDiscount)));
  expect(t.discount).toBe(t.lineDiscount + t.cartDiscount);
  expect(t.net).toBe(sumOf(cart.lines.map((l) => l.net)));
  expect(t.tax).toBe(sumOf(cart.lines.map((l) => l.tax)));
  expect(t.gross).toBe(sumOf(cart.lines.map((l) => l.gross)));
  expect(t.net + t.tax).toBe(t.gross);
  expect(t.extended - t.discount).toBe(cart.pricing === 'inclusive' ? t.gross : t.net);
  expect(t.gross >= 0 && t.net >= 0 && t.tax >= 0).toBe(true);
  expect(sumOf(cart.taxSummary.map((row) => row.tax))).toBe(t.tax);
  for (const row of cart.taxSummary) expect(row.taxableNet + row.tax).toBe(row.gross);
}

describe('priceCart properties', () => {
  it('lines and totals add up: net + tax = gross, totals = Σ lines, nothing negative', () => {
    fc.assert(
      fc.property(cartArb, (input) => checkInvariants(priceCart(input))),
      { numRuns: NUM_RUNS },
    );
  });

  it('the cart discount is allocated exactly and no line gets more than it is worth', () => {
    fc.assert(
      fc.property(cartArb, (input) => {
        const cart = priceCart(input);
        const afterLine = sumOf(cart.lines.map((l) => l.extended - l.lineDiscount));
        const d = input.cartDiscount;
        const expected =
          d === undefined
            ? 0
            : d.kind === 'amount'
              ? Math.min(d.amount, afterLine)
              : cart.totals.cartDiscount; // the percentage itself is checked against the oracle
        expect(cart.totals.cartDiscount).toBe(expected);
        for (const line of cart.lines)
          expect(line.cartDiscount <= line.extended - line.lineDiscount).toBe(true);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('is stable: the same input prices the same, and pricing the output’s own input gives the same cart', () => {
    fc.assert(
      fc.property(cartArb, (input) => {
        const first = priceCart(input);
        expect(priceCart(structuredClone(input))).toEqual(first);
        expect(priceCart(cartInputOf(first))).toEqual(first);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('agrees line by line with the decimal.js oracle, inclusive and exclusive, half-up and half-even', () => {
    fc.assert(
      fc.property(cartArb, (input) => {
        const cart = priceCart(input);
        const oracle = oraclePriceCart(input, cart.exponent);
        expect(
          cart.lines.map((l) => ({
            extended: l.extended,
            lineDiscount: l.lineDiscount,
            cartDiscount: l.cartDiscount,
            net: l.net,
            taxes: l.taxes.map((t) => t.tax),
            gross: l.gross,
          })),
        ).toEqual(oracle.lines);
        expect([cart.totals.net, cart.totals.tax, cart.totals.gross]).toEqual([
          oracle.net,
          oracle.tax,
          oracle.gross,
        ]);
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
