import Big from 'big.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { currencyExponent } from './currency.js';
import { PricingError } from './errors.js';
import { divRound, toSafeNumber } from './money.js';

const NUM_RUNS = 2000;

// big.js as the oracle: divide to 60 places truncating, then round to an integer with the mode under test.
const B = Big();
B.DP = 60;
B.RM = Big.roundDown;

describe('divRound', () => {
  it.each([
    { n: 15n, d: 10n, up: 2n, even: 2n },
    { n: 25n, d: 10n, up: 3n, even: 2n },
    { n: 24n, d: 10n, up: 2n, even: 2n },
    { n: 26n, d: 10n, up: 3n, even: 3n },
    { n: 0n, d: 7n, up: 0n, even: 0n },
    { n: 8725n, d: 10n, up: 873n, even: 872n },
  ])('$n / $d', ({ n, d, up, even }) => {
    expect(divRound(n, d, 'half-up')).toBe(up);
    expect(divRound(n, d, 'half-even')).toBe(even);
  });

  it('agrees with big.js for both modes (property)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 30n }),
        fc.bigInt({ min: 1n, max: 10n ** 15n }),
        (n, d) => {
          const exact = new B(n.toString()).div(d.toString());
          expect(divRound(n, d, 'half-up').toString()).toBe(exact.round(0, Big.roundHalfUp).toFixed(0));
          expect(divRound(n, d, 'half-even').toString()).toBe(exact.round(0, Big.roundHalfEven).toFixed(0));
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });
});

describe('currencyExponent', () => {
  it.each([
    ['JPY', 0],
    ['EUR', 2],
    ['GBP', 2],
    ['CAD', 2],
    ['CHF', 2],
    ['KWD', 3],
  ])('%s has %i decimals', (code, exponent) => {
    expect(currencyExponent(code)).toBe(exponent);
  });

  it('refuses an unknown code', () => {
    expect(() => currencyExponent('XXX')).toThrow(PricingError);
    expect(() => currencyExponent('toString')).toThrow(/not a decimal ISO 4217/);
  });
});

describe('toSafeNumber', () => {
  it('refuses amounts beyond Number.MAX_SAFE_INTEGER', () => {
    expect(toSafeNumber(BigInt(Number.MAX_SAFE_INTEGER), 'x')).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => toSafeNumber(BigInt(Number.MAX_SAFE_INTEGER) + 1n, 'totals.gross')).toThrow(
      expect.objectContaining({ code: 'AMOUNT_OVERFLOW', field: 'totals.gross' }),
    );
  });
});
