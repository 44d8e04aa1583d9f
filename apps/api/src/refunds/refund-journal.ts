import type { RefundResult } from '@zakpos/pricing';
import type { NewJournalLine } from '../accounting/journal-posting.js';
import type { SaleTenders } from '../sales/sale-journal.js';

/**
 * The journal lines of a refund, in the store: the sale's lines turned round for the refunded units. Dr
 * sales revenue (net plus the discounts), Cr discounts given, Dr tax payable per tax code, Cr each tender
 * paid back, the cash rounding to its account, and for restocked goods Dr inventory / Cr COGS by the value
 * the stock levels took back. Zero amounts are left out.
 */
export function refundJournalLines(
  storeId: string,
  figures: RefundResult,
  cashRounding: number,
  tenders: SaleTenders,
  restockedValue: number,
): NewJournalLine[] {
  const lines: NewJournalLine[] = [];
  const debit = (line: NewJournalLine & { debit: number }) => {
    if (line.debit > 0) lines.push({ ...line, storeId });
  };
  const credit = (line: NewJournalLine & { credit: number }) => {
    if (line.credit > 0) lines.push({ ...line, storeId });
  };
  debit({ purpose: 'sales_revenue', debit: figures.totals.net + figures.totals.discount });
  credit({ purpose: 'discounts_given', credit: figures.totals.discount });
  const taxByCode = new Map<string, number>();
  for (const t of figures.taxSummary) taxByCode.set(t.code, (taxByCode.get(t.code) ?? 0) + t.tax);
  for (const [code, tax] of [...taxByCode].sort(([a], [b]) => (a < b ? -1 : 1))) {
    debit({ purpose: 'sales_tax_payable', taxRateKey: code, debit: tax });
  }
  credit({ purpose: 'cash_on_hand', credit: tenders.cash });
  credit({ purpose: 'card_clearing', credit: tenders.card });
  for (const [code, amount] of [...tenders.other].sort(([a], [b]) => (a < b ? -1 : 1))) {
    credit({ purpose: 'other_tender_clearing', tenderKey: code, credit: amount });
  }
  // More cash paid back than the refund (rounded up) is a rounding expense; less is a rounding gain.
  if (cashRounding > 0) debit({ purpose: 'rounding', debit: cashRounding });
  if (cashRounding < 0) credit({ purpose: 'rounding', credit: -cashRounding });
  debit({ purpose: 'inventory', debit: restockedValue });
  credit({ purpose: 'cogs', credit: restockedValue });
  return lines;
}
