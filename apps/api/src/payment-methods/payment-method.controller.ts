import { Controller, Inject } from '@nestjs/common';
import {
  type BodyOf,
  type ParamsOf,
  type PaymentMethod,
  paymentMethodEndpoints,
  type QueryOf,
} from '@zakpos/contracts';
import type { RequestContext } from '../common/context/request-context.js';
import { Body, Ctx, Params, Query, Route } from '../common/http/route.decorator.js';
import { PaymentMethodService } from './payment-method.service.js';

@Controller()
export class PaymentMethodController {
  constructor(@Inject(PaymentMethodService) private readonly paymentMethods: PaymentMethodService) {}

  @Route(paymentMethodEndpoints.listPaymentMethods)
  async list(
    @Ctx() ctx: RequestContext,
    @Query() q: QueryOf<typeof paymentMethodEndpoints.listPaymentMethods>,
  ): Promise<{ items: PaymentMethod[] }> {
    return { items: await this.paymentMethods.list(ctx, q) };
  }

  @Route(paymentMethodEndpoints.createPaymentMethod)
  create(
    @Ctx() ctx: RequestContext,
    @Body() body: BodyOf<typeof paymentMethodEndpoints.createPaymentMethod>,
  ): Promise<PaymentMethod> {
    return this.paymentMethods.create(ctx, body);
  }

  @Route(paymentMethodEndpoints.updatePaymentMethod)
  update(
    @Ctx() ctx: RequestContext,
    @Params() p: ParamsOf<typeof paymentMethodEndpoints.updatePaymentMethod>,
    @Body() body: BodyOf<typeof paymentMethodEndpoints.updatePaymentMethod>,
  ): Promise<PaymentMethod> {
    return this.paymentMethods.update(ctx, p.id, body);
  }
}
