import type { Readable } from 'node:stream';
import { Controller, Inject, Req, Res } from '@nestjs/common';
import { CSV_MEDIA_TYPE, type ReportName, type ReportQuery, reportEndpoints } from '@zakpos/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RequestContext } from '../common/context/request-context.js';
import { Ctx, Query, Route } from '../common/http/route.decorator.js';
import { ReportService, type ReportResult } from './report.service.js';

/** CSV when asked by `format=csv`, or without a format by an Accept that names text/csv before JSON. */
export function wantsCsv(q: ReportQuery, accept: string | undefined): boolean {
  if (q.format) return q.format === 'csv';
  const types = (accept ?? '').split(',').map((t) => t.split(';')[0]!.trim().toLowerCase());
  const csv = types.indexOf('text/csv');
  const json = types.indexOf('application/json');
  return csv !== -1 && (json === -1 || csv < json);
}

@Controller()
export class ReportsController {
  constructor(@Inject(ReportService) private readonly reports: ReportService) {}

  @Route(reportEndpoints.salesByDay)
  salesByDay(
    @Ctx() ctx: RequestContext,
    @Query() q: ReportQuery,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.serve(ctx, 'sales-by-day', q, req, reply);
  }

  @Route(reportEndpoints.salesByHour)
  salesByHour(
    @Ctx() ctx: RequestContext,
    @Query() q: ReportQuery,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.serve(ctx, 'sales-by-hour', q, req, reply);
  }

  @Route(reportEndpoints.salesByProduct)
  salesByProduct(
    @Ctx() ctx: RequestContext,
    @Query() q: ReportQuery,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.serve(ctx, 'sales-by-product', q, req, reply);
  }

  @Route(reportEndpoints.salesByCategory)
  salesByCategory(
    @Ctx() ctx: RequestContext,
    @Query() q: ReportQuery,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.serve(ctx, 'sales-by-category', q, req, reply);
  }

  @Route(reportEndpoints.salesByCashier)
  salesByCashier(
    @Ctx() ctx: RequestContext,
    @Query() q: ReportQuery,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.serve(ctx, 'sales-by-cashier', q, req, reply);
  }

  @Route(reportEndpoints.salesByPaymentMethod)
  salesByPaymentMethod(
    @Ctx() ctx: RequestContext,
    @Query() q: ReportQuery,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.serve(ctx, 'sales-by-payment-method', q, req, reply);
  }

  @Route(reportEndpoints.tax)
  tax(
    @Ctx() ctx: RequestContext,
    @Query() q: ReportQuery,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.serve(ctx, 'tax', q, req, reply);
  }

  @Route(reportEndpoints.grossMargin)
  grossMargin(
    @Ctx() ctx: RequestContext,
    @Query() q: ReportQuery,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.serve(ctx, 'gross-margin', q, req, reply);
  }

  @Route(reportEndpoints.refunds)
  refunds(
    @Ctx() ctx: RequestContext,
    @Query() q: ReportQuery,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.serve(ctx, 'refunds', q, req, reply);
  }

  @Route(reportEndpoints.discounts)
  discounts(
    @Ctx() ctx: RequestContext,
    @Query() q: ReportQuery,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.serve(ctx, 'discounts', q, req, reply);
  }

  @Route(reportEndpoints.voids)
  voids(
    @Ctx() ctx: RequestContext,
    @Query() q: ReportQuery,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.serve(ctx, 'voids', q, req, reply);
  }

  private async serve(
    ctx: RequestContext,
    report: ReportName,
    q: ReportQuery,
    req: FastifyRequest,
    reply: FastifyReply,
  ): Promise<ReportResult | Readable> {
    if (!wantsCsv(q, req.headers.accept)) return this.reports.json(ctx, report, q);
    const body = await this.reports.csv(ctx, report, q);
    void reply
      .header('content-type', CSV_MEDIA_TYPE)
      .header('content-disposition', `attachment; filename="${report}_${q.from}_${q.to}.csv"`);
    return body;
  }
}
