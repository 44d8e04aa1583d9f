import { createFormatters } from './format.js';
import { resolveLabels, type ReceiptLabelOverrides } from './labels.js';
import type { CodeSymbology, ReceiptKind, ReceiptSale } from './sale.js';
import { validateSale } from './validate.js';

/** A label and its formatted value, one row of the receipt. */
export interface ReceiptRow {
  label: string;
  value: string;
}

export interface ReceiptModelLine {
  name: string;
  /** "SKU 4006381333931", or null. */
  sku: string | null;
  /** "2 x $3.50" or "0.450 kg x $12.90", or null for a single item. */
  detail: string | null;
  /** The line discount row, or null when there is none. */
  discount: ReceiptRow | null;
  total: string;
}

export interface ReceiptModelTax {
  /** "VAT 8.1%" */
  label: string;
  tax: string;
  /** "Net CHF 100.00, Gross CHF 108.10" */
  detail: string;
}

export interface ReceiptModelTender {
  row: ReceiptRow;
  rounding: ReceiptRow | null;
}

/** Everything a renderer needs, every cell already a formatted string. */
export interface ReceiptModel {
  kind: ReceiptKind;
  locale: string;
  /** "REFUND" / "VOID", or null for a sale. */
  mark: string | null;
  storeName: string;
  addressLines: string[];
  /** "Tax ID CHE-123.456.789 MWST", or null. */
  taxId: string | null;
  /** Receipt number, date, register, cashier, and the original receipt of a refund. */
  meta: ReceiptRow[];
  lines: ReceiptModelLine[];
  /** Subtotal, cart discount (when any), net, tax, total: the last one is the grand total. */
  totals: ReceiptRow[];
  taxes: ReceiptModelTax[];
  tenders: ReceiptModelTender[];
  change: ReceiptRow | null;
  footer: string[];
  code: { symbology: CodeSymbology; value: string } | null;
}

export interface BuildReceiptOptions {
  /** Words in the tenant's language; English where not given. */
  labels?: ReceiptLabelOverrides;
}

/** Validates the sale and formats every figure; it never recomputes one. */
export function buildReceipt(sale: ReceiptSale, options: BuildReceiptOptions = {}): ReceiptModel {
  validateSale(sale);
  const labels = resolveLabels(options.labels);
  const f = createFormatters(sale.locale, sale.currency, sale.timeZone);

  const meta: ReceiptRow[] = [
    { label: labels.receipt, value: sale.receiptNumber },
    { label: labels.date, value: f.dateTime(sale.issuedAt) },
    { label: labels.register, value: sale.registerName },
    { label: labels.cashier, value: sale.cashierName },
  ];
  if (sale.kind === 'refund' && sale.originalReceiptNumber) {
    meta.push({ label: labels.originalReceipt, value: sale.originalReceiptNumber });
  }

  const lines = sale.lines.map((line): ReceiptModelLine => {
    const single = line.unit === 'each' && line.quantity === 1000;
    return {
      name: line.name,
      sku: line.sku ? `${labels.sku} ${line.sku}` : null,
      detail: single ? null : `${f.quantity(line.quantity, line.unit)} x ${f.money(line.unitPrice)}`,
      discount:
        line.lineDiscount > 0 ? { label: labels.discount, value: f.reduction(line.lineDiscount) } : null,
      total: f.money(line.lineTotal),
    };
  });

  const totals: ReceiptRow[] = [{ label: labels.subtotal, value: f.money(sale.subtotal) }];
  if (sale.cartDiscount > 0) {
    totals.push({ label: labels.cartDiscount, value: f.reduction(sale.cartDiscount) });
  }
  totals.push(
    { label: labels.net, value: f.money(sale.net) },
    { label: labels.tax, value: f.money(sale.tax) },
    { label: labels.total, value: f.money(sale.total) },
  );

  const taxes = sale.taxSummary.map((rate): ReceiptModelTax => ({
    label: `${rate.label} ${f.rate(rate.ratePpm)}`,
    tax: f.money(rate.tax),
    detail: `${labels.net} ${f.money(rate.net)}, ${labels.gross} ${f.money(rate.gross)}`,
  }));

  const tenders = sale.tenders.map((tender): ReceiptModelTender => ({
    row: { label: tender.label ?? labels.tenders[tender.kind], value: f.money(tender.amount) },
    rounding:
      tender.cashRoundingAdjustment !== 0
        ? { label: labels.rounding, value: f.signed(tender.cashRoundingAdjustment) }
        : null,
  }));

  const hasCash = sale.tenders.some((tender) => tender.kind === 'cash');
  return {
    kind: sale.kind,
    locale: sale.locale,
    mark: sale.kind === 'refund' ? labels.refundMark : sale.kind === 'void' ? labels.voidMark : null,
    storeName: sale.store.name,
    addressLines: [...sale.store.addressLines],
    taxId: sale.store.taxId ? `${labels.taxId} ${sale.store.taxId}` : null,
    meta,
    lines,
    totals,
    taxes,
    tenders,
    change: sale.changeDue > 0 || hasCash ? { label: labels.change, value: f.money(sale.changeDue) } : null,
    footer: [...sale.footerLines],
    code: sale.code ? { ...sale.code } : null,
  };
}
