import { Controller, Inject } from '@nestjs/common';
import {
  type CreateAdjustmentInput,
  inventoryEndpoints as e,
  type LowStockQuery,
  type MovementQuery,
  type SetThresholdInput,
  type StockLevelQuery,
  type StockProductParams,
  type StockStoreParams,
} from '@zakpos/contracts';
import type { RequestContext } from '../common/context/request-context.js';
import { Body, Ctx, Params, Query, Route } from '../common/http/route.decorator.js';
import { StockService } from './stock.service.js';

@Controller()
export class StockController {
  constructor(@Inject(StockService) private readonly stock: StockService) {}

  @Route(e.listStock)
  list(@Ctx() ctx: RequestContext, @Params() p: StockStoreParams, @Query() q: StockLevelQuery) {
    return this.stock.listLevels(ctx, p.storeId, q);
  }

  @Route(e.listLowStock)
  listLow(@Ctx() ctx: RequestContext, @Params() p: StockStoreParams, @Query() q: LowStockQuery) {
    return this.stock.listLow(ctx, p.storeId, q);
  }

  @Route(e.listMovements)
  listMovements(@Ctx() ctx: RequestContext, @Params() p: StockStoreParams, @Query() q: MovementQuery) {
    return this.stock.listMovements(ctx, p.storeId, q);
  }

  @Route(e.createAdjustment)
  adjust(@Ctx() ctx: RequestContext, @Params() p: StockStoreParams, @Body() body: CreateAdjustmentInput) {
    return this.stock.adjust(ctx, p.storeId, body);
  }

  @Route(e.setLowStockThreshold)
  setThreshold(@Ctx() ctx: RequestContext, @Params() p: StockProductParams, @Body() body: SetThresholdInput) {
    return this.stock.setThreshold(ctx, p.storeId, p.productId, body);
  }
}
