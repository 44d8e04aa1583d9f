import { z } from 'zod';
import { uuid } from './common.schema.js';
import { endpoint } from './endpoint.js';

const TAG = 'reports';

const int = z.number().int();

/** The longest range one report covers, in days (both ends included). */
export const REPORT_MAX_DAYS = 366;

const DAY_MS = 86_400_000;

/**
 * Every report: `from` and `to` are dates in each store's own time zone, both included (a sale at 23:30 in
 * Paris on the 1st belongs to the 1st); `storeId` one or more stores (repeat the parameter), by default
 * every store the caller may see; `format=csv` (or `Accept: text/csv`) streams the rows as CSV.
 */
export const reportQuery = z
  .strictObject({
    from: z.iso.date(),
    to: z.iso.date(),
    storeId: z.union([uuid, z.array(uuid).min(1).max(100)]).optional(),
    format: z.enum(['json', 'csv']).optional(),
  })
  .superRefine((q, ctx) => {
    const days = (Date.parse(q.to) - Date.parse(q.from)) / DAY_MS;
    if (days < 0) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
    else if (days >= REPORT_MAX_DAYS)
      ctx.addIssue({ code: 'custom', path: ['to'], message: `at most ${REPORT_MAX_DAYS} days after from` });
  });
export type ReportQuery = z.infer<typeof reportQuery>;

export const CSV_MEDIA_TYPE = 'text/csv; charset=utf-8';

/** Completed sales (voided ones are in the voids report) and the refunds made in the same period. */
const salesFigures = {
  salesCount: int,
  /** Line and cart discounts of the sales. */
  discount: int,
  net: int,
  tax: int,
  gross: int,
  refundCount: int,
  refundNet: int,
  refundTax: int,
  refundGross: int,
  /** net − refundNet */
  netAfterRefunds: int,
};

export const reportRows = {
  'sales-by-day': z.object({ date: z.iso.date(), ...salesFigures }),
  'sales-by-hour': z.object({ hour: int.min(0).max(23), ...salesFigures }),
  'sales-by-product': z.object({
    productId: uuid,
    sku: z.string().nullable(),
    name: z.string(),
    /** Thousandths of a unit, as the stock ledger counts. */
    quantity: int,
    discount: int,
    net: int,
    tax: int,
    gross: int,
    cost: int,
    /** net − cost */
    margin: int,
    refundedQuantity: int,
    refundNet: int,
    refundGross: int,
    netAfterRefunds: int,
  }),
  'sales-by-category': z.object({
    /** Null: products without a category. */
    categoryId: uuid.nullable(),
    categoryName: z.string().nullable(),
    quantity: int,
    discount: int,
    net: int,
    tax: int,
    gross: int,
    cost: int,
    margin: int,
    refundedQuantity: int,
    refundNet: int,
    refundGross: int,
    netAfterRefunds: int,
  }),
  'sales-by-cashier': z.object({ cashierId: uuid, cashierName: z.string(), ...salesFigures }),
  'sales-by-payment-method': z.object({
    kind: z.enum(['cash', 'card', 'other']),
    /** The tenant's payment method of an `other` tender. */
    methodCode: z.string().nullable(),
    methodName: z.string().nullable(),
    paymentCount: int,
    /** What stayed with the sales: cash net of change (so including cash rounding). */
    amount: int,
    refundCount: int,
    refunded: int,
    /** amount − refunded */
    netAmount: int,
  }),
  tax: z.object({
    code: z.string(),
    ratePpm: int,
    taxableNet: int,
    tax: int,
    refundTaxableNet: int,
    refundTax: int,
    netTaxableNet: int,
    /** tax − refundTax: what is owed for the period. */
    netTax: int,
  }),
  'gross-margin': z.object({
    date: z.iso.date(),
    net: int,
    cost: int,
    margin: int,
    refundNet: int,
    /** What the restocked refund lines put back into inventory. */
    restockedValue: int,
    netAfterRefunds: int,
    /** cost − restockedValue */
    costAfterRefunds: int,
    /** netAfterRefunds − costAfterRefunds */
    marginAfterRefunds: int,
  }),
  refunds: z.object({
    date: z.iso.date(),
    refundCount: int,
    withoutReceiptCount: int,
    extended: int,
    discount: int,
    net: int,
    tax: int,
    gross: int,
    cashRounding: int,
    paid: int,
    restockedValue: int,
  }),
  discounts: z.object({
    date: z.iso.date(),
    salesCount: int,
    discountedSales: int,
    discountedLines: int,
    lineDiscount: int,
    cartDiscount: int,
    discount: int,
    /** Line and cart discounts a manager approved (beyond the cashier's limit). */
    approvedDiscounts: int,
    /** The discount handed back by refunds (a refunded line's share). */
    refundDiscount: int,
    /** discount − refundDiscount */
    discountAfterRefunds: int,
  }),
  voids: z.object({
    date: z.iso.date(),
    voidedById: uuid,
    voidedByName: z.string(),
    voidCount: int,
    net: int,
    tax: int,
    gross: int,
  }),
} as const;

export type ReportName = keyof typeof reportRows;
export const reportNames = Object.keys(reportRows) as ReportName[];
export type ReportRow<R extends ReportName> = z.infer<(typeof reportRows)[R]>;

const reportOf = <R extends ReportName>(report: R) =>
  z.object({
    report: z.literal(report),
    from: z.iso.date(),
    to: z.iso.date(),
    /** The stores the report covers. */
    storeIds: z.array(uuid),
    currency: z.string(),
    rows: z.array(reportRows[report]),
  });

const reportEndpoint = <R extends ReportName>(report: R, summary: string) =>
  endpoint({
    method: 'GET',
    path: `/reports/${report}`,
    summary,
    tag: TAG,
    access: 'reports.read',
    query: reportQuery,
    response: reportOf(report),
    // The same rows as CSV: a header row, then one line per row, columns as the row's fields.
    alternatives: { [CSV_MEDIA_TYPE]: z.string() },
  });

export const reportEndpoints = {
  salesByDay: reportEndpoint(
    'sales-by-day',
    "Sales by day in each store's time zone: completed sales, and the refunds made that day (netAfterRefunds = net − refundNet)",
  ),
  salesByHour: reportEndpoint(
    'sales-by-hour',
    "Sales by hour of day (0–23) in each store's time zone over the range, with the refunds made in that hour",
  ),
  salesByProduct: reportEndpoint(
    'sales-by-product',
    "Sales by product: quantity, net, tax, cost and margin (net − cost) of completed sales; the product's refunds of the period beside them",
  ),
  salesByCategory: reportEndpoint(
    'sales-by-category',
    'Sales by category as the product had it at the moment of sale; refunds by the category of the line refunded',
  ),
  salesByCashier: reportEndpoint(
    'sales-by-cashier',
    'Sales by cashier; refunds by the cashier who made them (netAfterRefunds = net − refundNet)',
  ),
  salesByPaymentMethod: reportEndpoint(
    'sales-by-payment-method',
    'What each tender took (cash net of change) and what refunds paid back through it (netAmount = amount − refunded)',
  ),
  tax: reportEndpoint(
    'tax',
    'Tax by code and rate: collected on completed sales, handed back by refunds, and the net owed (netTax = tax − refundTax)',
  ),
  grossMargin: reportEndpoint(
    'gross-margin',
    'Gross margin by day: net − cost of completed sales, and after refunds (their net out, their restocked value back into cost)',
  ),
  refunds: reportEndpoint('refunds', 'Refunds by day: counts, figures and what was paid back'),
  discounts: reportEndpoint(
    'discounts',
    'Discounts by day: line and cart discounts of completed sales, those approved by a manager, and the share refunds handed back',
  ),
  voids: reportEndpoint(
    'voids',
    'Voided sales by the day of the void and who voided them (voided sales are left out of every other report)',
  ),
};
