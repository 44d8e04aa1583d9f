import { Controller, Inject } from '@nestjs/common';
import { type CashReport, cashReportEndpoints, type ParamsOf, type QueryOf } from '@zakpos/contracts';
import type { RequestContext } from '../common/context/request-context.js';
import { Ctx, Params, Query, Route } from '../common/http/route.decorator.js';
import { CashReportService } from './cash-report.service.js';

type E = typeof cashReportEndpoints;

@Controller()
export class CashReportController {
  constructor(@Inject(CashReportService) private readonly reports: CashReportService) {}

  @Route(cashReportEndpoints.getXReport)
  x(@Ctx() ctx: RequestContext, @Params() p: ParamsOf<E['getXReport']>): Promise<CashReport> {
    return this.reports.x(ctx, p.id);
  }

  @Route(cashReportEndpoints.getZReport)
  z(@Ctx() ctx: RequestContext, @Params() p: ParamsOf<E['getZReport']>): Promise<CashReport> {
    return this.reports.z(ctx, p.id);
  }

  @Route(cashReportEndpoints.listZReports)
  list(
    @Ctx() ctx: RequestContext,
    @Params() p: ParamsOf<E['listZReports']>,
    @Query() q: QueryOf<E['listZReports']>,
  ): Promise<{ items: CashReport[]; nextCursor: string | null }> {
    return this.reports.list(ctx, p.id, q);
  }
}
