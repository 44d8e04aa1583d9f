import { type DynamicModule, Module } from '@nestjs/common';
import { PagingModule } from './common/paging/paging.module.js';
import { ConfigModule } from './config/config.module.js';
import type { Env } from './config/env.js';
import { DatabaseModule } from './db/database.module.js';
import { EventsModule } from './events/events.module.js';
import { JobsModule } from './jobs/jobs.module.js';
import { MailModule } from './mail/mailer.js';
import { OpsModule } from './ops/ops.module.js';
import { ReceiptsModule } from './receipts/receipts.module.js';
import { ReportsModule } from './reports/reports.module.js';
import { RedisModule } from './redis/redis.module.js';
import { BroadcastModule } from './realtime/broadcast.module.js';

/** The worker process: the outbox relay, the event consumers and the jobs, and no HTTP API (worker.main.ts). */
@Module({})
export class WorkerModule {
  static register(env: Env): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.register(env),
        DatabaseModule,
        RedisModule,
        MailModule,
        JobsModule.register('worker'),
        BroadcastModule.register('worker'),
        PagingModule,
        OpsModule,
        EventsModule.register('worker'),
        // The modules whose jobs the worker runs.
        ReceiptsModule,
        ReportsModule,
      ],
    };
  }
}
