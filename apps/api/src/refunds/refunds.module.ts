import { Module } from '@nestjs/common';
import { RefundService } from './refund.service.js';
import { RefundsController } from './refunds.controller.js';
import { VoidService } from './void.service.js';

@Module({
  controllers: [RefundsController],
  providers: [RefundService, VoidService],
})
export class RefundsModule {}
