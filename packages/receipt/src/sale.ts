/**
 * What a sale recorded, as the receipt needs it. Every figure is already computed (by the sales engine);
 * the receipt prints them and never recomputes. Amounts are integers in the currency's minor units;
 * quantities are integers of thousandths (1 each = 1000, 0.450 kg = 450).
 *
 * Refunds and voids carry positive magnitudes like a sale; `kind` tells the receipt to mark them.
 */
export type ReceiptKind = 'sale' | 'refund' | 'void';
export type QuantityUnit = 'each' | 'kg';
export type TenderKind = 'cash' | 'card' | 'gift_card' | 'voucher' | 'other';
export type CodeSymbology = 'code128' | 'qr';

export interface ReceiptStore {
  name: string;
  addressLines: string[];
  taxId?: string;
}

export interface ReceiptSaleLine {
  name: string;
  sku?: string;
  /** Integer thousandths of the unit. */
  quantity: number;
  unit: QuantityUnit;
  /** Price of one unit (one item or one kg), minor units. */
  unitPrice: number;
  /** Discount on this line, a non-negative magnitude in minor units (0 when none). */
  lineDiscount: number;
  /** What the line costs after its discount, minor units. */
  lineTotal: number;
}

export interface ReceiptTaxRate {
  /** e.g. "VAT", "GST". */
  label: string;
  /** Parts per million, as @zakpos/pricing: 81000 = 8.1 %, 99750 = 9.975 %. */
  ratePpm: number;
  net: number;
  tax: number;
  gross: number;
}

export interface ReceiptTender {
  kind: TenderKind;
  /** Printed instead of the default label for the kind (e.g. "Visa •••• 4242"). */
  label?: string;
  amount: number;
  /** Cash rounding applied to this tender, signed minor units (0 when none). */
  cashRoundingAdjustment: number;
}

export interface ReceiptSale {
  kind: ReceiptKind;
  store: ReceiptStore;
  registerName: string;
  cashierName: string;
  receiptNumber: string;
  /** Receipt number of the sale being refunded; omitted for a refund without a receipt. */
  originalReceiptNumber?: string;
  /** ISO 8601 instant with an offset or Z, e.g. 2026-11-22T07:40:00Z. */
  issuedAt: string;
  /** IANA time zone of the store, e.g. Europe/Zurich. */
  timeZone: string;
  /** BCP 47 locale of the tenant, e.g. de-CH. */
  locale: string;
  /** ISO 4217 code, e.g. CHF. */
  currency: string;
  lines: ReceiptSaleLine[];
  /** Cart-level discount, a non-negative magnitude (0 when none). */
  cartDiscount: number;
  subtotal: number;
  net: number;
  tax: number;
  total: number;
  taxSummary: ReceiptTaxRate[];
  tenders: ReceiptTender[];
  changeDue: number;
  footerLines: string[];
  /** What the barcode or QR code encodes (normally the receipt number); omit for none. */
  code?: { symbology: CodeSymbology; value: string };
}
