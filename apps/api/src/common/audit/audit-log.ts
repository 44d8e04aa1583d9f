import type { Tx } from '../../db/database.js';
import type { RequestContext } from '../context/request-context.js';

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId?: string | null;
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
      ip: actor.ip || null,
      user_agent: actor.userAgent,
      data: JSON.stringify(entry.data ?? {}),
    })
    .execute();
}
