import type { ZReport } from '../z-report.js';

/** Z reports the golden tests print. Figures are as a cash report would have recorded them. */

/** de-CH / CHF: a day with sales by three tenders, a refund, a void, movements, counted 0.50 short. */
export const shortDay: ZReport = {
  store: {
    name: 'Quartierladen Oerlikon',
    addressLines: ['Bahnhofstrasse 1', '8050 Zürich'],
    taxId: 'CHE-123.456.789 MWST',
  },
  registerName: 'Kasse 1',
  zNumber: 42,
  openedAt: '2026-11-22T07:00:00Z',
  closedAt: '2026-11-22T17:45:00Z',
  timeZone: 'Europe/Zurich',
  locale: 'de-CH',
  currency: 'CHF',
  sales: {
    count: 12,
    extended: 45210,
    discount: 1210,
    net: 42000,
    tax: 2000,
    gross: 44000,
    cashRounding: -3,
  },
  salesByTender: [
    { kind: 'cash', count: 7, amount: 20497 },
    { kind: 'card', count: 4, amount: 18500 },
    { kind: 'other', label: 'Gift voucher', count: 1, amount: 5000 },
  ],
  taxes: [
    { label: 'MWST', ratePpm: 26000, net: 30000, tax: 780 },
    { label: 'MWST', ratePpm: 81000, net: 12000, tax: 1220 },
  ],
  refunds: { count: 1, net: 975, tax: 25, gross: 1000, paid: 1000 },
  refundsByTender: [{ kind: 'cash', count: 1, amount: 1000 }],
  refundTaxes: [{ label: 'MWST', ratePpm: 26000, net: 975, tax: 25 }],
  voids: { count: 1, gross: 1250 },
  cashMovements: {
    cashIn: 5000,
    cashOut: 12000,
    byReason: [
      { kind: 'cash_in', reason: 'float_top_up', count: 1, amount: 5000 },
      { kind: 'cash_out', reason: 'bank_deposit', count: 1, amount: 10000 },
      { kind: 'cash_out', reason: 'supplier', count: 2, amount: 2000 },
    ],
  },
  cash: {
    openingFloat: 20000,
    sales: 20497,
    refunds: 1000,
    cashIn: 5000,
    cashOut: 12000,
    expected: 32497,
    counted: 32447,
    overShort: -50,
  },
  footerLines: [],
};

/** en-US / USD: a shift with no sales at all, closed without a count. */
export const emptyShift: ZReport = {
  store: { name: 'Corner Market', addressLines: ['12 Main St'] },
  registerName: 'Till 2',
  zNumber: 1,
  openedAt: '2026-11-22T14:00:00Z',
  closedAt: '2026-11-22T14:05:00Z',
  timeZone: 'America/Chicago',
  locale: 'en-US',
  currency: 'USD',
  sales: { count: 0, extended: 0, discount: 0, net: 0, tax: 0, gross: 0, cashRounding: 0 },
  salesByTender: [],
  taxes: [],
  refunds: { count: 0, net: 0, tax: 0, gross: 0, paid: 0 },
  refundsByTender: [],
  refundTaxes: [],
  voids: { count: 0, gross: 0 },
  cashMovements: { cashIn: 0, cashOut: 0, byReason: [] },
  cash: {
    openingFloat: 10000,
    sales: 0,
    refunds: 0,
    cashIn: 0,
    cashOut: 0,
    expected: 10000,
    counted: null,
    overShort: null,
  },
  footerLines: ['Kept for the books'],
};

export const zReportGoldenCases: Record<string, ZReport> = {
  'z-short-day': shortDay,
  'z-empty-shift': emptyShift,
};
