import { z } from 'zod';
import { dateTime, idParams, page, pageQuery, signedMinorUnits, minorUnits, uuid } from './common.schema.js';
import { endpoint } from './endpoint.js';

const TAG = 'accounting';

// Amounts are minor units of the tenant's currency. A signed balance is debit minus credit.

export const accountTypes = ['asset', 'liability', 'equity', 'revenue', 'expense'] as const;
export const accountType = z.enum(accountTypes);
export type AccountType = z.infer<typeof accountType>;

export const account = z.object({
  id: uuid,
  code: z.string(),
  name: z.string(),
  type: accountType,
  /** Debit for assets and expenses, credit for the others. */
  normalBalance: z.enum(['debit', 'credit']),
  /** The system account the engine posts to for this purpose (null: none). */
  purpose: z.string().nullable(),
  tenderKey: z.string().nullable(),
  taxRateKey: z.string().nullable(),
});
export type Account = z.infer<typeof account>;

export const accountList = z.object({ items: z.array(account) });

const periodBounds = {
  /** Inclusive lower bound on the posting instant. */
  from: dateTime.optional(),
  /** Exclusive upper bound on the posting instant. */
  to: dateTime.optional(),
};
const fromBeforeTo = (q: { from?: string; to?: string }) =>
  !q.from || !q.to || Date.parse(q.from) <= Date.parse(q.to);
const FROM_BEFORE_TO = { path: ['to'], message: 'must not be before from' };

export const journalQuery = pageQuery.extend(periodBounds).refine(fromBeforeTo, FROM_BEFORE_TO);
export type JournalQuery = z.infer<typeof journalQuery>;

export const journalLine = z.object({
  lineNo: z.number().int(),
  accountId: uuid,
  accountCode: z.string(),
  debit: minorUnits,
  credit: minorUnits,
  storeId: uuid.nullable(),
});

export const journalEntry = z.object({
  id: uuid,
  /** ISO 8601 UTC with microseconds. */
  postedAt: z.string(),
  /** What it records: stock_adjustment, stock_count, transfer_send, transfer_receive, opening_balance... */
  sourceType: z.string(),
  sourceId: uuid,
  memo: z.string().nullable(),
  createdBy: uuid.nullable(),
  lines: z.array(journalLine),
});
export type JournalEntry = z.infer<typeof journalEntry>;

export const journalPage = page(journalEntry);

export const ledgerQuery = journalQuery;
export type LedgerQuery = JournalQuery;

export const ledgerLine = z.object({
  entryId: uuid,
  postedAt: z.string(),
  sourceType: z.string(),
  sourceId: uuid,
  memo: z.string().nullable(),
  lineNo: z.number().int(),
  debit: minorUnits,
  credit: minorUnits,
  storeId: uuid.nullable(),
});
export const ledgerPage = page(ledgerLine);

export const trialBalanceQuery = z.strictObject({
  /** Entries posted at or before this instant (default: now). */
  at: dateTime.optional(),
});
export type TrialBalanceQuery = z.infer<typeof trialBalanceQuery>;

export const accountBalance = z.object({
  accountId: uuid,
  code: z.string(),
  name: z.string(),
  type: accountType,
  debit: minorUnits,
  credit: minorUnits,
  /** Debit minus credit. */
  balance: signedMinorUnits,
});

export const trialBalance = z.object({
  at: z.string(),
  accounts: z.array(accountBalance),
  totalDebit: minorUnits,
  totalCredit: minorUnits,
});
export type TrialBalance = z.infer<typeof trialBalance>;

const valuation = z.object({
  /** The account's balance (debit minus credit). */
  account: signedMinorUnits,
  /** The same stock valued now: Σ quantity × current cost, per level, rounded half away from zero. */
  stockValue: signedMinorUnits,
  /** account − stockValue: a cost changed since the stock was posted, or stock the journal never saw. */
  difference: signedMinorUnits,
});

export const inventoryCheck = z.object({
  /** On hand in every store against the inventory account. */
  inventory: valuation,
  stores: z.array(valuation.extend({ storeId: uuid })),
  /** Transfers sent and not yet received against inventory in transit. */
  inTransit: valuation,
});
export type InventoryCheck = z.infer<typeof inventoryCheck>;

export const profitAndLossQuery = z.strictObject(periodBounds).refine(fromBeforeTo, FROM_BEFORE_TO);
export type ProfitAndLossQuery = z.infer<typeof profitAndLossQuery>;

const plLine = z.object({
  accountId: uuid,
  code: z.string(),
  name: z.string(),
  /** In the account type's favour: credit − debit for revenue, debit − credit for expenses. */
  amount: signedMinorUnits,
});

export const profitAndLoss = z.object({
  from: z.string().nullable(),
  to: z.string().nullable(),
  revenue: z.array(plLine),
  expenses: z.array(plLine),
  totalRevenue: signedMinorUnits,
  totalExpenses: signedMinorUnits,
  /** totalRevenue − totalExpenses. */
  netIncome: signedMinorUnits,
});
export type ProfitAndLoss = z.infer<typeof profitAndLoss>;

export const accountingEndpoints = {
  listAccounts: endpoint({
    method: 'GET',
    path: '/accounting/accounts',
    summary: 'The chart of accounts',
    tag: TAG,
    access: 'accounting.read',
    response: accountList,
  }),
  listJournal: endpoint({
    method: 'GET',
    path: '/accounting/journal',
    summary: 'Journal entries with their lines, newest first',
    tag: TAG,
    access: 'accounting.read',
    query: journalQuery,
    response: journalPage,
  }),
  accountLedger: endpoint({
    method: 'GET',
    path: '/accounting/accounts/:id/ledger',
    summary: "An account's journal lines, newest first",
    tag: TAG,
    access: 'accounting.read',
    params: idParams,
    query: ledgerQuery,
    response: ledgerPage,
  }),
  trialBalance: endpoint({
    method: 'GET',
    path: '/accounting/trial-balance',
    summary: 'Every account’s debits, credits and balance at an instant',
    tag: TAG,
    access: 'accounting.read',
    query: trialBalanceQuery,
    response: trialBalance,
  }),
  profitAndLoss: endpoint({
    method: 'GET',
    path: '/accounting/profit-and-loss',
    summary: 'Revenue and expenses over a period',
    tag: TAG,
    access: 'accounting.read',
    query: profitAndLossQuery,
    response: profitAndLoss,
  }),
  inventoryCheck: endpoint({
    method: 'GET',
    path: '/accounting/inventory-check',
    summary: 'The inventory accounts against the stock on hand and in transit at current cost',
    tag: TAG,
    access: 'accounting.read',
    response: inventoryCheck,
  }),
};
