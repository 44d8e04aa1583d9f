import { Controller, Inject } from '@nestjs/common';
import {
  type BarcodeInput,
  catalogEndpoints,
  type CreateProductInput,
  type IdParams,
  type Product,
  type ProductListQuery,
  type UpdateProductInput,
} from '@zakpos/contracts';
import type { RequestContext } from '../common/context/request-context.js';
import { Body, Ctx, Params, Query, Route } from '../common/http/route.decorator.js';
import { ProductService } from './product.service.js';

@Controller()
export class ProductController {
  constructor(@Inject(ProductService) private readonly products: ProductService) {}

  @Route(catalogEndpoints.listProducts)
  list(
    @Ctx() ctx: RequestContext,
    @Query() q: ProductListQuery,
  ): Promise<{ items: Product[]; nextCursor: string | null }> {
    return this.products.list(ctx, q);
  }

  @Route(catalogEndpoints.getProduct)
  get(@Ctx() ctx: RequestContext, @Params() p: IdParams): Promise<Product> {
    return this.products.get(ctx, p.id);
  }

  @Route(catalogEndpoints.createProduct)
  create(@Ctx() ctx: RequestContext, @Body() body: CreateProductInput): Promise<Product> {
    return this.products.create(ctx, body);
  }

  @Route(catalogEndpoints.updateProduct)
  update(
    @Ctx() ctx: RequestContext,
    @Params() p: IdParams,
    @Body() body: UpdateProductInput,
  ): Promise<Product> {
    return this.products.update(ctx, p.id, body);
  }

  @Route(catalogEndpoints.deactivateProduct)
  deactivate(@Ctx() ctx: RequestContext, @Params() p: IdParams): Promise<Product> {
    return this.products.deactivate(ctx, p.id);
  }

  @Route(catalogEndpoints.addProductBarcode)
  addBarcode(
    @Ctx() ctx: RequestContext,
    @Params() p: IdParams,
    @Body() body: BarcodeInput,
  ): Promise<Product> {
    return this.products.addBarcode(ctx, p.id, body);
  }

  @Route(catalogEndpoints.removeProductBarcode)
  removeBarcode(@Ctx() ctx: RequestContext, @Params() p: { id: string; code: string }): Promise<Product> {
    return this.products.removeBarcode(ctx, p.id, p.code);
  }
}
