import type { Sale } from '@zakpos/contracts';
import type { ReceiptSale } from '@zakpos/receipt';
import {
  type DocumentReceiptContext,
  footerOf,
  lineUnit,
  receiptStore,
  receiptTenders,
} from './receipt-parts.js';

export type SaleReceiptContext = DocumentReceiptContext;

/**
 * A recorded sale (its view, built from the stored rows only) as @zakpos/receipt takes it: every figure is
 * the one the checkout recorded, never computed again. Amounts are kept apart as recorded: the lines are
 * shown after their own discounts, the cart discount below their subtotal.
 */
export function receiptOfSale(sale: Sale, ctx: SaleReceiptContext): ReceiptSale {
  const { setting } = ctx;
  return {
    kind: sale.status === 'voided' ? 'void' : 'sale',
    store: receiptStore(setting),
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
      unit: lineUnit(l.quantity, l.productId, ctx.productUnits),
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
    tenders: receiptTenders(sale.payments, sale.totals.cashRounding, ctx.paymentMethodNames),
    changeDue: sale.totals.change,
    footerLines: footerOf(ctx.printNumber),
    code: { symbology: 'code128', value: ctx.receiptNumber },
  };
}
