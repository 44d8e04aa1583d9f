import { Controller, Inject } from '@nestjs/common';
import {
  type BodyOf,
  type ParamsOf,
  type QueryOf,
  tenancyEndpoints,
  type TenantUser,
} from '@zakpos/contracts';
import type { RequestContext } from '../common/context/request-context.js';
import { Body, Ctx, Params, Query, Route } from '../common/http/route.decorator.js';
import { UserService } from './user.service.js';

@Controller()
export class UserController {
  constructor(@Inject(UserService) private readonly users: UserService) {}

  @Route(tenancyEndpoints.listUsers)
  list(
    @Ctx() ctx: RequestContext,
    @Query() q: QueryOf<typeof tenancyEndpoints.listUsers>,
  ): Promise<{ items: TenantUser[]; nextCursor: string | null }> {
    return this.users.list(ctx, q);
  }

  @Route(tenancyEndpoints.getUser)
  get(
    @Ctx() ctx: RequestContext,
    @Params() p: ParamsOf<typeof tenancyEndpoints.getUser>,
  ): Promise<TenantUser> {
    return this.users.get(ctx, p.id);
  }

  @Route(tenancyEndpoints.createUser)
  create(
    @Ctx() ctx: RequestContext,
    @Body() body: BodyOf<typeof tenancyEndpoints.createUser>,
  ): Promise<TenantUser> {
    return this.users.create(ctx, body);
  }

  @Route(tenancyEndpoints.updateUser)
  update(
    @Ctx() ctx: RequestContext,
    @Params() p: ParamsOf<typeof tenancyEndpoints.updateUser>,
    @Body() body: BodyOf<typeof tenancyEndpoints.updateUser>,
  ): Promise<TenantUser> {
    return this.users.update(ctx, p.id, body);
  }
}
