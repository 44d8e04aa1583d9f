import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { sql } from 'kysely';
import { Database } from '../db/database.js';
import { JobQueue } from './job-queue.js';

export const HOUSEKEEPING_JOB = 'housekeeping';
export const HOUSEKEEPING_EVERY_MS = 3_600_000;

/** How long each kind of row is kept past its use (app_housekeeping, 0022_housekeeping.sql). */
export const KEEP = {
  /** An expired refresh token, for the session history of support questions. */
  expiredTokens: '1 day',
  /** A published event, for looking into what was sent. */
  publishedEvents: '7 days',
  /** A consumer's dedupe record: a redelivery comes within minutes. */
  processedEvents: '30 days',
} as const;

/** The hourly trim of rows nothing needs any more, across tenants, as a repeatable job. */
@Injectable()
export class Housekeeping implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger('Housekeeping');

  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(JobQueue) private readonly jobs: JobQueue,
  ) {}

  onModuleInit(): void {
    this.jobs.register(HOUSEKEEPING_JOB, async () => {
      await this.run();
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.jobs.schedule(HOUSEKEEPING_JOB, HOUSEKEEPING_EVERY_MS);
  }

  /** How many rows of each table it removed. */
  async run(): Promise<Record<string, number>> {
    const rows = await this.db.anonymous(
      async (tx) =>
        (
          await sql<{ what: string; removed: number }>`select * from app_housekeeping(
            ${KEEP.expiredTokens}::interval, ${KEEP.publishedEvents}::interval, ${KEEP.processedEvents}::interval)`.execute(
            tx,
          )
        ).rows,
    );
    const removed = Object.fromEntries(rows.map((r) => [r.what, r.removed]));
    this.logger.log(`removed ${JSON.stringify(removed)}`);
    return removed;
  }
}
