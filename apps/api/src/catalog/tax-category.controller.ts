import { Controller, Inject } from '@nestjs/common';
import { type BodyOf, catalogEndpoints, type ParamsOf, type TaxCategory } from '@zakpos/contracts';
import type { RequestContext } from '../common/context/request-context.js';
import { Body, Ctx, Params, Route } from '../common/http/route.decorator.js';
import { TaxCategoryService } from './tax-category.service.js';

@Controller()
export class TaxCategoryController {
  constructor(@Inject(TaxCategoryService) private readonly taxCategories: TaxCategoryService) {}

  @Route(catalogEndpoints.listTaxCategories)
  async list(@Ctx() ctx: RequestContext): Promise<{ items: TaxCategory[] }> {
    return { items: await this.taxCategories.list(ctx) };
  }

  @Route(catalogEndpoints.getTaxCategory)
  get(
    @Ctx() ctx: RequestContext,
    @Params() p: ParamsOf<typeof catalogEndpoints.getTaxCategory>,
  ): Promise<TaxCategory> {
    return this.taxCategories.get(ctx, p.id);
  }

  @Route(catalogEndpoints.createTaxCategory)
  create(
    @Ctx() ctx: RequestContext,
    @Body() body: BodyOf<typeof catalogEndpoints.createTaxCategory>,
  ): Promise<TaxCategory> {
    return this.taxCategories.create(ctx, body);
  }

  @Route(catalogEndpoints.updateTaxCategory)
  update(
    @Ctx() ctx: RequestContext,
    @Params() p: ParamsOf<typeof catalogEndpoints.updateTaxCategory>,
    @Body() body: BodyOf<typeof catalogEndpoints.updateTaxCategory>,
  ): Promise<TaxCategory> {
    return this.taxCategories.update(ctx, p.id, body);
  }

  @Route(catalogEndpoints.deleteTaxCategory)
  remove(
    @Ctx() ctx: RequestContext,
    @Params() p: ParamsOf<typeof catalogEndpoints.deleteTaxCategory>,
  ): Promise<{ ok: true }> {
    return this.taxCategories.remove(ctx, p.id);
  }
}
