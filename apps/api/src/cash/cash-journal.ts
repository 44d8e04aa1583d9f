import type { TenantScope } from '../common/context/request-context.js';
import type { Tx } from '../db/database.js';
import type { AccountPurpose } from '../accounting/accounting.tables.js';
import { type NewJournalLine, postJournalEntry } from '../accounting/journal-posting.js';

/*
 * The till's postings. Cash on hand is the till; the store's safe (cash_in_safe) is where the float comes
 * from and where the counted cash goes back at closing, so the till account ends every session at zero.
 */

/** A line by signed amount: positive debits, negative credits, zero is no line. */
function line(purpose: AccountPurpose, amount: number, storeId: string): NewJournalLine[] {
  if (amount === 0) return [];
  return [amount > 0 ? { purpose, debit: amount, storeId } : { purpose, credit: -amount, storeId }];
}

async function post(
  tx: Tx,
  scope: TenantScope,
  source: { sourceType: string; sourceId: string; memo: string },
  lines: NewJournalLine[],
): Promise<void> {
  // Nothing moved (a zero float, an empty till closed at zero): no entry.
  if (lines.length === 0) return;
  await postJournalEntry(tx, scope, { ...source, lines });
}

/** Opening: the float from the safe into the till. Dr cash on hand / Cr cash in safe. */
export function postCashSessionOpened(
  tx: Tx,
  scope: TenantScope,
  s: { id: string; storeId: string; openingFloat: number },
): Promise<void> {
  return post(tx, scope, { sourceType: 'cash_session_open', sourceId: s.id, memo: 'Opening float' }, [
    ...line('cash_on_hand', s.openingFloat, s.storeId),
    ...line('cash_in_safe', -s.openingFloat, s.storeId),
  ]);
}

/**
 * Cash in: from the safe into the till. Cash out: back to the safe, or an expense when paid out
 * (reason `paid_out`, a purchase paid from the till).
 */
export function postCashMovement(
  tx: Tx,
  scope: TenantScope,
  m: { id: string; storeId: string; kind: 'cash_in' | 'cash_out'; amount: number; reasonCode: string },
): Promise<void> {
  const counter: AccountPurpose = m.reasonCode === 'paid_out' ? 'cash_paid_out' : 'cash_in_safe';
  const till = m.kind === 'cash_in' ? m.amount : -m.amount;
  return post(
    tx,
    scope,
    {
      sourceType: 'cash_movement',
      sourceId: m.id,
      memo: `Cash ${m.kind === 'cash_in' ? 'in' : 'out'}: ${m.reasonCode}`,
    },
    [...line('cash_on_hand', till, m.storeId), ...line(counter, -till, m.storeId)],
  );
}

/**
 * Closing: the till's expected cash leaves cash on hand, the counted cash goes to the safe, and the
 * difference (over: a credit, short: a debit) to cash over/short.
 */
export function postCashSessionClosed(
  tx: Tx,
  scope: TenantScope,
  s: { id: string; storeId: string; counted: number; expected: number },
): Promise<void> {
  const overShort = s.counted - s.expected;
  return post(tx, scope, { sourceType: 'cash_session_close', sourceId: s.id, memo: 'Closing count' }, [
    ...line('cash_in_safe', s.counted, s.storeId),
    ...line('cash_over_short', -overShort, s.storeId),
    ...line('cash_on_hand', -s.expected, s.storeId),
  ]);
}
