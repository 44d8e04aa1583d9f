import type { CashReport } from '@zakpos/contracts';
import type { ZReport, ZReportTax, ZReportTender } from '@zakpos/receipt';
import { receiptStore } from './receipt-parts.js';
import type { RegisterSetting } from './receipt.repository.js';

type TenderTotal = CashReport['salesByTender'][number];
type TaxTotal = CashReport['taxes'][number];

/**
 * A stored Z report (the cash report taken when the session closed) as @zakpos/receipt prints it: every
 * figure as it was stored, never read again from the sales.
 */
export function receiptOfZReport(
  report: CashReport & { number: number; closedAt: string },
  ctx: { setting: RegisterSetting; paymentMethodNames: Map<string, string> },
): ZReport {
  const tenders = (list: TenderTotal[]) =>
    list.map((t): ZReportTender => ({
      kind: t.kind,
      ...(t.kind === 'other' && t.methodCode !== null
        ? { label: ctx.paymentMethodNames.get(t.methodCode) ?? t.methodCode }
        : {}),
      count: t.count,
      amount: t.amount,
    }));
  const taxes = (list: TaxTotal[]) =>
    list.map((t): ZReportTax => ({ label: t.code, ratePpm: t.ratePpm, net: t.taxableNet, tax: t.tax }));
  const { sales, cash } = report;
  return {
    store: receiptStore(ctx.setting),
    registerName: ctx.setting.registerName,
    zNumber: report.number,
    openedAt: report.openedAt,
    closedAt: report.closedAt,
    timeZone: ctx.setting.timeZone,
    locale: ctx.setting.locale,
    currency: report.currency,
    sales: {
      count: sales.count,
      extended: sales.extended,
      discount: sales.discount,
      net: sales.net,
      tax: sales.tax,
      gross: sales.gross,
      cashRounding: sales.cashRounding,
    },
    salesByTender: tenders(report.salesByTender),
    taxes: taxes(report.taxes),
    refunds: { ...report.refunds },
    refundsByTender: tenders(report.refundsByTender),
    refundTaxes: taxes(report.refundTaxes),
    voids: { ...report.voids },
    cashMovements: {
      cashIn: report.cashMovements.cashIn,
      cashOut: report.cashMovements.cashOut,
      byReason: report.cashMovements.byReason.map((m) => ({
        kind: m.kind,
        reason: m.reasonCode,
        count: m.count,
        amount: m.amount,
      })),
    },
    cash: { ...cash },
    footerLines: [],
  };
}
