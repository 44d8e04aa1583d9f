import { Injectable } from '@nestjs/common';
import type { RequestContext } from '../context/request-context.js';
import type { Tx } from '../../db/database.js';

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId?: string | null;
  data?: Record<string, unknown>;
}

/**
 * Appends to the audit log inside the caller's transaction, so an action and its record
 * commit or roll back together.
 */
@Injectable()
export class AuditService {
  async record(
    ctx: Pick<RequestContext, 'tenantId' | 'userId' | 'ip' | 'userAgent'>,
    tx: Tx,
    entry: AuditEntry,
  ): Promise<void> {
    await tx
      .insertInto('audit_log')
      .values({
        tenant_id: ctx.tenantId,
        actor_user_id: ctx.userId,
        action: entry.action,
        entity_type: entry.entityType,
        entity_id: entry.entityId ?? null,
        ip: ctx.ip || null,
        user_agent: ctx.userAgent,
        data: JSON.stringify(entry.data ?? {}),
      })
      .execute();
  }
}
