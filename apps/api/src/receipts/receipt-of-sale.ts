import type { Sale } from '@zakpos/contracts';
import type { ReceiptSale, ReceiptTender } from '@zakpos/receipt';
import type { ReceiptSetting } from './receipt.repository.js';

/** What a receipt needs beyond the sale's own rows, read when it is printed. */
export interface SaleReceiptContext {
  setting: ReceiptSetting;
  /** The receipt number as the first print showed it (receipt-number.ts). */
  receiptNumber: string;
  /** 1 for the original, 2 for the first copy... */
  printNumber: number;
  paymentMethodNames: Map<string, string>;
  productUnits: Map<string, 'each' | 'kg'>;
}

/** The footer line of every print after the first. */
export const copyLine = (printNumber: number) => `COPY ${printNumber - 1} (REPRINT)`;

/**
 * A recorded sale (its view, built from the stored rows only) as @zakpos/receipt takes it: every figure is
 * the one the checkout recorded, never computed again. Amounts are kept apart as recorded: the lines are
 * shown after their own discounts, the cart discount below their subtotal.
 */
export function receiptOfSale(sale: Sale, ctx: SaleReceiptContext): ReceiptSale {
  const { setting } = ctx;
  // The cash rounding belongs to the (last) cash tender: it is what cash paid beyond, or short of, the total.
  const lastCash = sale.payments.map((p) => p.kind).lastIndexOf('cash');
  const tenders = sale.payments.map((p, i): ReceiptTender => ({
    kind: p.kind,
    ...(p.kind === 'other' && p.methodCode !== null
      ? { label: ctx.paymentMethodNames.get(p.methodCode) ?? p.methodCode }
      : {}),
    amount: p.amount,
    cashRoundingAdjustment: i === lastCash ? sale.totals.cashRounding : 0,
  }));
  return {
    kind: sale.status === 'voided' ? 'void' : 'sale',
    store: {
      name: setting.storeName,
      addressLines: (setting.storeAddress ?? '')
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line !== ''),
    },
    registerName: setting.registerName,
    cashierName: setting.cashierName,
    receiptNumber: ctx.receiptNumber,
    issuedAt: sale.createdAt,
    timeZone: setting.timeZone,
    locale: setting.locale,
    currency: sale.currency,
    lines: sale.lines.map((l) => ({
      name: l.name,
      ...(l.sku !== null ? { sku: l.sku } : {}),
      quantity: l.quantity,
      // A part of a unit is a weight whatever the product says today.
      unit: l.quantity % 1000 !== 0 ? 'kg' : (ctx.productUnits.get(l.productId) ?? 'each'),
      unitPrice: l.unitPrice,
      lineDiscount: l.lineDiscount,
      lineTotal: l.extended - l.lineDiscount,
    })),
    cartDiscount: sale.totals.cartDiscount,
    subtotal: sale.totals.extended - sale.totals.lineDiscount,
    net: sale.totals.net,
    tax: sale.totals.tax,
    total: sale.totals.gross,
    taxSummary: sale.taxSummary.map((t) => ({
      label: t.code,
      ratePpm: t.ratePpm,
      net: t.taxableNet,
      tax: t.tax,
      gross: t.gross,
    })),
    tenders,
    changeDue: sale.totals.change,
    footerLines: ctx.printNumber > 1 ? [copyLine(ctx.printNumber)] : [],
    code: { symbology: 'code128', value: ctx.receiptNumber },
  };
}
