import { Controller, Inject } from '@nestjs/common';
import { type BodyOf, inventoryEndpoints as e, type ParamsOf, type QueryOf } from '@zakpos/contracts';
import type { RequestContext } from '../common/context/request-context.js';
import { Body, Ctx, Params, Query, Route } from '../common/http/route.decorator.js';
import { CountService } from './count.service.js';

@Controller()
export class CountController {
  constructor(@Inject(CountService) private readonly counts: CountService) {}

  @Route(e.openCount)
  open(
    @Ctx() ctx: RequestContext,
    @Params() p: ParamsOf<typeof e.openCount>,
    @Body() body: BodyOf<typeof e.openCount>,
  ) {
    return this.counts.open(ctx, p.storeId, body);
  }

  @Route(e.listCounts)
  list(
    @Ctx() ctx: RequestContext,
    @Params() p: ParamsOf<typeof e.listCounts>,
    @Query() q: QueryOf<typeof e.listCounts>,
  ) {
    return this.counts.list(ctx, p.storeId, q);
  }

  @Route(e.getCount)
  get(@Ctx() ctx: RequestContext, @Params() p: ParamsOf<typeof e.getCount>) {
    return this.counts.get(ctx, p.id);
  }

  @Route(e.recordCountLines)
  recordLines(
    @Ctx() ctx: RequestContext,
    @Params() p: ParamsOf<typeof e.recordCountLines>,
    @Body() body: BodyOf<typeof e.recordCountLines>,
  ) {
    return this.counts.recordLines(ctx, p.id, body);
  }

  @Route(e.completeCount)
  complete(@Ctx() ctx: RequestContext, @Params() p: ParamsOf<typeof e.completeCount>) {
    return this.counts.complete(ctx, p.id);
  }
}
