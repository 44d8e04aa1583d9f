import type { Insertable, Selectable } from 'kysely';
import { sumInt8, type Tx } from '../db/database.js';
import type { CashMovementsTable, CashSessionsTable } from './cash.tables.js';

export type CashSessionRow = Selectable<CashSessionsTable>;
export type CashMovementRow = Selectable<CashMovementsTable>;

export function findCashSession(
  tx: Tx,
  tenantId: string,
  id: string,
  { lock = false }: { lock?: boolean } = {},
): Promise<CashSessionRow | undefined> {
  const q = tx.selectFrom('cash_sessions').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id);
  return (lock ? q.forUpdate() : q).executeTakeFirst();
}

/** The register's open session, if any (at most one: the partial unique index cash_sessions_one_open). */
export function findOpenCashSession(
  tx: Tx,
  tenantId: string,
  registerId: string,
  lock?: 'share',
): Promise<CashSessionRow | undefined> {
  const q = tx
    .selectFrom('cash_sessions')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('register_id', '=', registerId)
    .where('closed_at', 'is', null);
  return (lock === 'share' ? q.forShare() : q).executeTakeFirst();
}

export function insertCashSession(tx: Tx, row: Insertable<CashSessionsTable>): Promise<CashSessionRow> {
  return tx.insertInto('cash_sessions').values(row).returningAll().executeTakeFirstOrThrow();
}

export function closeCashSessionRow(
  tx: Tx,
  tenantId: string,
  id: string,
  closing: {
    closed_by: string;
    counted: string | null;
    counted_total: number;
    expected_total: number;
    over_short: number;
  },
): Promise<CashSessionRow> {
  return tx
    .updateTable('cash_sessions')
    .set((eb) => ({ ...closing, closed_at: eb.fn('app_now') }))
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function insertCashMovement(tx: Tx, row: Insertable<CashMovementsTable>): Promise<CashMovementRow> {
  return tx.insertInto('cash_movements').values(row).returningAll().executeTakeFirstOrThrow();
}

export function listCashMovements(tx: Tx, tenantId: string, sessionId: string): Promise<CashMovementRow[]> {
  return tx
    .selectFrom('cash_movements')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('session_id', '=', sessionId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** Σ cash in and Σ cash out of a session. */
export async function cashMovementTotals(
  tx: Tx,
  tenantId: string,
  sessionId: string,
): Promise<{ cashIn: number; cashOut: number }> {
  const rows = await tx
    .selectFrom('cash_movements')
    .select(['kind', sumInt8('amount').as('total')])
    .where('tenant_id', '=', tenantId)
    .where('session_id', '=', sessionId)
    .groupBy('kind')
    .execute();
  const of = (kind: string) => Number(rows.find((r) => r.kind === kind)?.total ?? 0);
  return { cashIn: of('cash_in'), cashOut: of('cash_out') };
}

/** A store's sessions, newest first, optionally one register's only; `limit + 1` for the pager. */
export function listStoreCashSessions(
  tx: Tx,
  tenantId: string,
  storeId: string,
  opts: { registerId?: string; afterSeq?: number; limit: number },
): Promise<CashSessionRow[]> {
  let q = tx
    .selectFrom('cash_sessions')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('store_id', '=', storeId);
  if (opts.registerId !== undefined) q = q.where('register_id', '=', opts.registerId);
  if (opts.afterSeq !== undefined) q = q.where('seq', '<', opts.afterSeq);
  return q.orderBy('seq', 'desc').limit(opts.limit).execute();
}
