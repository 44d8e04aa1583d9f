import { Controller, Inject } from '@nestjs/common';
import { type BodyOf, catalogEndpoints, type ParamsOf, type Product, type QueryOf } from '@zakpos/contracts';
import type { RequestContext } from '../common/context/request-context.js';
import { Body, Ctx, Params, Query, Route } from '../common/http/route.decorator.js';
import { ProductService } from './product.service.js';

@Controller()
export class ProductController {
  constructor(@Inject(ProductService) private readonly products: ProductService) {}

  @Route(catalogEndpoints.listProducts)
  list(
    @Ctx() ctx: RequestContext,
    @Query() q: QueryOf<typeof catalogEndpoints.listProducts>,
  ): Promise<{ items: Product[]; nextCursor: string | null }> {
    return this.products.list(ctx, q);
  }

  @Route(catalogEndpoints.getProduct)
  get(
    @Ctx() ctx: RequestContext,
    @Params() p: ParamsOf<typeof catalogEndpoints.getProduct>,
  ): Promise<Product> {
    return this.products.get(ctx, p.id);
  }

  @Route(catalogEndpoints.createProduct)
  create(
    @Ctx() ctx: RequestContext,
    @Body() body: BodyOf<typeof catalogEndpoints.createProduct>,
  ): Promise<Product> {
    return this.products.create(ctx, body);
  }

  @Route(catalogEndpoints.updateProduct)
  update(
    @Ctx() ctx: RequestContext,
    @Params() p: ParamsOf<typeof catalogEndpoints.updateProduct>,
    @Body() body: BodyOf<typeof catalogEndpoints.updateProduct>,
  ): Promise<Product> {
    return this.products.update(ctx, p.id, body);
  }

  @Route(catalogEndpoints.deactivateProduct)
  deactivate(
    @Ctx() ctx: RequestContext,
    @Params() p: ParamsOf<typeof catalogEndpoints.deactivateProduct>,
  ): Promise<Product> {
    return this.products.deactivate(ctx, p.id);
  }

  @Route(catalogEndpoints.addProductBarcode)
  addBarcode(
    @Ctx() ctx: RequestContext,
    @Params() p: ParamsOf<typeof catalogEndpoints.addProductBarcode>,
    @Body() body: BodyOf<typeof catalogEndpoints.addProductBarcode>,
  ): Promise<Product> {
    return this.products.addBarcode(ctx, p.id, body);
  }

  @Route(catalogEndpoints.removeProductBarcode)
  removeBarcode(
    @Ctx() ctx: RequestContext,
    @Params() p: ParamsOf<typeof catalogEndpoints.removeProductBarcode>,
  ): Promise<Product> {
    return this.products.removeBarcode(ctx, p.id, p.code);
  }
}
