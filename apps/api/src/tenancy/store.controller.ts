import { Controller, Inject } from '@nestjs/common';
import { type BodyOf, type ParamsOf, type Store, tenancyEndpoints } from '@zakpos/contracts';
import type { RequestContext } from '../common/context/request-context.js';
import { Body, Ctx, Params, Route } from '../common/http/route.decorator.js';
import { StoreService } from './store.service.js';

@Controller()
export class StoreController {
  constructor(@Inject(StoreService) private readonly stores: StoreService) {}

  @Route(tenancyEndpoints.listStores)
  async list(@Ctx() ctx: RequestContext): Promise<{ items: Store[] }> {
    return { items: await this.stores.list(ctx) };
  }

  @Route(tenancyEndpoints.getStore)
  get(@Ctx() ctx: RequestContext, @Params() p: ParamsOf<typeof tenancyEndpoints.getStore>): Promise<Store> {
    return this.stores.get(ctx, p.id);
  }

  @Route(tenancyEndpoints.createStore)
  create(
    @Ctx() ctx: RequestContext,
    @Body() body: BodyOf<typeof tenancyEndpoints.createStore>,
  ): Promise<Store> {
    return this.stores.create(ctx, body);
  }

  @Route(tenancyEndpoints.updateStore)
  update(
    @Ctx() ctx: RequestContext,
    @Params() p: ParamsOf<typeof tenancyEndpoints.updateStore>,
    @Body() body: BodyOf<typeof tenancyEndpoints.updateStore>,
  ): Promise<Store> {
    return this.stores.update(ctx, p.id, body);
  }
}
