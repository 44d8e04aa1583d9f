import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { sql } from 'kysely';
import { Database } from '../db/database.js';
import { JobQueue } from '../jobs/job-queue.js';
import { EXPORT_STORAGE, type ExportStorageOrNone } from './export-storage.js';

export const EXPORT_EXPIRY_JOB = 'report-exports.expire';
export const EXPORT_EXPIRY_EVERY_MS = 3_600_000;
/** How long an export (its row and its file) is kept: a download link is handed out while it lasts. */
export const EXPORT_KEEP = '1 day';
const BATCH = 500;

/** The hourly removal of expired report exports across tenants (0024_report_export_expiry.sql). */
@Injectable()
export class ExportExpiry implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger('ExportExpiry');

  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(JobQueue) private readonly jobs: JobQueue,
    @Inject(EXPORT_STORAGE) private readonly storage: ExportStorageOrNone,
  ) {}

  onModuleInit(): void {
    this.jobs.register(EXPORT_EXPIRY_JOB, async () => {
      await this.run();
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.jobs.schedule(EXPORT_EXPIRY_JOB, EXPORT_EXPIRY_EVERY_MS);
  }

  /** Removes every expired export, file first; returns how many. */
  async run(): Promise<number> {
    let removed = 0;
    for (;;) {
      const expired = await this.db.anonymous(
        async (tx) =>
          (
            await sql<{
              tenant_id: string;
              id: string;
              file_key: string | null;
            }>`select * from app_report_exports_expired(${EXPORT_KEEP}::interval, ${BATCH})`.execute(tx)
          ).rows,
      );
      for (const e of expired) {
        if (e.file_key && this.storage) await this.storage.remove(e.file_key);
        await this.db.tenant({ tenantId: e.tenant_id }, (tx) =>
          tx
            .deleteFrom('report_exports')
            .where('tenant_id', '=', e.tenant_id)
            .where('id', '=', e.id)
            .execute(),
        );
      }
      removed += expired.length;
      if (expired.length < BATCH) break;
    }
    if (removed > 0) this.logger.log(`removed ${removed} expired report exports`);
    return removed;
  }
}
