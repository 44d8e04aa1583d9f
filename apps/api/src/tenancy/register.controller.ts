import { Controller, Inject } from '@nestjs/common';
import {
  type CreateRegisterInput,
  type IdParams,
  type Register,
  type StoreIdParams,
  tenancyEndpoints,
  type UpdateRegisterInput,
} from '@zakpos/contracts';
import type { RequestContext } from '../common/context/request-context.js';
import { Body, Ctx, Params, Route } from '../common/http/route.decorator.js';
import { RegisterService } from './register.service.js';

@Controller()
export class RegisterController {
  constructor(@Inject(RegisterService) private readonly registers: RegisterService) {}

  @Route(tenancyEndpoints.listRegisters)
  async list(@Ctx() ctx: RequestContext, @Params() p: StoreIdParams): Promise<{ items: Register[] }> {
    return { items: await this.registers.list(ctx, p.storeId) };
  }

  @Route(tenancyEndpoints.createRegister)
  create(
    @Ctx() ctx: RequestContext,
    @Params() p: StoreIdParams,
    @Body() body: CreateRegisterInput,
  ): Promise<Register> {
    return this.registers.create(ctx, p.storeId, body);
  }

  @Route(tenancyEndpoints.updateRegister)
  update(
    @Ctx() ctx: RequestContext,
    @Params() p: IdParams,
    @Body() body: UpdateRegisterInput,
  ): Promise<Register> {
    return this.registers.update(ctx, p.id, body);
  }
}
