import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AccountingModule } from './accounting/accounting.module.js';
import { AuthModule } from './auth/auth.module.js';
import { CartsModule } from './carts/carts.module.js';
import { CashModule } from './cash/cash.module.js';
import { CatalogModule } from './catalog/catalog.module.js';
import { CustomersModule } from './customers/customers.module.js';
import { ErrorFilter } from './common/errors/error.filter.js';
import { PagingModule } from './common/paging/paging.module.js';
import { ConfigModule } from './config/config.module.js';
import type { Env } from './config/env.js';
import { DatabaseModule } from './db/database.module.js';
import { EventsModule } from './events/events.module.js';
import { InventoryModule } from './inventory/inventory.module.js';
import { JobsModule } from './jobs/jobs.module.js';
import { MailModule } from './mail/mailer.js';
import { OpsModule } from './ops/ops.module.js';
import { RedisModule } from './redis/redis.module.js';
import { BroadcastModule } from './realtime/broadcast.module.js';
import { PaymentMethodsModule } from './payment-methods/payment-methods.module.js';
import { RealtimeModule } from './realtime/realtime.module.js';
import { ReceiptsModule } from './receipts/receipts.module.js';
import { RefundsModule } from './refunds/refunds.module.js';
import { ReportsModule } from './reports/reports.module.js';
import { SalesModule } from './sales/sales.module.js';
import { TenancyModule } from './tenancy/tenancy.module.js';

@Module({})
export class AppModule {
  static register(env: Env): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.register(env),
        DatabaseModule,
        RedisModule,
        MailModule,
        JobsModule.register('api'),
        PagingModule,
        AuthModule,
        TenancyModule,
        OpsModule,
        CatalogModule,
        InventoryModule,
        CustomersModule,
        CartsModule,
        AccountingModule,
        CashModule,
        PaymentMethodsModule,
        SalesModule,
        ReceiptsModule,
        RefundsModule,
        ReportsModule,
        RealtimeModule,
        BroadcastModule.register('api'),
        EventsModule.register('api'),
      ],
      providers: [{ provide: APP_FILTER, useClass: ErrorFilter }],
    };
  }
}
