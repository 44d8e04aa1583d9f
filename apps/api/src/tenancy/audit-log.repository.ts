import { sql } from 'kysely';
import type { Tx } from '../db/database.js';

export interface AuditRow {
  /** Ordering only (a sequence every tenant shares): it goes into sealed cursors, never into an entry. */
  id: number;
  public_id: string;
  /** `at` as ISO 8601 UTC with microseconds: exact, so it can sit in a cursor. */
  at: string;
  actor_user_id: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  ip: string | null;
  user_agent: string | null;
  data: Record<string, unknown>;
}

export interface AuditFilter {
  action?: string;
  entityType?: string;
  from?: string;
  to?: string;
  /** Rows strictly older than this (at, id). */
  before?: { at: string; id: number };
  limit: number;
}

const atText = sql<string>`to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** Newest first, ordered by (at, id): entries of one transaction share `at`, the id breaks the tie. */
export function listAudit(tx: Tx, tenantId: string, f: AuditFilter): Promise<AuditRow[]> {
  let query = tx
    .selectFrom('audit_log')
    .select([
      'id',
      'public_id',
      atText.as('at'),
      'actor_user_id',
      'action',
      'entity_type',
      'entity_id',
      sql<string | null>`host(ip)`.as('ip'),
      'user_agent',
      'data',
    ])
    .where('tenant_id', '=', tenantId);
  if (f.action) query = query.where('action', '=', f.action);
  if (f.entityType) query = query.where('entity_type', '=', f.entityType);
  if (f.from) query = query.where('at', '>=', sql<Date>`${f.from}::timestamptz`);
  if (f.to) query = query.where('at', '<', sql<Date>`${f.to}::timestamptz`);
  if (f.before) {
    const { at, id } = f.before;
    query = query.where(sql<boolean>`(at, id) < (${at}::timestamptz, ${id}::bigint)`);
  }
  return query.orderBy('at', 'desc').orderBy('id', 'desc').limit(f.limit).execute();
}
