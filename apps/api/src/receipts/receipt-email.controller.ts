import { Controller, Inject } from '@nestjs/common';
import { type BodyOf, type ParamsOf, receiptEndpoints } from '@zakpos/contracts';
import type { RequestContext } from '../common/context/request-context.js';
import { Body, Ctx, Params, Route } from '../common/http/route.decorator.js';
import { ReceiptEmailService } from './receipt-email.service.js';

type E = typeof receiptEndpoints;

@Controller()
export class ReceiptEmailController {
  constructor(@Inject(ReceiptEmailService) private readonly emails: ReceiptEmailService) {}

  @Route(receiptEndpoints.emailSaleReceipt)
  email(
    @Ctx() ctx: RequestContext,
    @Params() p: ParamsOf<E['emailSaleReceipt']>,
    @Body() body: BodyOf<E['emailSaleReceipt']>,
  ) {
    return this.emails.queue(ctx, p.id, body);
  }
}
