import { allocateLargestRemainder } from './allocate.js';
import { divRound, sum, toSafeNumber, type RoundingMode } from './money.js';
import type { LineTax, PricingMode, TaxSummaryRow } from './types.js';

/** Tax rates are integers of parts per million (200000 = 20%, 99750 = 9.975%). */
export const RATE_SCALE = 1_000_000n;

export interface LineTaxSplit {
  readonly net: bigint;
  /** One tax per rate, in the order of `ratesPpm`. */
  readonly taxes: readonly bigint[];
}

/**
 * Splits a line's amount (after all discounts) into net and one tax per rate. Rounding happens here, per line:
 * - exclusive: the amount is the net; each rate's tax = round(net × rate), rounded separately; gross = net + Σ taxes.
 * - inclusive: the amount is the gross; net = round(gross / (1 + Σ rates)), rounded once; the tax total is
 *   gross − net (so net + tax = gross exactly), split over the rates in proportion to the rates by largest
 *   remainder (ties to the rate listed first).
 * All rates apply to the same net (no tax on tax).
 */
export function splitLineTaxes(
  amount: bigint,
  ratesPpm: readonly bigint[],
  pricing: PricingMode,
  mode: RoundingMode,
): LineTaxSplit {
  if (pricing === 'exclusive') {
    return { net: amount, taxes: ratesPpm.map((rate) => divRound(amount * rate, RATE_SCALE, mode)) };
  }
  const totalRate = sum(ratesPpm);
  const net = divRound(amount * RATE_SCALE, RATE_SCALE + totalRate, mode);
  return { net, taxes: allocateLargestRemainder(amount - net, ratesPpm) };
}

/** One row per (code, rate), sorted by code then rate: what a receipt's tax block and a tax report show. */
export function summarizeTaxes(
  lines: readonly { readonly net: number; readonly taxes: readonly LineTax[] }[],
): TaxSummaryRow[] {
  const rows = new Map<string, { code: string; ratePpm: number; taxableNet: bigint; tax: bigint }>();
  for (const line of lines) {
    for (const entry of line.taxes) {
      const key = `${entry.code}\u0000${entry.ratePpm}`;
      const row = rows.get(key) ?? { code: entry.code, ratePpm: entry.ratePpm, taxableNet: 0n, tax: 0n };
      row.taxableNet += BigInt(line.net);
      row.tax += BigInt(entry.tax);
      rows.set(key, row);
    }
  }
  return [...rows.values()]
    .sort((a, b) => (a.code === b.code ? a.ratePpm - b.ratePpm : a.code < b.code ? -1 : 1))
    .map((row) => ({
      code: row.code,
      ratePpm: row.ratePpm,
      taxableNet: toSafeNumber(row.taxableNet, `taxSummary.${row.code}.taxableNet`),
      tax: toSafeNumber(row.tax, `taxSummary.${row.code}.tax`),
      gross: toSafeNumber(row.taxableNet + row.tax, `taxSummary.${row.code}.gross`),
    }));
}
