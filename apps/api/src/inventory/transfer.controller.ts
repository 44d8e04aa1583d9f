import { Controller, Inject } from '@nestjs/common';
import { type BodyOf, inventoryEndpoints as e, type ParamsOf, type QueryOf } from '@zakpos/contracts';
import type { RequestContext } from '../common/context/request-context.js';
import { Body, Ctx, Params, Query, Route } from '../common/http/route.decorator.js';
import { TransferService } from './transfer.service.js';

@Controller()
export class TransferController {
  constructor(@Inject(TransferService) private readonly transfers: TransferService) {}

  @Route(e.sendTransfer)
  send(@Ctx() ctx: RequestContext, @Body() body: BodyOf<typeof e.sendTransfer>) {
    return this.transfers.send(ctx, body);
  }

  @Route(e.receiveTransfer)
  receive(@Ctx() ctx: RequestContext, @Params() p: ParamsOf<typeof e.receiveTransfer>) {
    return this.transfers.receive(ctx, p.id);
  }

  @Route(e.listTransfers)
  list(@Ctx() ctx: RequestContext, @Query() q: QueryOf<typeof e.listTransfers>) {
    return this.transfers.list(ctx, q);
  }

  @Route(e.getTransfer)
  get(@Ctx() ctx: RequestContext, @Params() p: ParamsOf<typeof e.getTransfer>) {
    return this.transfers.get(ctx, p.id);
  }
}
