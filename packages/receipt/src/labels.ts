import type { TenderKind } from './sale.js';

/** Every fixed word a receipt prints. English by default; the tenant passes its own for other languages. */
export interface ReceiptLabels {
  receipt: string;
  date: string;
  register: string;
  cashier: string;
  originalReceipt: string;
  refundMark: string;
  voidMark: string;
  sku: string;
  discount: string;
  subtotal: string;
  cartDiscount: string;
  net: string;
  tax: string;
  total: string;
  gross: string;
  rounding: string;
  change: string;
  taxId: string;
  tenders: Record<TenderKind, string>;
}

export const englishLabels: ReceiptLabels = {
  receipt: 'Receipt',
  date: 'Date',
  register: 'Register',
  cashier: 'Cashier',
  originalReceipt: 'Original receipt',
  refundMark: 'REFUND',
  voidMark: 'VOID',
  sku: 'SKU',
  discount: 'Discount',
  subtotal: 'Subtotal',
  cartDiscount: 'Cart discount',
  net: 'Net',
  tax: 'Tax',
  total: 'Total',
  gross: 'Gross',
  rounding: 'Rounding',
  change: 'Change',
  taxId: 'Tax ID',
  tenders: { cash: 'Cash', card: 'Card', gift_card: 'Gift card', voucher: 'Voucher', other: 'Other' },
};

export type ReceiptLabelOverrides = Partial<Omit<ReceiptLabels, 'tenders'>> & {
  tenders?: Partial<Record<TenderKind, string>>;
};

export function resolveLabels(overrides: ReceiptLabelOverrides | undefined): ReceiptLabels {
  return {
    ...englishLabels,
    ...overrides,
    tenders: { ...englishLabels.tenders, ...overrides?.tenders },
  };
}

/** The fixed words of a Z report. English by default, like a receipt's. */
export interface ZReportLabels {
  mark: string;
  taxId: string;
  zNumber: string;
  register: string;
  opened: string;
  closed: string;
  sales: string;
  count: string;
  extended: string;
  discount: string;
  net: string;
  tax: string;
  gross: string;
  rounding: string;
  tenders: string;
  taxes: string;
  refunds: string;
  paidBack: string;
  refundTenders: string;
  refundTaxes: string;
  voids: string;
  cashMovements: string;
  cashIn: string;
  cashOut: string;
  cash: string;
  openingFloat: string;
  cashSales: string;
  cashRefunds: string;
  expected: string;
  counted: string;
  overShort: string;
  notCounted: string;
  none: string;
  tenderKinds: Record<TenderKind, string>;
}

export const englishZReportLabels: ZReportLabels = {
  mark: 'Z REPORT',
  taxId: englishLabels.taxId,
  zNumber: 'Z number',
  register: 'Register',
  opened: 'Opened',
  closed: 'Closed',
  sales: 'Sales',
  count: 'Count',
  extended: 'Before discounts',
  discount: 'Discounts',
  net: 'Net',
  tax: 'Tax',
  gross: 'Gross',
  rounding: 'Cash rounding',
  tenders: 'Tenders',
  taxes: 'Taxes',
  refunds: 'Refunds',
  paidBack: 'Paid back',
  refundTenders: 'Refunds by tender',
  refundTaxes: 'Tax refunded',
  voids: 'Voids',
  cashMovements: 'Cash movements',
  cashIn: 'Cash in',
  cashOut: 'Cash out',
  cash: 'Cash drawer',
  openingFloat: 'Opening float',
  cashSales: 'Cash sales',
  cashRefunds: 'Cash refunds',
  expected: 'Expected',
  counted: 'Counted',
  overShort: 'Over (+) / short (-)',
  notCounted: 'not counted',
  none: 'none',
  tenderKinds: englishLabels.tenders,
};

export type ZReportLabelOverrides = Partial<Omit<ZReportLabels, 'tenderKinds'>> & {
  tenderKinds?: Partial<Record<TenderKind, string>>;
};

export function resolveZReportLabels(overrides: ZReportLabelOverrides | undefined): ZReportLabels {
  return {
    ...englishZReportLabels,
    ...overrides,
    tenderKinds: { ...englishZReportLabels.tenderKinds, ...overrides?.tenderKinds },
  };
}
