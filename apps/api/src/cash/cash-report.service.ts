import { Inject, Injectable } from '@nestjs/common';
import type { CashReport } from '@zakpos/contracts';
import type { RequestContext } from '../common/context/request-context.js';
import { DomainError } from '../common/errors/domain-error.js';
import { Cursors, cursorKind, seqKey } from '../common/paging/cursor.js';
import { Database } from '../db/database.js';
import { loadRegister, loadSession } from './cash-access.js';
import { cashReportOf } from './cash-report.js';
import { findZReport, listZReports } from './z-report.repository.js';

const zCursor = cursorKind('z-reports', seqKey);

/** X reports (read live) and the stored Z reports (taken by CashSessionService.close). */
@Injectable()
export class CashReportService {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(Cursors) private readonly cursors: Cursors,
  ) {}

  x(ctx: RequestContext, sessionId: string): Promise<CashReport> {
    return this.db.tenant(ctx, async (tx) =>
      cashReportOf(tx, ctx, await loadSession(tx, ctx, sessionId), null),
    );
  }

  z(ctx: RequestContext, sessionId: string): Promise<CashReport> {
    return this.db.tenant(ctx, async (tx) => {
      await loadSession(tx, ctx, sessionId);
      const report = await findZReport(tx, ctx.tenantId, sessionId);
      if (!report) throw DomainError.notFound('Z report (the session is still open)');
      return report;
    });
  }

  list(
    ctx: RequestContext,
    registerId: string,
    q: { cursor?: string | undefined; limit: number },
  ): Promise<{ items: CashReport[]; nextCursor: string | null }> {
    const before =
      q.cursor === undefined ? undefined : this.cursors.decode(ctx.tenantId, zCursor, q.cursor)[0];
    return this.db.tenant(ctx, async (tx) => {
      await loadRegister(tx, ctx, registerId);
      const rows = await listZReports(tx, ctx.tenantId, registerId, {
        beforeNumber: before,
        limit: q.limit + 1,
      });
      return this.cursors.page(
        ctx.tenantId,
        zCursor,
        rows,
        q.limit,
        (r) => r.report,
        (r) => [r.number] as [number],
      );
    });
  }
}
