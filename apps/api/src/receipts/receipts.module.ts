import { Module } from '@nestjs/common';
import { ReceiptService } from './receipt.service.js';
import { ReceiptsController } from './receipts.controller.js';

@Module({
  controllers: [ReceiptsController],
  providers: [ReceiptService],
})
export class ReceiptsModule {}
