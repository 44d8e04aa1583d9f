import { Module } from '@nestjs/common';
import { CountController } from './count.controller.js';
import { CountService } from './count.service.js';
import { LowStockEmailJob } from './low-stock-email.job.js';
import { LowStockConsumer } from './low-stock.consumer.js';
import { StockController } from './stock.controller.js';
import { StockService } from './stock.service.js';
import { TransferController } from './transfer.controller.js';
import { TransferService } from './transfer.service.js';

/** Stock levels, the movement ledger, adjustments, transfers between stores, stock counts and low-stock alerts. */
@Module({
  controllers: [StockController, TransferController, CountController],
  providers: [StockService, TransferService, CountService, LowStockConsumer, LowStockEmailJob],
  exports: [LowStockConsumer],
})
export class InventoryModule {}
