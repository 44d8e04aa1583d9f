import { Controller, Inject, Res } from '@nestjs/common';
import { type BodyOf, type ParamsOf, type QueryOf, type Sale, salesEndpoints } from '@zakpos/contracts';
import type { FastifyReply } from 'fastify';
import type { RequestContext } from '../common/context/request-context.js';
import { Body, Ctx, Params, Query, Route } from '../common/http/route.decorator.js';
import { CheckoutService } from './checkout.service.js';
import { SaleQueryService } from './sale-query.service.js';

type E = typeof salesEndpoints;

@Controller()
export class SalesController {
  constructor(
    @Inject(CheckoutService) private readonly checkouts: CheckoutService,
    @Inject(SaleQueryService) private readonly sales: SaleQueryService,
  ) {}

  @Route(salesEndpoints.checkout)
  async checkout(
    @Ctx() ctx: RequestContext,
    @Body() body: BodyOf<E['checkout']>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Sale> {
    const result = await this.checkouts.checkout(ctx, body);
    void reply.status(result.status);
    return result.sale;
  }

  @Route(salesEndpoints.getSale)
  get(@Ctx() ctx: RequestContext, @Params() p: ParamsOf<E['getSale']>): Promise<Sale> {
    return this.sales.get(ctx, p.id);
  }

  @Route(salesEndpoints.listSales)
  list(
    @Ctx() ctx: RequestContext,
    @Query() q: QueryOf<E['listSales']>,
  ): Promise<{ items: Sale[]; nextCursor: string | null }> {
    return this.sales.list(ctx, q);
  }

  @Route(salesEndpoints.customerSales)
  customerSales(
    @Ctx() ctx: RequestContext,
    @Params() p: ParamsOf<E['customerSales']>,
    @Query() q: QueryOf<E['customerSales']>,
  ): Promise<{ items: Sale[]; nextCursor: string | null }> {
    return this.sales.customerSales(ctx, p.id, q);
  }
}
