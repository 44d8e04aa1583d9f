import { PassThrough, type Readable, type Writable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import { type ReportName, type ReportQuery, reportRows } from '@zakpos/contracts';
import { sql } from 'kysely';
import type { RequestContext } from '../common/context/request-context.js';
import { Database, type Tx } from '../db/database.js';
import { csvHeader, csvRecord } from './report-csv.js';
import { type ReportRange, reportStatement } from './report-queries.js';
import { reportStores } from './report-scope.js';

/** Rows taken from the cursor per round trip while streaming CSV. */
export const CSV_FETCH_ROWS = 1000;

export interface ReportResult {
  report: ReportName;
  from: string;
  to: string;
  storeIds: string[];
  currency: string;
  rows: Record<string, unknown>[];
}

/** The report's columns: its row schema's fields, in order (the SQL names its columns the same). */
export const reportColumns = (report: ReportName): string[] => Object.keys(reportRows[report].shape);

/**
 * Hands the report's rows to `batch` as a server-side cursor gives them, CSV_FETCH_ROWS at a time, waiting for
 * each batch to be taken before fetching the next.
 */
export async function eachReportBatch(
  tx: Tx,
  report: ReportName,
  range: ReportRange,
  batch: (rows: Record<string, unknown>[]) => Promise<void>,
): Promise<void> {
  // Plan the cursor for the whole result, as the JSON statement is: every row is read, and a plan tuned
  // for the first rows (the default 0.1) picks nested loops that take seconds over 100k sales.
  await sql`set local cursor_tuple_fraction = 1`.execute(tx);
  await sql`declare report_rows no scroll cursor for ${reportStatement(report, range)}`.execute(tx);
  for (;;) {
    const { rows } = await sql<
      Record<string, unknown>
    >`fetch ${sql.raw(String(CSV_FETCH_ROWS))} from report_rows`.execute(tx);
    if (rows.length === 0) break;
    await batch(rows);
  }
  await sql`close report_rows`.execute(tx);
}

/** How many rows the report has over the range. */
export async function countReportRows(tx: Tx, report: ReportName, range: ReportRange): Promise<number> {
  if (range.storeIds.length === 0) return 0;
  const { rows } = await sql<{
    n: number;
  }>`select count(*)::int as n from (${reportStatement(report, range)}) as r`.execute(tx);
  return rows[0]!.n;
}

async function rangeOf(tx: Tx, ctx: RequestContext, q: ReportQuery): Promise<ReportRange> {
  return { tenantId: ctx.tenantId, storeIds: await reportStores(tx, ctx, q.storeId), from: q.from, to: q.to };
}

/** Waits until `out` takes more, or fails when the client has gone (its stream closed). */
export function drained(out: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    const onDrain = () => {
      out.off('close', onClose);
      resolve();
    };
    const onClose = () => {
      out.off('drain', onDrain);
      reject(new Error('the client went away during a CSV report'));
    };
    out.once('drain', onDrain);
    out.once('close', onClose);
  });
}

/** The sales reports, read in one unit of work each. */
@Injectable()
export class ReportService {
  constructor(@Inject(Database) private readonly db: Database) {}

  json(ctx: RequestContext, report: ReportName, q: ReportQuery): Promise<ReportResult> {
    return this.db.tenant(ctx, async (tx) => {
      const range = await rangeOf(tx, ctx, q);
      const tenant = await tx
        .selectFrom('tenants')
        .select('currency')
        .where('id', '=', ctx.tenantId)
        .executeTakeFirstOrThrow();
      const rows = range.storeIds.length ? (await reportStatement(report, range).execute(tx)).rows : [];
      return { report, from: q.from, to: q.to, storeIds: range.storeIds, currency: tenant.currency, rows };
    });
  }

  /**
   * The report as CSV, streamed: resolves once the stores are checked (so a refusal is still an HTTP
   * error), then writes the rows as a cursor hands them over, holding the unit of work open until the last
   * one is written (or the client goes away, which rolls it back).
   */
  csv(ctx: RequestContext, report: ReportName, q: ReportQuery): Promise<Readable> {
    const out = new PassThrough();
    const columns = reportColumns(report);
    return new Promise((resolve, reject) => {
      let started = false;
      this.db
        .tenant(ctx, async (tx) => {
          // A unit retried after a conflict would write the rows twice: once streaming, fail instead.
          if (started) throw new Error('a CSV report cannot be retried once it has started streaming');
          const range = await rangeOf(tx, ctx, q);
          started = true;
          resolve(out);
          out.write(csvHeader(columns));
          if (range.storeIds.length === 0) return;
          await eachReportBatch(tx, report, range, async (rows) => {
            if (out.destroyed) throw new Error('the client went away during a CSV report');
            if (!out.write(rows.map((row) => csvRecord(columns, row)).join(''))) await drained(out);
          });
        })
        .then(
          () => out.end(),
          (err: unknown) => {
            if (started) out.destroy(err instanceof Error ? err : new Error(String(err)));
            else reject(err);
          },
        );
    });
  }
}
