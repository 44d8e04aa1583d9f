import { Controller, Inject, Req, Res } from '@nestjs/common';
import {
  type ParamsOf,
  type QueryOf,
  type ReceiptQuery,
  receiptEndpoints,
  receiptMediaTypes,
} from '@zakpos/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RequestContext } from '../common/context/request-context.js';
import { Ctx, Params, Query, Route } from '../common/http/route.decorator.js';
import { type RenderedReceipt, ReceiptService } from './receipt.service.js';

type E = typeof receiptEndpoints;

@Controller()
export class ReceiptsController {
  constructor(@Inject(ReceiptService) private readonly receipts: ReceiptService) {}

  @Route(receiptEndpoints.saleReceipt)
  async saleReceipt(
    @Ctx() ctx: RequestContext,
    @Params() p: ParamsOf<E['saleReceipt']>,
    @Query() q: QueryOf<E['saleReceipt']>,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string | Buffer> {
    // Fastify answers HEAD with this GET route: that is no print.
    const count = request.method !== 'HEAD';
    return send(reply, q, await this.receipts.saleReceipt(ctx, p.id, q, { count }));
  }

  @Route(receiptEndpoints.refundReceipt)
  async refundReceipt(
    @Ctx() ctx: RequestContext,
    @Params() p: ParamsOf<E['refundReceipt']>,
    @Query() q: QueryOf<E['refundReceipt']>,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string | Buffer> {
    const count = request.method !== 'HEAD';
    return send(reply, q, await this.receipts.refundReceipt(ctx, p.id, q, { count }));
  }

  @Route(receiptEndpoints.zReportReceipt)
  async zReportReceipt(
    @Ctx() ctx: RequestContext,
    @Params() p: ParamsOf<E['zReportReceipt']>,
    @Query() q: QueryOf<E['zReportReceipt']>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string | Buffer> {
    return send(reply, q, await this.receipts.zReportReceipt(ctx, p.id, q));
  }
}

function send(reply: FastifyReply, q: ReceiptQuery, receipt: RenderedReceipt): string | Buffer {
  void reply.header('content-type', receiptMediaTypes[q.format]);
  return typeof receipt === 'string' ? receipt : Buffer.from(receipt);
}
