import { type DynamicModule, Global, Module } from '@nestjs/common';
import { PROCESS_ROLE, type ProcessRole } from '../config/process-role.js';
import { OpsModule } from '../ops/ops.module.js';
import { Housekeeping } from './housekeeping.job.js';
import { JobQueue } from './job-queue.js';

/** The job queue (job-queue.ts), to every module that queues or handles jobs, and the housekeeping job. */
@Global()
@Module({})
export class JobsModule {
  static register(role: ProcessRole): DynamicModule {
    return {
      module: JobsModule,
      imports: [OpsModule],
      providers: [{ provide: PROCESS_ROLE, useValue: role }, JobQueue, Housekeeping],
      exports: [JobQueue],
    };
  }
}
