import { Controller, Inject } from '@nestjs/common';
import {
  type BodyOf,
  type Customer,
  customerEndpoints,
  type ParamsOf,
  type QueryOf,
} from '@zakpos/contracts';
import type { RequestContext } from '../common/context/request-context.js';
import { Body, Ctx, Params, Query, Route } from '../common/http/route.decorator.js';
import { CustomerService } from './customer.service.js';

@Controller()
export class CustomerController {
  constructor(@Inject(CustomerService) private readonly customers: CustomerService) {}

  @Route(customerEndpoints.listCustomers)
  list(
    @Ctx() ctx: RequestContext,
    @Query() q: QueryOf<typeof customerEndpoints.listCustomers>,
  ): Promise<{ items: Customer[]; nextCursor: string | null }> {
    return this.customers.list(ctx, q);
  }

  @Route(customerEndpoints.getCustomer)
  get(
    @Ctx() ctx: RequestContext,
    @Params() p: ParamsOf<typeof customerEndpoints.getCustomer>,
  ): Promise<Customer> {
    return this.customers.get(ctx, p.id);
  }

  @Route(customerEndpoints.createCustomer)
  create(
    @Ctx() ctx: RequestContext,
    @Body() body: BodyOf<typeof customerEndpoints.createCustomer>,
  ): Promise<Customer> {
    return this.customers.create(ctx, body);
  }

  @Route(customerEndpoints.updateCustomer)
  update(
    @Ctx() ctx: RequestContext,
    @Params() p: ParamsOf<typeof customerEndpoints.updateCustomer>,
    @Body() body: BodyOf<typeof customerEndpoints.updateCustomer>,
  ): Promise<Customer> {
    return this.customers.update(ctx, p.id, body);
  }
}
