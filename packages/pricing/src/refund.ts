import { PricingError } from './errors.js';
import { divRound, readCount, sum, toSafeNumber, type RoundingMode } from './money.js';
import { summarizeTaxes } from './tax.js';
import type { LineTax, PricedCart, PricedLine, TaxSummaryRow } from './types.js';

export interface RefundRequestLine {
  readonly lineId: string;
  /** Thousandths, like the sale's quantity. */
  readonly quantity: number;
}

export interface RefundLine {
  readonly lineId: string;
  readonly quantity: number;
  readonly extended: number;
  /** The share of the line and cart discounts the customer got on these units (not handed back). */
  readonly discount: number;
  readonly net: number;
  readonly taxes: readonly LineTax[];
  readonly tax: number;
  /** net + tax: what the customer gets back for these units. */
  readonly gross: number;
}

export interface RefundTotals {
  readonly extended: number;
  readonly discount: number;
  readonly net: number;
  readonly tax: number;
  readonly gross: number;
}

export interface RefundResult {
  readonly currency: string;
  readonly lines: readonly RefundLine[];
  readonly totals: RefundTotals;
  readonly taxSummary: readonly TaxSummaryRow[];
}

/**
 * The share of `total` that belongs to the first `refunded` of `sold` units: round(total × refunded / sold).
 * A refund step takes share(after) − share(before), so the steps telescope: refunding every unit, in any number
 * of steps of any size, hands back exactly `total`, and each step is >= 0 because the share never decreases.
 */
function cumulativeShare(total: number, refunded: bigint, sold: bigint, mode: RoundingMode): bigint {
  return divRound(BigInt(total) * refunded, sold, mode);
}

function stepShare(total: number, before: bigint, after: bigint, sold: bigint, mode: RoundingMode): bigint {
  return cumulativeShare(total, after, sold, mode) - cumulativeShare(total, before, sold, mode);
}

/**
 * Refunds some units of some lines of a priced sale, given the refunds already made on it. Each figure (discount,
 * net, every tax) is the proportional share of the sale line's recorded figure, with the sale's rounding mode,
 * on cumulative quantities (see `cumulativeShare`); gross = net + taxes and extended = amount + discount are
 * derived, so the line identities of the sale hold on every refund line.
 * Refusals: more units than sold, counting earlier refunds (REFUND_EXCEEDS_SALE); all refunds together handing
 * back more than the sale's gross (REFUND_EXCEEDS_PAID, only reachable with altered earlier refunds).
 */
export function computeRefund(
  sale: PricedCart,
  request: readonly RefundRequestLine[],
  previous: readonly RefundResult[] = [],
): RefundResult {
  const saleLines = new Map<string, PricedLine>(sale.lines.map((line) => [line.id, line]));
  const alreadyRefunded = new Map<string, bigint>();
  previous.forEach((refund, refundIndex) => {
    refund.lines.forEach((line, lineIndex) => {
      if (!saleLines.has(line.lineId)) {
        throw new PricingError(
          'UNKNOWN_LINE',
          `previous[${refundIndex}].lines[${lineIndex}].lineId`,
          `no sale line "${line.lineId}"`,
        );
      }
      alreadyRefunded.set(line.lineId, (alreadyRefunded.get(line.lineId) ?? 0n) + BigInt(line.quantity));
    });
  });

  const requested = new Set<string>();
  const lines: RefundLine[] = request.map((entry, index) => {
    const field = `lines[${index}]`;
    const line = saleLines.get(entry.lineId);
    if (line === undefined)
      throw new PricingError('UNKNOWN_LINE', `${field}.lineId`, `no sale line "${entry.lineId}"`);
    if (requested.has(entry.lineId)) {
      throw new PricingError('DUPLICATE_LINE', `${field}.lineId`, `line "${entry.lineId}" repeats`);
    }
    requested.add(entry.lineId);
    const quantity = readCount(entry.quantity, `${field}.quantity`, 'INVALID_QUANTITY');
    if (quantity === 0n)
      throw new PricingError('INVALID_QUANTITY', `${field}.quantity`, 'must be at least 1');
    const sold = BigInt(line.quantity);
    const before = alreadyRefunded.get(entry.lineId) ?? 0n;
    const after = before + quantity;
    if (after > sold) {
      throw new PricingError(
        'REFUND_EXCEEDS_SALE',
        `${field}.quantity`,
        `refunding ${quantity} of line "${entry.lineId}" would refund ${after} of the ${sold} sold`,
      );
    }
    const share = (total: number): bigint => stepShare(total, before, after, sold, sale.rounding);
    const discount = share(line.lineDiscount + line.cartDiscount);
    const net = share(line.net);
    const taxAmounts = line.taxes.map((tax) => share(tax.tax));
    const tax = sum(taxAmounts);
    const gross = net + tax;
    const amount = sale.pricing === 'exclusive' ? net : gross;
    return {
      lineId: entry.lineId,
      quantity: Number(quantity),
      extended: toSafeNumber(amount + discount, `${field}.extended`),
      discount: Number(discount),
      net: Number(net),
      taxes: line.taxes.map((rate, taxIndex) => ({
        code: rate.code,
        ratePpm: rate.ratePpm,
        tax: Number(taxAmounts[taxIndex] ?? 0n),
      })),
      tax: Number(tax),
      gross: Number(gross),
    };
  });

  const total = (pick: (line: RefundLine) => number): number =>
    Number(sum(lines.map((line) => BigInt(pick(line)))));
  const totals: RefundTotals = {
    extended: total((l) => l.extended),
    discount: total((l) => l.discount),
    net: total((l) => l.net),
    tax: total((l) => l.tax),
    gross: total((l) => l.gross),
  };
  const refundedBefore = sum(previous.map((refund) => BigInt(refund.totals.gross)));
  if (refundedBefore + BigInt(totals.gross) > BigInt(sale.totals.gross)) {
    throw new PricingError(
      'REFUND_EXCEEDS_PAID',
      'lines',
      `refunds would total ${refundedBefore + BigInt(totals.gross)}, more than the ${sale.totals.gross} paid`,
    );
  }
  return { currency: sale.currency, lines, totals, taxSummary: summarizeTaxes(lines) };
}
