import { Controller, Inject, Res } from '@nestjs/common';
import {
  type BodyOf,
  CSV_MEDIA_TYPE,
  type ParamsOf,
  type QueryOf,
  reportExportEndpoints,
} from '@zakpos/contracts';
import type { FastifyReply } from 'fastify';
import type { RequestContext } from '../common/context/request-context.js';
import { Body, Ctx, Params, Query, Route } from '../common/http/route.decorator.js';
import { ReportExportService } from './report-export.service.js';

type E = typeof reportExportEndpoints;

@Controller()
export class ReportExportsController {
  constructor(@Inject(ReportExportService) private readonly exports: ReportExportService) {}

  @Route(reportExportEndpoints.createReportExport)
  create(@Ctx() ctx: RequestContext, @Body() body: BodyOf<E['createReportExport']>) {
    return this.exports.create(ctx, body);
  }

  @Route(reportExportEndpoints.getReportExport)
  get(@Ctx() ctx: RequestContext, @Params() p: ParamsOf<E['getReportExport']>) {
    return this.exports.get(ctx, p.id);
  }

  @Route(reportExportEndpoints.reportExportFile)
  async file(
    @Params() p: ParamsOf<E['reportExportFile']>,
    @Query() q: QueryOf<E['reportExportFile']>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { body, filename } = await this.exports.file(p.id, q);
    void reply
      .header('content-type', CSV_MEDIA_TYPE)
      .header('content-disposition', `attachment; filename="${filename}"`)
      .header('cache-control', 'private, no-store');
    return body;
  }
}
