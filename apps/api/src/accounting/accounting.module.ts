import { Module } from '@nestjs/common';
import { AccountingController } from './accounting.controller.js';
import { AccountingService } from './accounting.service.js';

/** The books: the chart of accounts and the journal, read through the API; written only by other modules' steps. */
@Module({
  controllers: [AccountingController],
  providers: [AccountingService],
})
export class AccountingModule {}
