import { Controller, Inject } from '@nestjs/common';
import { type BodyOf, type Cart, cartEndpoints, type ParamsOf, type QueryOf } from '@zakpos/contracts';
import type { RequestContext } from '../common/context/request-context.js';
import { Body, Ctx, Params, Query, Route } from '../common/http/route.decorator.js';
import { CartService } from './cart.service.js';

type E = typeof cartEndpoints;

@Controller()
export class CartController {
  constructor(@Inject(CartService) private readonly carts: CartService) {}

  @Route(cartEndpoints.createCart)
  create(@Ctx() ctx: RequestContext, @Body() body: BodyOf<E['createCart']>): Promise<Cart> {
    return this.carts.create(ctx, body);
  }

  @Route(cartEndpoints.getCart)
  get(@Ctx() ctx: RequestContext, @Params() p: ParamsOf<E['getCart']>): Promise<Cart> {
    return this.carts.get(ctx, p.id);
  }

  @Route(cartEndpoints.addCartLine)
  addLine(
    @Ctx() ctx: RequestContext,
    @Params() p: ParamsOf<E['addCartLine']>,
    @Body() body: BodyOf<E['addCartLine']>,
  ): Promise<Cart> {
    return this.carts.addLine(ctx, p.id, body);
  }

  @Route(cartEndpoints.updateCartLine)
  updateLine(
    @Ctx() ctx: RequestContext,
    @Params() p: ParamsOf<E['updateCartLine']>,
    @Body() body: BodyOf<E['updateCartLine']>,
  ): Promise<Cart> {
    return this.carts.updateLine(ctx, p.id, p.lineId, body);
  }

  @Route(cartEndpoints.removeCartLine)
  removeLine(
    @Ctx() ctx: RequestContext,
    @Params() p: ParamsOf<E['removeCartLine']>,
    @Query() q: QueryOf<E['removeCartLine']>,
  ): Promise<Cart> {
    return this.carts.removeLine(ctx, p.id, p.lineId, q.version);
  }

  @Route(cartEndpoints.updateCart)
  update(
    @Ctx() ctx: RequestContext,
    @Params() p: ParamsOf<E['updateCart']>,
    @Body() body: BodyOf<E['updateCart']>,
  ): Promise<Cart> {
    return this.carts.update(ctx, p.id, body);
  }

  @Route(cartEndpoints.parkCart)
  park(
    @Ctx() ctx: RequestContext,
    @Params() p: ParamsOf<E['parkCart']>,
    @Body() body: BodyOf<E['parkCart']>,
  ): Promise<Cart> {
    return this.carts.park(ctx, p.id, body.version);
  }

  @Route(cartEndpoints.resumeCart)
  resume(
    @Ctx() ctx: RequestContext,
    @Params() p: ParamsOf<E['resumeCart']>,
    @Body() body: BodyOf<E['resumeCart']>,
  ): Promise<Cart> {
    return this.carts.resume(ctx, p.id, body.version);
  }

  @Route(cartEndpoints.voidCart)
  void(
    @Ctx() ctx: RequestContext,
    @Params() p: ParamsOf<E['voidCart']>,
    @Body() body: BodyOf<E['voidCart']>,
  ): Promise<Cart> {
    return this.carts.void(ctx, p.id, body.version);
  }

  @Route(cartEndpoints.listStoreCarts)
  list(
    @Ctx() ctx: RequestContext,
    @Params() p: ParamsOf<E['listStoreCarts']>,
    @Query() q: QueryOf<E['listStoreCarts']>,
  ): Promise<{ items: Cart[]; nextCursor: string | null }> {
    return this.carts.list(ctx, p.storeId, q);
  }
}
