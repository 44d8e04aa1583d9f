import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { TenantScope } from '../common/context/request-context.js';
import type { Tx } from '../db/database.js';
import type { AccountPurpose } from './accounting.tables.js';
import { ensureKeyedAccount } from './keyed-accounts.js';

/** An account named by its purpose (and tender or tax rate key), or by its id. */
export type AccountRef =
  { purpose: AccountPurpose; tenderKey?: string | null; taxRateKey?: string | null } | { accountId: string };

export type NewJournalLine = AccountRef & {
  /** Minor units; exactly one of debit and credit, and it is positive. */
  debit?: number;
  credit?: number;
  storeId?: string | null;
};

export interface NewJournalEntry {
  sourceType: string;
  sourceId: string;
  memo?: string | null;
  lines: readonly NewJournalLine[];
}

/**
 * The one way the journal is written: one balanced entry for a source (a source posts once: a second
 * entry for the same source is a unique violation). An unbalanced entry is a bug of its caller, refused
 * here before anything is written; the database checks the same again at commit (migration 0011).
 */
export async function postJournalEntry(
  tx: Tx,
  scope: TenantScope,
  entry: NewJournalEntry,
): Promise<{ id: string }> {
  checkBalanced(entry);
  const accountIds = await resolveAccounts(tx, scope, entry.lines);
  const id = randomUUID();
  const lines = entry.lines.map((l, i) => ({
    line_no: i + 1,
    account_id: accountIds[i]!,
    debit: l.debit ?? 0,
    credit: l.credit ?? 0,
    store_id: l.storeId ?? null,
  }));
  // The entry and its lines in one statement (the balance trigger checks them at commit).
  await sql`
    with entry as (
      insert into journal_entries (tenant_id, id, source_type, source_id, memo, created_by)
      values (${scope.tenantId}, ${id}, ${entry.sourceType}, ${entry.sourceId}, ${entry.memo ?? null},
              ${scope.userId ?? null})
      returning tenant_id, id
    )
    insert into journal_lines (tenant_id, entry_id, line_no, account_id, debit, credit, store_id)
    select entry.tenant_id, entry.id, l.line_no, l.account_id, l.debit, l.credit, l.store_id
      from entry,
           jsonb_to_recordset(${JSON.stringify(lines)}::jsonb)
             as l (line_no int, account_id uuid, debit bigint, credit bigint, store_id uuid)`.execute(tx);
  return { id };
}

function checkBalanced(entry: NewJournalEntry): void {
  if (entry.lines.length < 2) throw new Error(`journal entry ${entry.sourceType} needs two lines at least`);
  let debit = 0;
  let credit = 0;
  for (const l of entry.lines) {
    const d = l.debit ?? 0;
    const c = l.credit ?? 0;
    if (!Number.isSafeInteger(d) || !Number.isSafeInteger(c) || d < 0 || c < 0 || d > 0 === c > 0) {
      throw new Error(
        `journal line of ${entry.sourceType}: exactly one of debit and credit, a positive integer`,
      );
    }
    debit += d;
    credit += c;
  }
  if (!Number.isSafeInteger(debit) || debit !== credit) {
    throw new Error(`journal entry ${entry.sourceType} does not balance: debit ${debit}, credit ${credit}`);
  }
}

const keyOf = (purpose: string, tenderKey: string | null, taxRateKey: string | null) =>
  `${purpose}\u0000${tenderKey ?? ''}\u0000${taxRateKey ?? ''}`;

/**
 * The account id of each line, in order. A purpose the tenant has no account for is a bug, except a
 * tender's or tax rate's own account, which is created on first use.
 */
async function resolveAccounts(
  tx: Tx,
  scope: TenantScope,
  lines: readonly NewJournalLine[],
): Promise<string[]> {
  const purposes = [...new Set(lines.flatMap((l) => ('purpose' in l ? [l.purpose] : [])))];
  const byKey = new Map<string, string>();
  if (purposes.length > 0) {
    const rows = await tx
      .selectFrom('accounts')
      .select(['id', 'purpose', 'tender_key', 'tax_rate_key'])
      .where('tenant_id', '=', scope.tenantId)
      .where('purpose', 'in', purposes)
      .execute();
    for (const r of rows) byKey.set(keyOf(r.purpose!, r.tender_key, r.tax_rate_key), r.id);
  }
  const ids: string[] = [];
  for (const l of lines) {
    if ('accountId' in l) {
      ids.push(l.accountId);
      continue;
    }
    const key = keyOf(l.purpose, l.tenderKey ?? null, l.taxRateKey ?? null);
    let id = byKey.get(key);
    // A tender's or a tax rate's own account is created the first time it is posted to.
    if (!id && l.purpose === 'other_tender_clearing' && l.tenderKey) {
      id = await ensureKeyedAccount(tx, scope, {
        purpose: l.purpose,
        tenderKey: l.tenderKey,
        name: `Other tender clearing: ${l.tenderKey}`,
      });
    } else if (!id && l.purpose === 'sales_tax_payable' && l.taxRateKey) {
      id = await ensureKeyedAccount(tx, scope, {
        purpose: l.purpose,
        taxRateKey: l.taxRateKey,
        name: `Sales tax payable: ${l.taxRateKey}`,
      });
    }
    if (!id) throw new Error(`the tenant has no ${l.purpose} account`);
    byKey.set(key, id);
    ids.push(id);
  }
  return ids;
}

/**
 * The correction of a posted entry: a new entry for its own source with every line of the original, debit
 * and credit swapped (the journal is never changed in place). Returns null when the source posted no entry.
 */
export async function postReversal(
  tx: Tx,
  scope: TenantScope,
  original: { sourceType: string; sourceId: string },
  reversal: { sourceType: string; sourceId: string; memo?: string | null },
): Promise<{ id: string } | null> {
  const lines = await tx
    .selectFrom('journal_lines as l')
    .innerJoin('journal_entries as e', (j) =>
      j.onRef('e.tenant_id', '=', 'l.tenant_id').onRef('e.id', '=', 'l.entry_id'),
    )
    .select(['l.account_id', 'l.debit', 'l.credit', 'l.store_id'])
    .where('l.tenant_id', '=', scope.tenantId)
    .where('e.source_type', '=', original.sourceType)
    .where('e.source_id', '=', original.sourceId)
    .orderBy('l.line_no')
    .execute();
  if (lines.length === 0) return null;
  return postJournalEntry(tx, scope, {
    ...reversal,
    lines: lines.map((l) => ({
      accountId: l.account_id,
      storeId: l.store_id,
      ...(l.debit > 0 ? { credit: l.debit } : { debit: l.credit }),
    })),
  });
}

/** What a source's entry posted to the accounts of one purpose: Σ debit − Σ credit (0 when it posted none). */
export async function postedBalance(
  tx: Tx,
  scope: TenantScope,
  source: { sourceType: string; sourceId: string },
  purpose: AccountPurpose,
): Promise<number> {
  const row = await tx
    .selectFrom('journal_lines as l')
    .innerJoin('journal_entries as e', (j) =>
      j.onRef('e.tenant_id', '=', 'l.tenant_id').onRef('e.id', '=', 'l.entry_id'),
    )
    .innerJoin('accounts as a', (j) =>
      j.onRef('a.tenant_id', '=', 'l.tenant_id').onRef('a.id', '=', 'l.account_id'),
    )
    .select(sql<number>`coalesce(sum(l.debit - l.credit), 0)::int8`.as('balance'))
    .where('l.tenant_id', '=', scope.tenantId)
    .where('e.source_type', '=', source.sourceType)
    .where('e.source_id', '=', source.sourceId)
    .where('a.purpose', '=', purpose)
    .executeTakeFirstOrThrow();
  return row.balance;
}
