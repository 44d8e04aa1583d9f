import { Module } from '@nestjs/common';
import { CashSessionController } from './cash-session.controller.js';
import { CashSessionService } from './cash-session.service.js';

@Module({
  controllers: [CashSessionController],
  providers: [CashSessionService],
})
export class CashModule {}
