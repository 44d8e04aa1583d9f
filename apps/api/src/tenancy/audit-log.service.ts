import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod';
import type { AuditEntry, AuditLogQuery } from '@zakpos/contracts';
import type { RequestContext } from '../common/context/request-context.js';
import { Database } from '../db/database.js';
import { type AuditRow, listAudit } from './audit-log.repository.js';
import { Cursors, cursorKind } from '../common/paging/cursor.js';

const auditCursor = cursorKind('audit-log', z.tuple([z.iso.datetime(), z.number().int().positive()]));

/** Reads the audit log (audit.read): owners the whole tenant's, managers what concerns their stores. */
@Injectable()
export class AuditLogService {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(Cursors) private readonly cursors: Cursors,
  ) {}

  list(ctx: RequestContext, q: AuditLogQuery): Promise<{ items: AuditEntry[]; nextCursor: string | null }> {
    const before =
      q.cursor === undefined ? undefined : this.cursors.decode(ctx.tenantId, auditCursor, q.cursor);
    return this.db.tenant(ctx, async (tx) => {
      const rows = await listAudit(tx, ctx.tenantId, {
        action: q.action,
        entityType: q.entityType,
        from: q.from,
        to: q.to,
        before: before && { at: before[0], id: before[1] },
        visibleStores: ctx.storeIds,
        limit: q.limit + 1,
      });
      return this.cursors.page(ctx.tenantId, auditCursor, rows, q.limit, toEntry, (r) => [r.at, r.id]);
    });
  }
}

function toEntry(row: AuditRow): AuditEntry {
  return {
    id: row.public_id,
    at: row.at,
    actorUserId: row.actor_user_id,
    action: row.action,
    entityType: row.entity_type,
    entityId: row.entity_id,
    ip: row.ip,
    userAgent: row.user_agent,
    data: row.data,
  };
}
