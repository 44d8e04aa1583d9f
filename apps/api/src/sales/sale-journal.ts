import type { PricedCart, Settlement } from '@zakpos/pricing';
import type { NewJournalLine } from '../accounting/journal-posting.js';

export interface SaleTenders {
  /** Cash kept (tendered less change). */
  cash: number;
  card: number;
  /** By payment method code. */
  other: ReadonlyMap<string, number>;
}

/**
 * The journal lines of a sale, in the store: Dr each tender's account, Dr discounts given, Cr sales revenue
 * (net plus the discounts, so revenue less discounts is the net), Cr tax payable per tax code, the cash
 * rounding to its account, and Dr COGS / Cr inventory at cost. Zero amounts are left out. A refund or a void
 * posts the same lines with debit and credit swapped.
 */
export function saleJournalLines(
  storeId: string,
  priced: PricedCart,
  settlement: Settlement,
  tenders: SaleTenders,
  cost: number,
): NewJournalLine[] {
  const lines: NewJournalLine[] = [];
  const debit = (line: NewJournalLine & { debit: number }) => {
    if (line.debit > 0) lines.push({ ...line, storeId });
  };
  const credit = (line: NewJournalLine & { credit: number }) => {
    if (line.credit > 0) lines.push({ ...line, storeId });
  };
  debit({ purpose: 'cash_on_hand', debit: tenders.cash });
  debit({ purpose: 'card_clearing', debit: tenders.card });
  for (const [code, amount] of [...tenders.other].sort(([a], [b]) => (a < b ? -1 : 1))) {
    debit({ purpose: 'other_tender_clearing', tenderKey: code, debit: amount });
  }
  debit({ purpose: 'discounts_given', debit: priced.totals.discount });
  credit({ purpose: 'sales_revenue', credit: priced.totals.net + priced.totals.discount });
  const taxByCode = new Map<string, number>();
  for (const t of priced.taxSummary) taxByCode.set(t.code, (taxByCode.get(t.code) ?? 0) + t.tax);
  for (const [code, tax] of [...taxByCode].sort(([a], [b]) => (a < b ? -1 : 1))) {
    credit({ purpose: 'sales_tax_payable', taxRateKey: code, credit: tax });
  }
  if (settlement.cashRounding > 0) credit({ purpose: 'rounding', credit: settlement.cashRounding });
  if (settlement.cashRounding < 0) debit({ purpose: 'rounding', debit: -settlement.cashRounding });
  debit({ purpose: 'cogs', debit: cost });
  credit({ purpose: 'inventory', credit: cost });
  return lines;
}
