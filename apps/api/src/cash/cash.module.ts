import { Module } from '@nestjs/common';
import { CashReportController } from './cash-report.controller.js';
import { CashReportService } from './cash-report.service.js';
import { CashSessionController } from './cash-session.controller.js';
import { CashSessionService } from './cash-session.service.js';

@Module({
  controllers: [CashSessionController, CashReportController],
  providers: [CashSessionService, CashReportService],
})
export class CashModule {}
