import { allocate, dinero, USD } from 'dinero.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocateLargestRemainder } from './allocate.js';

const NUM_RUNS = 2000;

describe('allocateLargestRemainder', () => {
  it.each([
    { amount: 100n, weights: [1000n, 2000n, 3000n], parts: [17n, 33n, 50n] },
    { amount: 7n, weights: [3n, 4n, 5n], parts: [2n, 2n, 3n] },
    { amount: 1n, weights: [1n, 1n, 1n], parts: [1n, 0n, 0n] },
    { amount: 5n, weights: [0n, 3n, 0n, 2n], parts: [0n, 3n, 0n, 2n] },
    { amount: 0n, weights: [0n, 0n], parts: [0n, 0n] },
  ])('splits $amount over $weights', ({ amount, weights, parts }) => {
    expect(allocateLargestRemainder(amount, weights)).toEqual(parts);
  });

  it('differs from dinero.js allocate, which favours the largest ratio rather than the largest remainder', () => {
    const dineroParts = allocate(dinero({ amount: 7, currency: USD }), [3, 4, 5]).map(
      (d) => d.toJSON().amount,
    );
    expect(dineroParts).toEqual([1, 3, 3]);
    expect(allocateLargestRemainder(7n, [3n, 4n, 5n])).toEqual([2n, 2n, 3n]);
  });

  it('refuses a non-zero amount over zero weights and negative inputs', () => {
    expect(() => allocateLargestRemainder(1n, [0n, 0n])).toThrow(RangeError);
    expect(() => allocateLargestRemainder(-1n, [1n])).toThrow(RangeError);
    expect(() => allocateLargestRemainder(1n, [1n, -1n])).toThrow(RangeError);
  });

  it('sums exactly and keeps every part within one unit above its floor share (property)', () => {
    const weights = fc.array(fc.bigInt({ min: 0n, max: 10n ** 12n }), { minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 12n }), weights, (amount, ws) => {
        const total = ws.reduce((a, b) => a + b, 0n);
        fc.pre(total > 0n || amount === 0n);
        const parts = allocateLargestRemainder(amount, ws);
        expect(parts.reduce((a, b) => a + b, 0n)).toBe(amount);
        parts.forEach((part, i) => {
          const floor = total === 0n ? 0n : (amount * ws[i]!) / total;
          expect(part - floor === 0n || part - floor === 1n).toBe(true);
          if (total > 0n && (amount * ws[i]!) % total === 0n) expect(part).toBe(floor);
        });
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
