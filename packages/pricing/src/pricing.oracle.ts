/**
 * Test-only oracle: the pricing rules of README.md written again, straightforwardly, in decimal major units with
 * decimal.js. It shares no code with the implementation (no bigint, no minor-unit integers until the very end).
 */
import { Decimal } from 'decimal.js';
import type { CartInput, Discount } from './types.js';

// Divisions truncate at 80 significant digits; explicit roundings below say their own mode.
const Dec = Decimal.clone({ precision: 80, rounding: Decimal.ROUND_DOWN });

export interface OracleLine {
  extended: number;
  lineDiscount: number;
  cartDiscount: number;
  net: number;
  taxes: number[];
  gross: number;
}

export interface OracleCart {
  lines: OracleLine[];
  net: number;
  tax: number;
  gross: number;
}

export function oraclePriceCart(input: CartInput, exponent: number): OracleCart {
  const unit = new Dec(10).pow(-exponent);
  const mode = input.rounding === 'half-even' ? Dec.ROUND_HALF_EVEN : Dec.ROUND_HALF_UP;
  const round = (x: Decimal): Decimal => x.toDecimalPlaces(exponent, mode);
  const major = (minor: number): Decimal => new Dec(minor).times(unit);
  const minor = (x: Decimal): number => x.div(unit).toNumber();
  const discountOff = (discount: Discount | undefined, base: Decimal): Decimal => {
    if (discount === undefined) return new Dec(0);
    if (discount.kind === 'percent') return round(base.times(discount.basisPoints).div(10000));
    return Decimal.min(major(discount.amount), base);
  };

  const extended = input.lines.map((line) =>
    round(major(line.unitPrice).times(new Dec(line.quantity).div(1000))),
  );
  const lineDiscount = input.lines.map((line, i) => discountOff(line.discount, extended[i]!));
  const after = extended.map((e, i) => e.minus(lineDiscount[i]!));
  const cartDiscount = discountOff(input.cartDiscount, Dec.sum(0, ...after));
  const shares = largestRemainder(cartDiscount, after, unit);

  const lines = input.lines.map((line, i): OracleLine => {
    const amount = after[i]!.minus(shares[i]!);
    const rates = line.taxes.map((t) => new Dec(t.ratePpm).div(1_000_000));
    let net: Decimal;
    let taxes: Decimal[];
    if (input.pricing === 'exclusive') {
      net = amount;
      taxes = rates.map((r) => round(net.times(r)));
    } else {
      net = round(amount.div(Dec.sum(1, ...rates)));
      taxes = largestRemainder(amount.minus(net), rates, unit);
    }
    const gross = Dec.sum(net, ...taxes);
    return {
      extended: minor(extended[i]!),
      lineDiscount: minor(lineDiscount[i]!),
      cartDiscount: minor(shares[i]!),
      net: minor(net),
      taxes: taxes.map(minor),
      gross: minor(gross),
    };
  });
  const total = (pick: (line: OracleLine) => number): number => lines.reduce((a, l) => a + pick(l), 0);
  return {
    lines,
    net: total((l) => l.net),
    tax: total((l) => l.gross - l.net),
    gross: total((l) => l.gross),
  };
}

/** Hamilton's method in decimals: floor each exact share to the unit, then hand out the rest by largest fraction. */
function largestRemainder(amount: Decimal, weights: Decimal[], unit: Decimal): Decimal[] {
  const total = Dec.sum(0, ...weights);
  if (total.isZero()) return weights.map(() => new Dec(0));
  const exact = weights.map((w) => amount.times(w).div(total).div(unit));
  const floors = exact.map((x) => x.floor());
  // The fractional part compared exactly: (amount × w mod (total × unit)), all integers of the unit or decimals.
  const fractions = weights.map((w) => amount.times(w).mod(total.times(unit)));
  let left = amount
    .div(unit)
    .minus(Dec.sum(0, ...floors))
    .toNumber();
  const order = weights.map((_, i) => i).sort((a, b) => fractions[b]!.comparedTo(fractions[a]!) || a - b);
  const result = floors.slice();
  for (const i of order) {
    if (left === 0) break;
    result[i] = result[i]!.plus(1);
    left -= 1;
  }
  return result.map((x) => x.times(unit));
}
