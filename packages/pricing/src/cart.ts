import { allocateLargestRemainder } from './allocate.js';
import { currencyExponent } from './currency.js';
import { PricingError } from './errors.js';
import { discountOff, extendedPrice } from './line.js';
import { readCount, sum, toSafeNumber, type RoundingMode } from './money.js';
import { splitLineTaxes, summarizeTaxes } from './tax.js';
import type { CartInput, CartLineInput, LineTax, PricedCart, PricedLine } from './types.js';

/** Highest accepted tax rate: 1000% (some excise duties exceed 100%). */
const MAX_RATE_PPM = 10_000_000;

interface WorkLine {
  readonly input: CartLineInput;
  readonly extended: bigint;
  readonly lineDiscount: bigint;
  readonly rates: readonly bigint[];
}

/**
 * Prices a cart. All arithmetic is in BigInt; inputs must be non-negative safe integers and every result is
 * checked back into a safe integer (AMOUNT_OVERFLOW otherwise). Order of the computation, and the only places
 * where rounding happens (each with the cart's rounding mode, half-up by default):
 * 1. extended = round(unitPrice × quantity / 1000)
 * 2. line discount = round(extended × bp / 10000), or the amount capped at extended
 * 3. cart discount = round(Σ after-line-discount × bp / 10000), or the amount capped at that sum, then allocated
 *    over the lines in proportion to their after-line-discount amounts by largest remainder (exact, no rounding)
 * 4. taxes per line, see `splitLineTaxes`
 * Totals are plain sums of the lines, so net + tax = gross holds on the total because it holds on every line.
 */
export function priceCart(input: CartInput): PricedCart {
  const exponent = currencyExponent(input.currency);
  const mode: RoundingMode = input.rounding ?? 'half-up';
  if (mode !== 'half-up' && mode !== 'half-even') {
    throw new PricingError('INVALID_OPTION', 'rounding', 'must be "half-up" or "half-even"');
  }
  if (input.pricing !== 'inclusive' && input.pricing !== 'exclusive') {
    throw new PricingError('INVALID_OPTION', 'pricing', 'must be "inclusive" or "exclusive"');
  }
  const seen = new Set<string>();
  const work: WorkLine[] = input.lines.map((line, index) => {
    const field = `lines[${index}]`;
    if (seen.has(line.id))
      throw new PricingError('DUPLICATE_LINE', `${field}.id`, `line id "${line.id}" repeats`);
    seen.add(line.id);
    const unitPrice = readCount(line.unitPrice, `${field}.unitPrice`, 'INVALID_AMOUNT');
    const quantity = readCount(line.quantity, `${field}.quantity`, 'INVALID_QUANTITY');
    const codes = new Set<string>();
    const rates = line.taxes.map((tax, taxIndex) => {
      if (codes.has(tax.code)) {
        throw new PricingError(
          'INVALID_RATE',
          `${field}.taxes[${taxIndex}].code`,
          `tax "${tax.code}" repeats`,
        );
      }
      codes.add(tax.code);
      return readCount(tax.ratePpm, `${field}.taxes[${taxIndex}].ratePpm`, 'INVALID_RATE', MAX_RATE_PPM);
    });
    const extended = extendedPrice(unitPrice, quantity, mode);
    const lineDiscount = discountOff(line.discount, extended, mode, `${field}.discount`);
    return { input: line, extended, lineDiscount, rates };
  });

  const afterLineDiscounts = work.map((line) => line.extended - line.lineDiscount);
  const cartDiscount = discountOff(input.cartDiscount, sum(afterLineDiscounts), mode, 'cartDiscount');
  const shares = allocateLargestRemainder(cartDiscount, afterLineDiscounts);

  const lines: PricedLine[] = work.map((line, index) => {
    const field = `lines[${index}]`;
    const share = shares[index] ?? 0n;
    const amount = (afterLineDiscounts[index] ?? 0n) - share;
    const split = splitLineTaxes(amount, line.rates, input.pricing, mode);
    const taxes: LineTax[] = line.input.taxes.map((rate, taxIndex) => ({
      code: rate.code,
      ratePpm: rate.ratePpm,
      tax: toSafeNumber(split.taxes[taxIndex] ?? 0n, `${field}.taxes[${taxIndex}].tax`),
    }));
    const tax = sum(split.taxes);
    const priced: PricedLine = {
      id: line.input.id,
      unitPrice: line.input.unitPrice,
      quantity: line.input.quantity,
      ...(line.input.discount === undefined ? {} : { discount: line.input.discount }),
      taxRates: line.input.taxes.map((rate) => ({ code: rate.code, ratePpm: rate.ratePpm })),
      extended: toSafeNumber(line.extended, `${field}.extended`),
      lineDiscount: toSafeNumber(line.lineDiscount, `${field}.lineDiscount`),
      cartDiscount: toSafeNumber(share, `${field}.cartDiscount`),
      amount: toSafeNumber(amount, `${field}.amount`),
      net: toSafeNumber(split.net, `${field}.net`),
      tax: toSafeNumber(tax, `${field}.tax`),
      gross: toSafeNumber(split.net + tax, `${field}.gross`),
      taxes,
    };
    return priced;
  });

  const total = (pick: (line: PricedLine) => number, field: string): number =>
    toSafeNumber(sum(lines.map((line) => BigInt(pick(line)))), `totals.${field}`);
  return {
    currency: input.currency,
    exponent,
    pricing: input.pricing,
    rounding: mode,
    ...(input.cartDiscount === undefined ? {} : { cartDiscount: input.cartDiscount }),
    lines,
    totals: {
      extended: total((l) => l.extended, 'extended'),
      lineDiscount: total((l) => l.lineDiscount, 'lineDiscount'),
      cartDiscount: total((l) => l.cartDiscount, 'cartDiscount'),
      discount: total((l) => l.lineDiscount + l.cartDiscount, 'discount'),
      net: total((l) => l.net, 'net'),
      tax: total((l) => l.tax, 'tax'),
      gross: total((l) => l.gross, 'gross'),
    },
    taxSummary: summarizeTaxes(lines),
  };
}

/** The input a priced cart was computed from: pricing it again gives the same cart. */
export function cartInputOf(cart: PricedCart): CartInput {
  return {
    currency: cart.currency,
    pricing: cart.pricing,
    rounding: cart.rounding,
    ...(cart.cartDiscount === undefined ? {} : { cartDiscount: cart.cartDiscount }),
    lines: cart.lines.map((line) => ({
      id: line.id,
      unitPrice: line.unitPrice,
      quantity: line.quantity,
      ...(line.discount === undefined ? {} : { discount: line.discount }),
      taxes: line.taxRates,
    })),
  };
}
