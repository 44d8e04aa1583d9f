import { createFormatters } from './format.js';
import { resolveZReportLabels, type ZReportLabelOverrides } from './labels.js';
import type { ReceiptRow } from './model.js';
import { validateZReport, type ZReport, type ZReportTax, type ZReportTender } from './z-report.js';

/** One row of a Z report section; an indented detail row has an empty value. */
export interface ZReportModelRow extends ReceiptRow {
  bold: boolean;
}

export interface ZReportSection {
  title: string;
  rows: ZReportModelRow[];
}

/** Everything a renderer needs to print a Z report, every cell already a formatted string. */
export interface ZReportModel {
  locale: string;
  /** "Z REPORT" */
  mark: string;
  storeName: string;
  addressLines: string[];
  taxId: string | null;
  /** Z number, register, opened, closed. */
  meta: ReceiptRow[];
  /** Sales, tenders, taxes, refunds (with their tenders and taxes when any), voids, cash movements, cash. */
  sections: ZReportSection[];
  footer: string[];
}

export interface BuildZReportOptions {
  labels?: ZReportLabelOverrides;
}

const row = (label: string, value: string, bold = false): ZReportModelRow => ({ label, value, bold });

/** Validates the Z report and formats every figure; it never recomputes one. */
export function buildZReport(z: ZReport, options: BuildZReportOptions = {}): ZReportModel {
  validateZReport(z);
  const labels = resolveZReportLabels(options.labels);
  const f = createFormatters(z.locale, z.currency, z.timeZone);
  const none = [row(labels.none, '')];

  const tenderRows = (list: ZReportTender[]) =>
    list.length === 0
      ? none
      : list.map((t) => row(`${t.label ?? labels.tenderKinds[t.kind]} (${t.count})`, f.money(t.amount)));
  const taxRows = (list: ZReportTax[]) =>
    list.length === 0
      ? none
      : list.flatMap((t) => [
          row(`${t.label} ${f.rate(t.ratePpm)}`, f.money(t.tax)),
          row(`  ${labels.net} ${f.money(t.net)}`, ''),
        ]);

  const sales = [
    row(labels.count, String(z.sales.count)),
    row(labels.extended, f.money(z.sales.extended)),
    row(labels.discount, f.reduction(z.sales.discount)),
    row(labels.net, f.money(z.sales.net)),
    row(labels.tax, f.money(z.sales.tax)),
    row(labels.gross, f.money(z.sales.gross), true),
    ...(z.sales.cashRounding !== 0 ? [row(labels.rounding, f.signed(z.sales.cashRounding))] : []),
  ];
  const refunds = [
    row(labels.count, String(z.refunds.count)),
    row(labels.net, f.money(z.refunds.net)),
    row(labels.tax, f.money(z.refunds.tax)),
    row(labels.gross, f.money(z.refunds.gross)),
    row(labels.paidBack, f.money(z.refunds.paid), true),
  ];
  const movements = [
    row(labels.cashIn, f.money(z.cashMovements.cashIn)),
    ...z.cashMovements.byReason
      .filter((m) => m.kind === 'cash_in')
      .map((m) => row(`  ${m.reason} (${m.count})`, f.money(m.amount))),
    row(labels.cashOut, f.reduction(z.cashMovements.cashOut)),
    ...z.cashMovements.byReason
      .filter((m) => m.kind === 'cash_out')
      .map((m) => row(`  ${m.reason} (${m.count})`, f.reduction(m.amount))),
  ];
  const cash = [
    row(labels.openingFloat, f.money(z.cash.openingFloat)),
    row(labels.cashSales, f.money(z.cash.sales)),
    row(labels.cashRefunds, f.reduction(z.cash.refunds)),
    row(labels.cashIn, f.money(z.cash.cashIn)),
    row(labels.cashOut, f.reduction(z.cash.cashOut)),
    row(labels.expected, f.money(z.cash.expected), true),
    row(labels.counted, z.cash.counted === null ? labels.notCounted : f.money(z.cash.counted)),
    ...(z.cash.overShort === null ? [] : [row(labels.overShort, f.signed(z.cash.overShort), true)]),
  ];

  return {
    locale: z.locale,
    mark: labels.mark,
    storeName: z.store.name,
    addressLines: [...z.store.addressLines],
    taxId: z.store.taxId ? `${labels.taxId} ${z.store.taxId}` : null,
    meta: [
      { label: labels.zNumber, value: String(z.zNumber) },
      { label: labels.register, value: z.registerName },
      { label: labels.opened, value: f.dateTime(z.openedAt) },
      { label: labels.closed, value: f.dateTime(z.closedAt) },
    ],
    sections: [
      { title: labels.sales, rows: sales },
      { title: labels.tenders, rows: tenderRows(z.salesByTender) },
      { title: labels.taxes, rows: taxRows(z.taxes) },
      { title: labels.refunds, rows: refunds },
      ...(z.refundsByTender.length > 0
        ? [{ title: labels.refundTenders, rows: tenderRows(z.refundsByTender) }]
        : []),
      ...(z.refundTaxes.length > 0 ? [{ title: labels.refundTaxes, rows: taxRows(z.refundTaxes) }] : []),
      {
        title: labels.voids,
        rows: [row(labels.count, String(z.voids.count)), row(labels.gross, f.money(z.voids.gross))],
      },
      { title: labels.cashMovements, rows: movements },
      { title: labels.cash, rows: cash },
    ],
    footer: [...z.footerLines],
  };
}
