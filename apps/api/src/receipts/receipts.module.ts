import { Module } from '@nestjs/common';
import { ReceiptEmailController } from './receipt-email.controller.js';
import { ReceiptEmailService } from './receipt-email.service.js';
import { ReceiptService } from './receipt.service.js';
import { ReceiptsController } from './receipts.controller.js';

@Module({
  controllers: [ReceiptsController, ReceiptEmailController],
  providers: [ReceiptService, ReceiptEmailService],
})
export class ReceiptsModule {}
