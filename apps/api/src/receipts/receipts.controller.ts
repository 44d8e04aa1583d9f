import { Controller, Inject, Req, Res } from '@nestjs/common';
import { type ParamsOf, type QueryOf, receiptEndpoints, receiptMediaTypes } from '@zakpos/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RequestContext } from '../common/context/request-context.js';
import { Ctx, Params, Query, Route } from '../common/http/route.decorator.js';
import { ReceiptService } from './receipt.service.js';

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
    const receipt = await this.receipts.saleReceipt(ctx, p.id, q, { count });
    void reply.header('content-type', receiptMediaTypes[q.format]);
    return typeof receipt === 'string' ? receipt : Buffer.from(receipt);
  }
}
