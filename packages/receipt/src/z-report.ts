import type { ReceiptStore, TenderKind } from './sale.js';
import { checkInstant, checkSetting, integer, nonNegative, text } from './validate.js';

/**
 * What a register's Z report recorded when its cash session closed, as the printout needs it. Like a sale,
 * every figure is already computed (by the cash report); the printout never recomputes one. Amounts are
 * integers of minor units: positive magnitudes, except the signed cash rounding and over/short.
 */
export interface ZReportTender {
  kind: TenderKind;
  /** Printed instead of the default label for the kind (e.g. the payment method's name). */
  label?: string;
  count: number;
  amount: number;
}

export interface ZReportTax {
  /** e.g. "VAT". */
  label: string;
  /** Parts per million, as @zakpos/pricing. */
  ratePpm: number;
  net: number;
  tax: number;
}

export interface ZReportMovement {
  kind: 'cash_in' | 'cash_out';
  /** The reason as the till recorded it, e.g. "bank_deposit". */
  reason: string;
  count: number;
  amount: number;
}

export interface ZReport {
  store: ReceiptStore;
  registerName: string;
  /** Gapless per register, from 1. */
  zNumber: number;
  /** ISO 8601 instants with an offset or Z. */
  openedAt: string;
  closedAt: string;
  /** IANA time zone of the store. */
  timeZone: string;
  /** BCP 47 locale of the tenant. */
  locale: string;
  /** ISO 4217 code. */
  currency: string;
  /** Completed sales; `cashRounding` is signed. */
  sales: {
    count: number;
    extended: number;
    discount: number;
    net: number;
    tax: number;
    gross: number;
    cashRounding: number;
  };
  salesByTender: ZReportTender[];
  taxes: ZReportTax[];
  refunds: { count: number; net: number; tax: number; gross: number; paid: number };
  refundsByTender: ZReportTender[];
  refundTaxes: ZReportTax[];
  voids: { count: number; gross: number };
  cashMovements: { cashIn: number; cashOut: number; byReason: ZReportMovement[] };
  cash: {
    openingFloat: number;
    sales: number;
    refunds: number;
    cashIn: number;
    cashOut: number;
    expected: number;
    /** Null when the till was closed without a count. */
    counted: number | null;
    overShort: number | null;
  };
  footerLines: string[];
}

function tenders(list: ZReportTender[], field: string): void {
  list.forEach((t, i) => {
    nonNegative(t.count, `${field}[${i}].count`);
    nonNegative(t.amount, `${field}[${i}].amount`);
  });
}

function taxes(list: ZReportTax[], field: string): void {
  list.forEach((t, i) => {
    text(t.label, `${field}[${i}].label`);
    nonNegative(t.ratePpm, `${field}[${i}].ratePpm`);
    integer(t.net, `${field}[${i}].net`);
    integer(t.tax, `${field}[${i}].tax`);
  });
}

function nonNegatives(values: Record<string, number>, field: string): void {
  for (const [key, value] of Object.entries(values)) nonNegative(value, `${field}.${key}`);
}

/** Rejects what no Z report can be printed from: shapes and signs only, like validateSale. */
export function validateZReport(z: ZReport): void {
  text(z.store.name, 'store.name');
  text(z.registerName, 'registerName');
  nonNegative(z.zNumber, 'zNumber');
  checkSetting(z);
  checkInstant(z.openedAt, 'openedAt');
  checkInstant(z.closedAt, 'closedAt');
  const { cashRounding, ...sales } = z.sales;
  nonNegatives(sales, 'sales');
  integer(cashRounding, 'sales.cashRounding');
  tenders(z.salesByTender, 'salesByTender');
  taxes(z.taxes, 'taxes');
  nonNegatives(z.refunds, 'refunds');
  tenders(z.refundsByTender, 'refundsByTender');
  taxes(z.refundTaxes, 'refundTaxes');
  nonNegatives(z.voids, 'voids');
  const { byReason, ...movements } = z.cashMovements;
  nonNegatives(movements, 'cashMovements');
  byReason.forEach((m, i) => {
    text(m.reason, `cashMovements.byReason[${i}].reason`);
    nonNegative(m.count, `cashMovements.byReason[${i}].count`);
    nonNegative(m.amount, `cashMovements.byReason[${i}].amount`);
  });
  const { expected, counted, overShort, ...cash } = z.cash;
  nonNegatives(cash, 'cash');
  // The expected cash can go below zero (more paid out than came in); it is printed as it was.
  integer(expected, 'cash.expected');
  if (counted !== null) nonNegative(counted, 'cash.counted');
  if (overShort !== null) integer(overShort, 'cash.overShort');
}
