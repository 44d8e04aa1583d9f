import { sql } from 'kysely';
import { sumInt8, type Tx } from '../db/database.js';
import type { AccountType } from './accounting.tables.js';

/** Reads of the chart and the journal. Every sum is cast to int8, so it comes back as a checked safe integer. */

const postedAtText = sql<string>`to_char(e.posted_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

export function listAccounts(tx: Tx, tenantId: string) {
  return tx
    .selectFrom('accounts')
    .select(['id', 'code', 'name', 'type', 'purpose', 'tender_key', 'tax_rate_key'])
    .where('tenant_id', '=', tenantId)
    .orderBy('code')
    .execute();
}
export type AccountRow = Awaited<ReturnType<typeof listAccounts>>[number];

export function findAccount(tx: Tx, tenantId: string, id: string) {
  return tx
    .selectFrom('accounts')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export interface PeriodFilter {
  from?: string;
  to?: string;
}

/** Entries newest first (by their sequence), posted in [from, to). */
export function listEntries(
  tx: Tx,
  tenantId: string,
  f: PeriodFilter & { beforeSeq?: number; limit: number },
) {
  let query = tx
    .selectFrom('journal_entries as e')
    .select([
      'e.seq',
      'e.id',
      postedAtText.as('posted_at'),
      'e.source_type',
      'e.source_id',
      'e.memo',
      'e.created_by',
    ])
    .where('e.tenant_id', '=', tenantId);
  if (f.from) query = query.where('e.posted_at', '>=', sql<Date>`${f.from}::timestamptz`);
  if (f.to) query = query.where('e.posted_at', '<', sql<Date>`${f.to}::timestamptz`);
  if (f.beforeSeq !== undefined) query = query.where('e.seq', '<', f.beforeSeq);
  return query.orderBy('e.seq', 'desc').limit(f.limit).execute();
}
export type EntryRow = Awaited<ReturnType<typeof listEntries>>[number];

export function linesOfEntries(tx: Tx, tenantId: string, entryIds: readonly string[]) {
  if (entryIds.length === 0) return Promise.resolve([]);
  return tx
    .selectFrom('journal_lines as l')
    .innerJoin('accounts as a', (j) =>
      j.onRef('a.tenant_id', '=', 'l.tenant_id').onRef('a.id', '=', 'l.account_id'),
    )
    .select(['l.entry_id', 'l.line_no', 'l.account_id', 'a.code', 'l.debit', 'l.credit', 'l.store_id'])
    .where('l.tenant_id', '=', tenantId)
    .where('l.entry_id', 'in', [...entryIds])
    .orderBy('l.entry_id')
    .orderBy('l.line_no')
    .execute();
}

/** An account's lines newest first, by (entry sequence, line number). */
export function listLedger(
  tx: Tx,
  tenantId: string,
  accountId: string,
  f: PeriodFilter & { before?: readonly [number, number]; limit: number },
) {
  let query = tx
    .selectFrom('journal_lines as l')
    .innerJoin('journal_entries as e', (j) =>
      j.onRef('e.tenant_id', '=', 'l.tenant_id').onRef('e.id', '=', 'l.entry_id'),
    )
    .select([
      'e.seq',
      'e.id as entry_id',
      postedAtText.as('posted_at'),
      'e.source_type',
      'e.source_id',
      'e.memo',
      'l.line_no',
      'l.debit',
      'l.credit',
      'l.store_id',
    ])
    .where('l.tenant_id', '=', tenantId)
    .where('l.account_id', '=', accountId);
  if (f.from) query = query.where('e.posted_at', '>=', sql<Date>`${f.from}::timestamptz`);
  if (f.to) query = query.where('e.posted_at', '<', sql<Date>`${f.to}::timestamptz`);
  if (f.before)
    query = query.where(sql<boolean>`(e.seq, l.line_no) < (${f.before[0]}::bigint, ${f.before[1]}::int)`);
  return query.orderBy('e.seq', 'desc').orderBy('l.line_no', 'desc').limit(f.limit).execute();
}
export type LedgerRow = Awaited<ReturnType<typeof listLedger>>[number];

export interface BalanceRow {
  id: string;
  code: string;
  name: string;
  type: AccountType;
  debit: number;
  credit: number;
}

/** Every account with Σ debit and Σ credit of the lines posted in [from, to) or at or before `atOrBefore`. */
export async function accountTotals(
  tx: Tx,
  tenantId: string,
  f: { from?: string; to?: string; atOrBefore?: string; types?: readonly AccountType[] },
): Promise<BalanceRow[]> {
  let posted = tx
    .selectFrom('journal_lines as l')
    .innerJoin('journal_entries as e', (j) =>
      j.onRef('e.tenant_id', '=', 'l.tenant_id').onRef('e.id', '=', 'l.entry_id'),
    )
    .select(['l.account_id', 'l.debit', 'l.credit'])
    .where('l.tenant_id', '=', tenantId);
  if (f.from) posted = posted.where('e.posted_at', '>=', sql<Date>`${f.from}::timestamptz`);
  if (f.to) posted = posted.where('e.posted_at', '<', sql<Date>`${f.to}::timestamptz`);
  if (f.atOrBefore) posted = posted.where('e.posted_at', '<=', sql<Date>`${f.atOrBefore}::timestamptz`);
  let query = tx
    .selectFrom('accounts as a')
    .leftJoin(posted.as('p'), 'p.account_id', 'a.id')
    .select([
      'a.id',
      'a.code',
      'a.name',
      'a.type',
      sumInt8('p.debit').as('debit'),
      sumInt8('p.credit').as('credit'),
    ])
    .where('a.tenant_id', '=', tenantId)
    .groupBy(['a.id', 'a.code', 'a.name', 'a.type'])
    .orderBy('a.code');
  if (f.types) query = query.where('a.type', 'in', [...f.types]);
  return query.execute();
}

/** Σ debit − credit of the accounts with this purpose, per store (null: lines without a store). */
export async function purposeBalanceByStore(
  tx: Tx,
  tenantId: string,
  purpose: 'inventory' | 'inventory_in_transit',
): Promise<Map<string | null, number>> {
  const rows = await tx
    .selectFrom('journal_lines as l')
    .innerJoin('accounts as a', (j) =>
      j.onRef('a.tenant_id', '=', 'l.tenant_id').onRef('a.id', '=', 'l.account_id'),
    )
    .select(['l.store_id', sql<number>`sum(l.debit - l.credit)::bigint`.as('balance')])
    .where('l.tenant_id', '=', tenantId)
    .where('a.purpose', '=', purpose)
    .groupBy('l.store_id')
    .execute();
  return new Map(rows.map((r) => [r.store_id, r.balance]));
}

/**
 * Σ stockValue(on hand, current cost) per store, valued in SQL exactly as accounting/money.ts values it
 * (round(numeric) rounds half away from zero). A tenant-wide aggregate, so it joins the products table
 * here rather than loading every product through the catalog's read port.
 */
export async function onHandValueByStore(tx: Tx, tenantId: string): Promise<Map<string, number>> {
  const rows = await tx
    .selectFrom('stock_levels as s')
    .innerJoin('products as p', (j) =>
      j.onRef('p.tenant_id', '=', 's.tenant_id').onRef('p.id', '=', 's.product_id'),
    )
    .select(['s.store_id', sql<number>`sum(round(s.on_hand::numeric * p.cost / 1000))::bigint`.as('value')])
    .where('s.tenant_id', '=', tenantId)
    .groupBy('s.store_id')
    .execute();
  return new Map(rows.map((r) => [r.store_id, r.value]));
}

/** Σ stockValue(quantity, current cost) over the lines of the transfers still in transit. */
export async function inTransitValue(tx: Tx, tenantId: string): Promise<number> {
  const row = await tx
    .selectFrom('transfer_lines as tl')
    .innerJoin('transfers as t', (j) =>
      j.onRef('t.tenant_id', '=', 'tl.tenant_id').onRef('t.id', '=', 'tl.transfer_id'),
    )
    .innerJoin('products as p', (j) =>
      j.onRef('p.tenant_id', '=', 'tl.tenant_id').onRef('p.id', '=', 'tl.product_id'),
    )
    .select(sql<number>`coalesce(sum(round(tl.quantity::numeric * p.cost / 1000)), 0)::bigint`.as('value'))
    .where('tl.tenant_id', '=', tenantId)
    .where('t.status', '=', 'in_transit')
    .executeTakeFirstOrThrow();
  return row.value;
}
