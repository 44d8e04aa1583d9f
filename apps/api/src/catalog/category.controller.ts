import { Controller, Inject } from '@nestjs/common';
import { type BodyOf, catalogEndpoints, type Category, type ParamsOf } from '@zakpos/contracts';
import type { RequestContext } from '../common/context/request-context.js';
import { Body, Ctx, Params, Route } from '../common/http/route.decorator.js';
import { CategoryService } from './category.service.js';

@Controller()
export class CategoryController {
  constructor(@Inject(CategoryService) private readonly categories: CategoryService) {}

  @Route(catalogEndpoints.listCategories)
  async list(@Ctx() ctx: RequestContext): Promise<{ items: Category[] }> {
    return { items: await this.categories.list(ctx) };
  }

  @Route(catalogEndpoints.getCategory)
  get(
    @Ctx() ctx: RequestContext,
    @Params() p: ParamsOf<typeof catalogEndpoints.getCategory>,
  ): Promise<Category> {
    return this.categories.get(ctx, p.id);
  }

  @Route(catalogEndpoints.createCategory)
  create(
    @Ctx() ctx: RequestContext,
    @Body() body: BodyOf<typeof catalogEndpoints.createCategory>,
  ): Promise<Category> {
    return this.categories.create(ctx, body);
  }

  @Route(catalogEndpoints.updateCategory)
  update(
    @Ctx() ctx: RequestContext,
    @Params() p: ParamsOf<typeof catalogEndpoints.updateCategory>,
    @Body() body: BodyOf<typeof catalogEndpoints.updateCategory>,
  ): Promise<Category> {
    return this.categories.update(ctx, p.id, body);
  }

  @Route(catalogEndpoints.deleteCategory)
  remove(
    @Ctx() ctx: RequestContext,
    @Params() p: ParamsOf<typeof catalogEndpoints.deleteCategory>,
  ): Promise<{ ok: true }> {
    return this.categories.remove(ctx, p.id);
  }
}
