import type { ReceiptStore, ReceiptTender } from '@zakpos/receipt';
import type { ReceiptSetting, RegisterSetting } from './receipt.repository.js';

/** What a receipt of a recorded document needs beyond the document's own rows, read when it is printed. */
export interface DocumentReceiptContext {
  setting: ReceiptSetting;
  /** The receipt number as the first print showed it (receipt-number.ts). */
  receiptNumber: string;
  /** 1 for the original, 2 for the first copy... */
  printNumber: number;
  paymentMethodNames: Map<string, string>;
  productUnits: Map<string, 'each' | 'kg'>;
}

/** The footer line of every print after the first. */
export const copyLine = (printNumber: number) => `COPY ${printNumber - 1} (REPRINT)`;

export const footerOf = (printNumber: number): string[] => (printNumber > 1 ? [copyLine(printNumber)] : []);

export function receiptStore(setting: RegisterSetting): ReceiptStore {
  return {
    name: setting.storeName,
    addressLines: (setting.storeAddress ?? '')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== ''),
  };
}

/** A part of a unit is a weight whatever the product says today. */
export function lineUnit(quantity: number, productId: string, units: Map<string, 'each' | 'kg'>) {
  return quantity % 1000 !== 0 ? 'kg' : (units.get(productId) ?? 'each');
}

/**
 * The recorded tenders; the cash rounding belongs to the (last) cash tender: it is what cash paid (or paid
 * back) beyond, or short of, the total.
 */
export function receiptTenders(
  payments: readonly { kind: 'cash' | 'card' | 'other'; methodCode: string | null; amount: number }[],
  cashRounding: number,
  names: Map<string, string>,
): ReceiptTender[] {
  const lastCash = payments.map((p) => p.kind).lastIndexOf('cash');
  return payments.map((p, i): ReceiptTender => ({
    kind: p.kind,
    ...(p.kind === 'other' && p.methodCode !== null
      ? { label: names.get(p.methodCode) ?? p.methodCode }
      : {}),
    amount: p.amount,
    cashRoundingAdjustment: i === lastCash ? cashRounding : 0,
  }));
}
