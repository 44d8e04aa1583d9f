import { Controller, Inject } from '@nestjs/common';
import { type BodyOf, inventoryEndpoints as e, type ParamsOf, type QueryOf } from '@zakpos/contracts';
import type { RequestContext } from '../common/context/request-context.js';
import { Body, Ctx, Params, Query, Route } from '../common/http/route.decorator.js';
import { StockService } from './stock.service.js';

@Controller()
export class StockController {
  constructor(@Inject(StockService) private readonly stock: StockService) {}

  @Route(e.listStock)
  list(
    @Ctx() ctx: RequestContext,
    @Params() p: ParamsOf<typeof e.listStock>,
    @Query() q: QueryOf<typeof e.listStock>,
  ) {
    return this.stock.listLevels(ctx, p.storeId, q);
  }

  @Route(e.listLowStock)
  listLow(
    @Ctx() ctx: RequestContext,
    @Params() p: ParamsOf<typeof e.listLowStock>,
    @Query() q: QueryOf<typeof e.listLowStock>,
  ) {
    return this.stock.listLow(ctx, p.storeId, q);
  }

  @Route(e.listMovements)
  listMovements(
    @Ctx() ctx: RequestContext,
    @Params() p: ParamsOf<typeof e.listMovements>,
    @Query() q: QueryOf<typeof e.listMovements>,
  ) {
    return this.stock.listMovements(ctx, p.storeId, q);
  }

  @Route(e.createAdjustment)
  adjust(
    @Ctx() ctx: RequestContext,
    @Params() p: ParamsOf<typeof e.createAdjustment>,
    @Body() body: BodyOf<typeof e.createAdjustment>,
  ) {
    return this.stock.adjust(ctx, p.storeId, body);
  }

  @Route(e.setLowStockThreshold)
  setThreshold(
    @Ctx() ctx: RequestContext,
    @Params() p: ParamsOf<typeof e.setLowStockThreshold>,
    @Body() body: BodyOf<typeof e.setLowStockThreshold>,
  ) {
    return this.stock.setThreshold(ctx, p.storeId, p.productId, body);
  }
}
