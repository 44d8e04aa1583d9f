import { PricingError } from './errors.js';
import { divRound, readCount, type RoundingMode } from './money.js';
import type { Discount } from './types.js';

/** Quantities are integers of thousandths: 1000 is one item, 1234 is 1.234 kg. */
export const QUANTITY_SCALE = 1000n;
export const BASIS_POINTS = 10_000n;

/** unitPrice × quantity in minor units, rounded once with `mode` (1.234 kg × 1299 = 1602.966 → 1603). */
export function extendedPrice(unitPrice: bigint, quantity: bigint, mode: RoundingMode): bigint {
  return divRound(unitPrice * quantity, QUANTITY_SCALE, mode);
}

/**
 * The discount taken off `base`: a percentage is rounded with `mode`; an amount is capped at `base`, so an amount
 * after discount is never below zero (a 5.00 coupon on a 3.00 item takes 3.00).
 */
export function discountOff(
  discount: Discount | undefined,
  base: bigint,
  mode: RoundingMode,
  field: string,
): bigint {
  if (discount === undefined) return 0n;
  if (discount.kind === 'percent') {
    const basisPoints = readCount(discount.basisPoints, `${field}.basisPoints`, 'INVALID_DISCOUNT', 10_000);
    return divRound(base * basisPoints, BASIS_POINTS, mode);
  }
  if (discount.kind === 'amount') {
    const amount = readCount(discount.amount, `${field}.amount`, 'INVALID_DISCOUNT');
    return amount < base ? amount : base;
  }
  throw new PricingError('INVALID_DISCOUNT', `${field}.kind`, 'must be "percent" or "amount"');
}
