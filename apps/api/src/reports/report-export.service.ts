import { PassThrough, type Readable } from 'node:stream';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { ReportExport, ReportExportFileQuery, ReportExportInput, ReportName } from '@zakpos/contracts';
import { z } from 'zod';
import type { RequestContext } from '../common/context/request-context.js';
import { DomainError } from '../common/errors/domain-error.js';
import { Database, type Tx } from '../db/database.js';
import { type JobAttempt, JobQueue } from '../jobs/job-queue.js';
import { BROADCAST, type BroadcastOrNone } from '../realtime/broadcast.js';
import { requestHash } from '../sales/request-hash.js';
import { ExportLinks } from './export-links.js';
import { ExportProgress } from './export-progress.js';
import { EXPORT_STORAGE, type ExportStorageOrNone } from './export-storage.js';
import {
  completeReportExport,
  failReportExport,
  findReportExport,
  insertReportExport,
  recordExportProgress,
  type ReportExportRow,
  startReportExport,
} from './report-export.repository.js';
import { csvHeader, csvRecord } from './report-csv.js';
import type { ReportRange } from './report-queries.js';
import { reportStores } from './report-scope.js';
import { countReportRows, drained, eachReportBatch, reportColumns } from './report.service.js';

export const REPORT_EXPORT_JOB = 'report.export';
export const EXPORT_PROGRESS_EVENT = 'export.progress';

const jobData = z.object({ tenantId: z.uuid(), exportId: z.uuid() });
type JobData = z.infer<typeof jobData>;

/**
 * Reports exported as CSV files by a background job (the worker's, or this process's in the embedded
 * default). The request records the export and queues the job under the export's id; the job writes the
 * file to the export storage, its progress to the row (for a poll) and to the requester's sockets
 * (`export.progress`), and a completed export answers with a time-limited download link.
 */
@Injectable()
export class ReportExportService implements OnModuleInit {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(JobQueue) private readonly jobs: JobQueue,
    @Inject(EXPORT_STORAGE) private readonly storage: ExportStorageOrNone,
    @Inject(BROADCAST) private readonly broadcast: BroadcastOrNone,
    @Inject(ExportLinks) private readonly links: ExportLinks,
  ) {}

  onModuleInit(): void {
    this.jobs.register(REPORT_EXPORT_JOB, (data, _id, attempt) => this.run(jobData.parse(data), attempt));
  }

  /**
   * Records the export (the stores checked now, as the report would) and queues its job. The same request
   * again answers the export as it is, and queues a job that has not finished (once per id at a time).
   */
  async create(ctx: RequestContext, input: ReportExportInput): Promise<ReportExport> {
    if (!this.storage) {
      throw new DomainError(
        'NOT_READY',
        'reports cannot be exported: no export storage is configured (EXPORTS_DIR or S3_BUCKET)',
      );
    }
    const hash = requestHash(input);
    const row = await this.db.tenant(ctx, async (tx) => {
      const storeIds = await reportStores(tx, ctx, input.storeId);
      const inserted = await insertReportExport(tx, {
        tenant_id: ctx.tenantId,
        id: input.id,
        report: input.report,
        from_date: input.from,
        to_date: input.to,
        store_ids: storeIds,
        requested_by: ctx.userId,
        request_hash: hash,
      });
      if (inserted) return inserted;
      const prior = (await findReportExport(tx, ctx.tenantId, input.id))!;
      if (prior.requested_by !== ctx.userId || prior.request_hash !== hash) {
        throw new DomainError('IDEMPOTENCY_MISMATCH', 'this export id was used by a different request', {
          id: ['was used by a different request; mint a new id for a new export'],
        });
      }
      return prior;
    });
    if (row.status === 'queued' || row.status === 'running') {
      const data: JobData = { tenantId: ctx.tenantId, exportId: row.id };
      await this.jobs.enqueue(REPORT_EXPORT_JOB, row.id, data);
    }
    return this.view(row);
  }

  /** The caller's own export; another user's is not found. */
  get(ctx: RequestContext, id: string): Promise<ReportExport> {
    return this.db.tenant(ctx, async (tx) => {
      const row = await findReportExport(tx, ctx.tenantId, id);
      if (!row || row.requested_by !== ctx.userId) throw DomainError.notFound('report export');
      return this.view(row);
    });
  }

  /** The file of a completed export, by its signed link. */
  async file(id: string, q: ReportExportFileQuery): Promise<{ body: Readable; filename: string }> {
    const verdict = this.links.check(q.tenant, id, q.expires, q.signature);
    if (verdict === 'forged') {
      throw new DomainError('FORBIDDEN', 'the download link is not valid', {
        signature: ['does not match the link'],
      });
    }
    if (verdict === 'expired') {
      throw new DomainError('FORBIDDEN', 'the download link has expired: ask for the export again', {
        expires: ['has passed'],
      });
    }
    const row = await this.db.tenant({ tenantId: q.tenant }, (tx) => findReportExport(tx, q.tenant, id));
    if (!row || row.status !== 'completed' || !this.storage) throw DomainError.notFound('report export');
    return {
      body: await this.storage.read(row.file_key!),
      filename: `${row.report}_${row.from_date}_${row.to_date}.csv`,
    };
  }

  /**
   * One try of an export's job. A completed export is not written again; any other run starts over and
   * replaces the file whole, so a run cut short (a crash, a killed worker) leaves no half file behind.
   */
  private async run(data: JobData, attempt: JobAttempt): Promise<void> {
    const scope = { tenantId: data.tenantId };
    const started = await this.db.tenant(scope, (tx) => startReportExport(tx, data.tenantId, data.exportId));
    if (!started) return;
    this.push(started);
    const progress = new ExportProgress(async (count) => {
      const row = await this.db.tenant(scope, (tx) =>
        recordExportProgress(tx, data.tenantId, data.exportId, count),
      );
      if (row) this.push(row);
    });
    try {
      const fileKey = `${data.tenantId}/${data.exportId}.csv`;
      const written = await this.db.tenant(scope, (tx) => this.write(tx, started, fileKey, progress));
      await progress.stop();
      const done = await this.db.tenant(scope, (tx) =>
        completeReportExport(tx, data.tenantId, data.exportId, { ...written, fileKey }),
      );
      if (done) this.push(done);
    } catch (err) {
      await progress.stop();
      if (attempt.last) {
        const failed = await this.db.tenant(scope, (tx) =>
          failReportExport(tx, data.tenantId, data.exportId, (err as Error).message),
        );
        if (failed) this.push(failed);
      }
      throw err;
    }
  }

  /** Streams the report's rows as CSV into the storage, counting them for the progress. */
  private async write(
    tx: Tx,
    row: ReportExportRow,
    fileKey: string,
    progress: ExportProgress,
  ): Promise<{ rows: number; bytes: number }> {
    const report = row.report as ReportName;
    const range: ReportRange = {
      tenantId: row.tenant_id,
      storeIds: row.store_ids,
      from: row.from_date,
      to: row.to_date,
    };
    const columns = reportColumns(report);
    progress.rows = 0;
    progress.total = await countReportRows(tx, report, range);
    const body = new PassThrough();
    const stored = this.storage!.write(fileKey, body);
    // Awaited below; until then a failed write shows as the body's close.
    stored.catch(() => {});
    let rows = 0;
    try {
      body.write(csvHeader(columns));
      if (range.storeIds.length > 0) {
        await eachReportBatch(tx, report, range, async (batch) => {
          if (!body.write(batch.map((r) => csvRecord(columns, r)).join(''))) await drained(body);
          rows += batch.length;
          progress.rows = rows;
        });
      }
      body.end();
    } catch (err) {
      body.destroy(err as Error);
      throw err;
    }
    return { rows, bytes: await stored };
  }

  private push(row: ReportExportRow): void {
    this.broadcast?.toUser(row.tenant_id, row.requested_by, EXPORT_PROGRESS_EVENT, this.view(row));
  }

  private view(row: ReportExportRow): ReportExport {
    const completed = row.status === 'completed';
    const progress = completed ? 1 : row.total_rows ? Math.min(1, row.rows_written / row.total_rows) : 0;
    return {
      id: row.id,
      report: row.report,
      from: row.from_date,
      to: row.to_date,
      storeIds: row.store_ids,
      status: row.status,
      rows: row.rows_written,
      totalRows: row.total_rows,
      progress,
      bytes: row.bytes,
      error: row.error,
      createdAt: row.created_at.toISOString(),
      completedAt: row.completed_at?.toISOString() ?? null,
      download: completed ? this.links.link(row.tenant_id, row.id) : null,
    };
  }
}
