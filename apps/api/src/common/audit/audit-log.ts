import type { Tx } from '../../db/database.js';
import type { RequestContext } from '../context/request-context.js';

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId?: string | null;
  /**
   * The stores the entry concerns (an adjustment's store, both stores of a transfer): who may work in one
   * of them reads it. Omitted for a tenant-wide entry (see inStores in tenancy/audit-log.repository.ts).
   */
  storeIds?: readonly string[];
  data?: Record<string, unknown>;
}

/** Who did it, from where. */
export type AuditActor = Pick<RequestContext, 'tenantId' | 'userId' | 'ip' | 'userAgent'>;

/**
 * Appends to the audit log inside the caller's unit of work, so an action and its record commit or
 * roll back together.
 */
export async function recordAudit(tx: Tx, actor: AuditActor, entry: AuditEntry): Promise<void> {
  await tx
    .insertInto('audit_log')
    .values({
      tenant_id: actor.tenantId,
      actor_user_id: actor.userId,
      action: entry.action,
      entity_type: entry.entityType,
      entity_id: entry.entityId ?? null,
      store_ids: entry.storeIds?.length ? [...new Set(entry.storeIds)] : null,
      ip: actor.ip || null,
      user_agent: actor.userAgent,
      data: JSON.stringify(entry.data ?? {}),
    })
    .execute();
}
