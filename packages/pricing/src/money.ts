import { calculator, halfEven, halfUp } from 'dinero.js/bigint';
import { PricingError } from './errors.js';

/** How a non-integer amount of minor units is rounded: half-up (the default) or half-even (banker's rounding). */
export type RoundingMode = 'half-up' | 'half-even';

/**
 * numerator / denominator rounded to an integer with `mode`. Used only with numerator >= 0 and denominator > 0
 * (every amount this package rounds is non-negative), so "half-up" is also "half away from zero".
 * The division itself is dinero.js's (bigint calculator).
 */
export function divRound(numerator: bigint, denominator: bigint, mode: RoundingMode): bigint {
  return mode === 'half-even'
    ? halfEven(numerator, denominator, calculator)
    : halfUp(numerator, denominator, calculator);
}

/** Reads a non-negative safe integer input (an amount, a quantity, a rate) into a bigint. */
export function readCount(
  value: number,
  field: string,
  code: 'INVALID_AMOUNT' | 'INVALID_QUANTITY' | 'INVALID_RATE' | 'INVALID_DISCOUNT' | 'INVALID_INCREMENT',
  max: number = Number.MAX_SAFE_INTEGER,
): bigint {
  if (!Number.isSafeInteger(value) || value < 0 || value > max) {
    throw new PricingError(code, field, `must be an integer from 0 to ${max}, got ${String(value)}`);
  }
  return BigInt(value);
}

/** Converts a computed amount back to a number, refusing anything beyond Number.MAX_SAFE_INTEGER. */
export function toSafeNumber(value: bigint, field: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < -BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new PricingError(
      'AMOUNT_OVERFLOW',
      field,
      'the result exceeds Number.MAX_SAFE_INTEGER minor units',
    );
  }
  return Number(value);
}

export function sum(values: readonly bigint[]): bigint {
  return values.reduce((a, b) => a + b, 0n);
}
