import { Controller, Inject, Res } from '@nestjs/common';
import { type BodyOf, type ParamsOf, type Refund, refundEndpoints, type SaleVoid } from '@zakpos/contracts';
import type { FastifyReply } from 'fastify';
import type { RequestContext } from '../common/context/request-context.js';
import { Body, Ctx, Params, Route } from '../common/http/route.decorator.js';
import { RefundService } from './refund.service.js';
import { VoidService } from './void.service.js';

type E = typeof refundEndpoints;

@Controller()
export class RefundsController {
  constructor(
    @Inject(RefundService) private readonly refunds: RefundService,
    @Inject(VoidService) private readonly voids: VoidService,
  ) {}

  @Route(refundEndpoints.refundSale)
  async refundSale(
    @Ctx() ctx: RequestContext,
    @Params() p: ParamsOf<E['refundSale']>,
    @Body() body: BodyOf<E['refundSale']>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Refund> {
    const result = await this.refunds.refundSale(ctx, p.id, body);
    void reply.status(result.status);
    return result.refund;
  }

  @Route(refundEndpoints.refundWithoutReceipt)
  async refundWithoutReceipt(
    @Ctx() ctx: RequestContext,
    @Body() body: BodyOf<E['refundWithoutReceipt']>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Refund> {
    const result = await this.refunds.refundWithoutReceipt(ctx, body);
    void reply.status(result.status);
    return result.refund;
  }

  @Route(refundEndpoints.getRefund)
  get(@Ctx() ctx: RequestContext, @Params() p: ParamsOf<E['getRefund']>): Promise<Refund> {
    return this.refunds.get(ctx, p.id);
  }

  @Route(refundEndpoints.saleRefunds)
  ofSale(@Ctx() ctx: RequestContext, @Params() p: ParamsOf<E['saleRefunds']>): Promise<{ items: Refund[] }> {
    return this.refunds.ofSale(ctx, p.id);
  }

  @Route(refundEndpoints.voidSale)
  async voidSale(
    @Ctx() ctx: RequestContext,
    @Params() p: ParamsOf<E['voidSale']>,
    @Body() body: BodyOf<E['voidSale']>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SaleVoid> {
    const result = await this.voids.voidSale(ctx, p.id, body);
    void reply.status(result.status);
    return result.void;
  }
}
