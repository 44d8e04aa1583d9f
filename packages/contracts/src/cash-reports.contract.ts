import { z } from 'zod';
import { idParams, page, pageQuery, uuid } from './common.schema.js';
import { endpoint } from './endpoint.js';

const TAG = 'cash';

const int = z.number().int();

const tenderTotal = z.object({
  kind: z.enum(['cash', 'card', 'other']),
  /** The payment method of an `other` tender. */
  methodCode: z.string().nullable(),
  count: int,
  amount: int,
});

const taxTotal = z.object({ code: z.string(), ratePpm: int, taxableNet: int, tax: int });

/**
 * A register's shift in figures. X: read while the session is open (or after), never stored. Z: taken
 * once when the session closes, numbered per register without gaps, stored as it was.
 */
export const cashReport = z.object({
  kind: z.enum(['X', 'Z']),
  /** The Z number, gapless per register; null for an X report. */
  number: int.nullable(),
  cashSessionId: uuid,
  storeId: uuid,
  registerId: uuid,
  currency: z.string(),
  openedAt: z.string(),
  closedAt: z.string().nullable(),
  generatedAt: z.string(),
  /** Completed sales (voided ones are under `voids`). */
  sales: z.object({
    count: int,
    extended: int,
    discount: int,
    net: int,
    tax: int,
    gross: int,
    /** What cash rounding added (> 0) or forgave (< 0). */
    cashRounding: int,
  }),
  /** What the completed sales took, by tender (cash net of change). */
  salesByTender: z.array(tenderTotal),
  /** Tax of the completed sales by rate. */
  taxes: z.array(taxTotal),
  /** Refunds made on this register in the session. */
  refunds: z.object({ count: int, net: int, tax: int, gross: int, paid: int }),
  /** What the refunds paid back, by tender. */
  refundsByTender: z.array(tenderTotal),
  /** Tax handed back by the refunds, by rate. */
  refundTaxes: z.array(taxTotal),
  voids: z.object({ count: int, gross: int }),
  cashMovements: z.object({
    cashIn: int,
    cashOut: int,
    byReason: z.array(
      z.object({ kind: z.enum(['cash_in', 'cash_out']), reasonCode: z.string(), count: int, amount: int }),
    ),
  }),
  cash: z.object({
    openingFloat: int,
    /** Cash kept by the sales. */
    sales: int,
    /** Cash paid back by the refunds. */
    refunds: int,
    cashIn: int,
    cashOut: int,
    /** openingFloat + sales − refunds + cashIn − cashOut. */
    expected: int,
    /** Null until counted at closing. */
    counted: int.nullable(),
    overShort: int.nullable(),
  }),
});
export type CashReport = z.infer<typeof cashReport>;

export const cashReportEndpoints = {
  getXReport: endpoint({
    method: 'GET',
    path: '/cash-sessions/:id/x-report',
    summary: 'The X report of a cash session: its figures now (read only, never stored)',
    tag: TAG,
    access: 'cash.session',
    params: idParams,
    response: cashReport,
  }),
  getZReport: endpoint({
    method: 'GET',
    path: '/cash-sessions/:id/z-report',
    summary: 'The Z report taken when the session closed (404 while it is open)',
    tag: TAG,
    access: 'cash.session',
    params: idParams,
    response: cashReport,
  }),
  listZReports: endpoint({
    method: 'GET',
    path: '/registers/:id/z-reports',
    summary: "A register's Z reports, newest first, cursor-paginated",
    tag: TAG,
    access: 'cash.session',
    params: idParams,
    query: pageQuery,
    response: page(cashReport),
  }),
};
