import { Module } from '@nestjs/common';
import { CheckoutService } from './checkout.service.js';
import { PAYMENT_PROVIDER, StandaloneTerminalProvider } from './payment-provider.js';
import { SaleQueryService } from './sale-query.service.js';
import { SalesController } from './sales.controller.js';

@Module({
  controllers: [SalesController],
  providers: [
    CheckoutService,
    SaleQueryService,
    { provide: PAYMENT_PROVIDER, useClass: StandaloneTerminalProvider },
  ],
})
export class SalesModule {}
