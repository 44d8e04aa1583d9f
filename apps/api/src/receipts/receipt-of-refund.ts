import type { Refund } from '@zakpos/contracts';
import type { ReceiptSale } from '@zakpos/receipt';
import {
  type DocumentReceiptContext,
  footerOf,
  lineUnit,
  receiptStore,
  receiptTenders,
} from './receipt-parts.js';

export interface RefundReceiptContext extends DocumentReceiptContext {
  /** The refunded sale's receipt number as printed; null for a refund without a receipt. */
  originalReceiptNumber: string | null;
}

/**
 * A recorded refund (its view, from the stored rows only) as @zakpos/receipt takes it, marked REFUND:
 * positive magnitudes, every figure as the refund recorded it. Each line shows its share of the sale's
 * discounts (line and cart), which is not handed back; the cash rounding sits on the cash paid back.
 */
export function receiptOfRefund(refund: Refund, ctx: RefundReceiptContext): ReceiptSale {
  const { setting } = ctx;
  return {
    kind: 'refund',
    store: receiptStore(setting),
    registerName: setting.registerName,
    cashierName: setting.cashierName,
    receiptNumber: ctx.receiptNumber,
    ...(ctx.originalReceiptNumber !== null ? { originalReceiptNumber: ctx.originalReceiptNumber } : {}),
    issuedAt: refund.createdAt,
    timeZone: setting.timeZone,
    locale: setting.locale,
    currency: refund.currency,
    lines: refund.lines.map((l) => ({
      name: l.name,
      ...(l.sku !== null ? { sku: l.sku } : {}),
      quantity: l.quantity,
      unit: lineUnit(l.quantity, l.productId, ctx.productUnits),
      unitPrice: l.unitPrice,
      lineDiscount: l.discount,
      lineTotal: l.extended - l.discount,
    })),
    cartDiscount: 0,
    subtotal: refund.totals.extended - refund.totals.discount,
    net: refund.totals.net,
    tax: refund.totals.tax,
    total: refund.totals.gross,
    taxSummary: refund.taxSummary.map((t) => ({
      label: t.code,
      ratePpm: t.ratePpm,
      net: t.taxableNet,
      tax: t.tax,
      gross: t.gross,
    })),
    tenders: receiptTenders(refund.payments, refund.totals.cashRounding, ctx.paymentMethodNames),
    changeDue: 0,
    footerLines: [`Reason: ${refund.reason}`, ...footerOf(ctx.printNumber)],
    code: { symbology: 'code128', value: ctx.receiptNumber },
  };
}
