import { Controller, Inject } from '@nestjs/common';
import { type BodyOf, tenancyEndpoints, type TenantSettings } from '@zakpos/contracts';
import type { RequestContext } from '../common/context/request-context.js';
import { Body, Ctx, Route } from '../common/http/route.decorator.js';
import { TenantSettingsService } from './tenant-settings.service.js';

@Controller()
export class TenantSettingsController {
  constructor(@Inject(TenantSettingsService) private readonly settings: TenantSettingsService) {}

  @Route(tenancyEndpoints.getTenant)
  get(@Ctx() ctx: RequestContext): Promise<TenantSettings> {
    return this.settings.get(ctx);
  }

  @Route(tenancyEndpoints.updateTenant)
  update(
    @Ctx() ctx: RequestContext,
    @Body() body: BodyOf<typeof tenancyEndpoints.updateTenant>,
  ): Promise<TenantSettings> {
    return this.settings.update(ctx, body);
  }
}
