import type { ColumnType, Generated } from 'kysely';

/** Kysely row types of 0012_cash_sessions.sql. Amounts are minor units of the tenant's currency. */

export interface CashSessionsTable {
  tenant_id: string;
  id: string;
  seq: Generated<number>;
  store_id: string;
  register_id: string;
  opened_by: string;
  opened_at: Generated<Date>;
  opening_float: number;
  closed_by: string | null;
  closed_at: Date | null;
  /** JSON: [{ value, count }] largest first, or null when counted by total. */
  counted: ColumnType<{ value: number; count: number }[] | null, string | null, string | null>;
  counted_total: number | null;
  expected_total: number | null;
  over_short: number | null;
}

export interface CashMovementsTable {
  tenant_id: string;
  id: string;
  session_id: string;
  kind: 'cash_in' | 'cash_out';
  amount: number;
  reason_code: string;
  note: string | null;
  created_by: string;
  created_at: Generated<Date>;
}

export interface CashTables {
  cash_sessions: CashSessionsTable;
  cash_movements: CashMovementsTable;
}
