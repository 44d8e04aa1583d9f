import type { ColumnType, Generated } from 'kysely';

/** Kysely row types of 0011_accounting.sql. Amounts are minor units of the tenant's currency. */

export type AccountType = 'asset' | 'liability' | 'equity' | 'revenue' | 'expense';
export type AccountPurpose =
  | 'cash_on_hand'
  | 'card_clearing'
  | 'other_tender_clearing'
  | 'sales_revenue'
  | 'discounts_given'
  | 'sales_tax_payable'
  | 'cogs'
  | 'inventory'
  | 'inventory_in_transit'
  | 'goods_received_not_invoiced'
  | 'inventory_shrinkage'
  | 'cash_over_short'
  | 'rounding'
  | 'opening_equity'
  | 'cash_in_safe'
  | 'cash_paid_out';

export interface AccountsTable {
  tenant_id: string;
  id: Generated<string>;
  code: string;
  name: string;
  type: AccountType;
  purpose: AccountPurpose | null;
  tender_key: string | null;
  tax_rate_key: string | null;
  created_at: Generated<Date>;
}

/** Immutable: the API role may select and insert, and no role may update or delete. */
export interface JournalEntriesTable {
  tenant_id: string;
  id: string;
  seq: ColumnType<number, never, never>;
  posted_at: Generated<Date>;
  source_type: string;
  source_id: string;
  memo: string | null;
  created_by: string | null;
}

export interface JournalLinesTable {
  tenant_id: string;
  entry_id: string;
  line_no: number;
  account_id: string;
  debit: number;
  credit: number;
  store_id: string | null;
}

export interface AccountingTables {
  accounts: AccountsTable;
  journal_entries: JournalEntriesTable;
  journal_lines: JournalLinesTable;
}
