import { hasValidCheckDigit } from './barcode.js';

/** A tenant's weighted-label prefix: `weight` labels carry grams, `price` labels minor units. */
export interface WeightedPrefixRule {
  prefix: string;
  kind: 'weight' | 'price';
}

/** What a scale's EAN-13 label says: PP IIIII VVVVV C. */
export interface WeightedLabel {
  prefix: string;
  kind: 'weight' | 'price';
  /** The 5-digit item code, matched to products.plu. */
  itemCode: string;
  /** Grams for weight labels, minor units for price labels. */
  value: number;
}

const WEIGHTED_PREFIX = /^2[0-9]$/;
const EAN13 = /^[0-9]{13}$/;

/** Only well-formed rules (prefixes 20–29, a known kind); anything else in the setting is ignored. */
export function validPrefixRules(raw: unknown): WeightedPrefixRule[] {
  if (!Array.isArray(raw)) return [];
  return raw.filter(
    (r): r is WeightedPrefixRule =>
      typeof r === 'object' &&
      r !== null &&
      typeof (r as WeightedPrefixRule).prefix === 'string' &&
      WEIGHTED_PREFIX.test((r as WeightedPrefixRule).prefix) &&
      ((r as WeightedPrefixRule).kind === 'weight' || (r as WeightedPrefixRule).kind === 'price'),
  );
}

/**
 * Reads a weighted EAN-13 label under the tenant's prefix rules. Returns null when the code is not
 * a valid EAN-13 or its prefix is not one of the rules (then it is simply not a weighted label).
 */
export function parseWeightedBarcode(
  code: string,
  rules: readonly WeightedPrefixRule[],
): WeightedLabel | null {
  if (!EAN13.test(code) || !hasValidCheckDigit(code)) return null;
  const prefix = code.slice(0, 2);
  const rule = rules.find((r) => r.prefix === prefix);
  if (!rule) return null;
  return { prefix, kind: rule.kind, itemCode: code.slice(2, 7), value: Number(code.slice(7, 12)) };
}

/**
 * The quantity (thousandths: 1000 = 1 kg or one unit) a label stands for. A weight label carries
 * grams, which are thousandths of a kg. A price label carries only the amount, so the quantity is
 * what the scale weighed at the product's unit price, rounded to the gram; a free product counts as one.
 */
export function labelQuantity(label: WeightedLabel, unitPrice: number): number {
  if (label.kind === 'weight') return label.value;
  if (unitPrice <= 0) return 1000;
  return Math.round((label.value * 1000) / unitPrice);
}
