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
  /** The reader's stores (null: every store, an owner); see `inStores`. */
  visibleStores: readonly string[] | null;
  limit: number;
}

/**
 * Tenant-wide entries a store-scoped reader (a manager) still reads: the catalog is the tenant's, not a
 * store's, and managers administer and read it. Tenant settings, signups and the like stay the owners'.
 */
const CATALOG_ENTITY_TYPES = ['product', 'category', 'tax_category'];

/**
 * What a reader limited to `stores` may see, as every store-bound read: an entry of one of their stores
 * (a transfer when either end is theirs), a catalog entry, or an entry about a user who works in one of
 * their stores (as GET /users shows them). The user entries are matched by the user's stores now, as the
 * users list is, since those entries are recorded without stores.
 */
function inStores(stores: readonly string[]) {
  const ids = sql`${[...stores]}::uuid[]`;
  return sql<boolean>`(
    store_ids && ${ids}
    or (store_ids is null and entity_type in (${sql.join(CATALOG_ENTITY_TYPES)}))
    or (store_ids is null and entity_type = 'user' and exists (
      select 1 from user_stores us
       where us.tenant_id = audit_log.tenant_id and us.user_id::text = audit_log.entity_id
         and us.store_id = any(${ids}))))`;
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
  if (f.visibleStores !== null) query = query.where(inStores(f.visibleStores));
  if (f.before) {
    const { at, id } = f.before;
    query = query.where(sql<boolean>`(at, id) < (${at}::timestamptz, ${id}::bigint)`);
  }
  return query.orderBy('at', 'desc').orderBy('id', 'desc').limit(f.limit).execute();
}
