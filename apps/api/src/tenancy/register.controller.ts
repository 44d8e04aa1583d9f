import { Controller, Inject } from '@nestjs/common';
import { type BodyOf, type ParamsOf, type Register, tenancyEndpoints } from '@zakpos/contracts';
import type { RequestContext } from '../common/context/request-context.js';
import { Body, Ctx, Params, Route } from '../common/http/route.decorator.js';
import { RegisterService } from './register.service.js';

@Controller()
export class RegisterController {
  constructor(@Inject(RegisterService) private readonly registers: RegisterService) {}

  @Route(tenancyEndpoints.listRegisters)
  async list(
    @Ctx() ctx: RequestContext,
    @Params() p: ParamsOf<typeof tenancyEndpoints.listRegisters>,
  ): Promise<{ items: Register[] }> {
    return { items: await this.registers.list(ctx, p.storeId) };
  }

  @Route(tenancyEndpoints.createRegister)
  create(
    @Ctx() ctx: RequestContext,
    @Params() p: ParamsOf<typeof tenancyEndpoints.createRegister>,
    @Body() body: BodyOf<typeof tenancyEndpoints.createRegister>,
  ): Promise<Register> {
    return this.registers.create(ctx, p.storeId, body);
  }

  @Route(tenancyEndpoints.updateRegister)
  update(
    @Ctx() ctx: RequestContext,
    @Params() p: ParamsOf<typeof tenancyEndpoints.updateRegister>,
    @Body() body: BodyOf<typeof tenancyEndpoints.updateRegister>,
  ): Promise<Register> {
    return this.registers.update(ctx, p.id, body);
  }
}
