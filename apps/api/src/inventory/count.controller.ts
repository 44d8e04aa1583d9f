import { Controller, Inject } from '@nestjs/common';
import {
  type CountQuery,
  type IdParams,
  inventoryEndpoints as e,
  type OpenCountInput,
  type RecordCountLinesInput,
  type StockStoreParams,
} from '@zakpos/contracts';
import type { RequestContext } from '../common/context/request-context.js';
import { Body, Ctx, Params, Query, Route } from '../common/http/route.decorator.js';
import { CountService } from './count.service.js';

@Controller()
export class CountController {
  constructor(@Inject(CountService) private readonly counts: CountService) {}

  @Route(e.openCount)
  open(@Ctx() ctx: RequestContext, @Params() p: StockStoreParams, @Body() body: OpenCountInput) {
    return this.counts.open(ctx, p.storeId, body);
  }

  @Route(e.listCounts)
  list(@Ctx() ctx: RequestContext, @Params() p: StockStoreParams, @Query() q: CountQuery) {
    return this.counts.list(ctx, p.storeId, q);
  }

  @Route(e.getCount)
  get(@Ctx() ctx: RequestContext, @Params() p: IdParams) {
    return this.counts.get(ctx, p.id);
  }

  @Route(e.recordCountLines)
  recordLines(@Ctx() ctx: RequestContext, @Params() p: IdParams, @Body() body: RecordCountLinesInput) {
    return this.counts.recordLines(ctx, p.id, body);
  }

  @Route(e.completeCount)
  complete(@Ctx() ctx: RequestContext, @Params() p: IdParams) {
    return this.counts.complete(ctx, p.id);
  }
}
