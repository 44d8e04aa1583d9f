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
