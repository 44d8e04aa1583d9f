import type { RoundingMode } from './money.js';

/** A discount: a percentage in basis points (1000 = 10%) or an amount in minor units. */
export type Discount =
  | { readonly kind: 'percent'; readonly basisPoints: number }
  | { readonly kind: 'amount'; readonly amount: number };

/**
 * One tax rate on a line, in parts per million of the net (200000 = 20%). Not basis points: Quebec QST is 9.975%,
 * 997.5 basis points, and a rate must be an integer; 1 ppm = 0.01 basis point covers every rate in use.
 */
export interface TaxRate {
  /** What the receipt and the tax report group by, e.g. "VAT20", "GST", "QST". */
  readonly code: string;
  readonly ratePpm: number;
}

/** Whether unit prices include the taxes (gross, VAT style) or exclude them (net, North American sales tax). */
export type PricingMode = 'inclusive' | 'exclusive';

export interface CartLineInput {
  readonly id: string;
  /** Minor units per unit, or per kilogram (litre…) for weighed goods; gross if inclusive, net if exclusive. */
  readonly unitPrice: number;
  /** Thousandths of a unit: 1000 is one item, 1234 is 1.234 kg. */
  readonly quantity: number;
  readonly discount?: Discount;
  readonly taxes: readonly TaxRate[];
}

export interface CartInput {
  /** ISO 4217 code; amounts are integers of its minor unit. */
  readonly currency: string;
  readonly pricing: PricingMode;
  /** Rounding of every non-integer intermediate amount; half-up unless said otherwise. */
  readonly rounding?: RoundingMode;
  readonly lines: readonly CartLineInput[];
  readonly cartDiscount?: Discount;
}

export interface LineTax {
  readonly code: string;
  readonly ratePpm: number;
  readonly tax: number;
}

export interface PricedLine {
  readonly id: string;
  readonly unitPrice: number;
  readonly quantity: number;
  readonly discount?: Discount;
  readonly taxRates: readonly TaxRate[];
  /** unitPrice × quantity, rounded once. */
  readonly extended: number;
  readonly lineDiscount: number;
  /** This line's share of the cart discount. */
  readonly cartDiscount: number;
  /** extended − lineDiscount − cartDiscount: the gross (inclusive) or the net (exclusive) the customer pays. */
  readonly amount: number;
  readonly net: number;
  /** Sum of `taxes[].tax`. */
  readonly tax: number;
  /** net + tax, exactly. */
  readonly gross: number;
  readonly taxes: readonly LineTax[];
}

export interface TaxSummaryRow {
  readonly code: string;
  readonly ratePpm: number;
  /** Sum of the nets of the lines that carry this rate. */
  readonly taxableNet: number;
  readonly tax: number;
  /** taxableNet + tax (for a line with two rates, its net appears in both rows). */
  readonly gross: number;
}

export interface CartTotals {
  readonly extended: number;
  readonly lineDiscount: number;
  readonly cartDiscount: number;
  readonly discount: number;
  readonly net: number;
  readonly tax: number;
  readonly gross: number;
}

export interface PricedCart {
  readonly currency: string;
  readonly exponent: number;
  readonly pricing: PricingMode;
  readonly rounding: RoundingMode;
  readonly cartDiscount?: Discount;
  readonly lines: readonly PricedLine[];
  readonly totals: CartTotals;
  readonly taxSummary: readonly TaxSummaryRow[];
}
