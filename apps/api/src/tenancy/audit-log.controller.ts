import { Controller, Inject } from '@nestjs/common';
import { type AuditEntry, type QueryOf, tenancyEndpoints } from '@zakpos/contracts';
import type { RequestContext } from '../common/context/request-context.js';
import { Ctx, Query, Route } from '../common/http/route.decorator.js';
import { AuditLogService } from './audit-log.service.js';

@Controller()
export class AuditLogController {
  constructor(@Inject(AuditLogService) private readonly auditLog: AuditLogService) {}

  @Route(tenancyEndpoints.listAuditLog)
  list(
    @Ctx() ctx: RequestContext,
    @Query() q: QueryOf<typeof tenancyEndpoints.listAuditLog>,
  ): Promise<{ items: AuditEntry[]; nextCursor: string | null }> {
    return this.auditLog.list(ctx, q);
  }
}
