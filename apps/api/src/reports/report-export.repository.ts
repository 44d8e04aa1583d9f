import type { Selectable } from 'kysely';
import type { Tx } from '../db/database.js';
import type { ReportExportsTable } from './report-exports.tables.js';

export type ReportExportRow = Selectable<ReportExportsTable>;

export function findReportExport(tx: Tx, tenantId: string, id: string): Promise<ReportExportRow | undefined> {
  return tx
    .selectFrom('report_exports')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Records a new export; undefined when one with the id exists already (a retry, or another request). */
export function insertReportExport(
  tx: Tx,
  row: Pick<
    ReportExportRow,
    'tenant_id' | 'id' | 'report' | 'from_date' | 'to_date' | 'store_ids' | 'requested_by' | 'request_hash'
  >,
): Promise<ReportExportRow | undefined> {
  return tx
    .insertInto('report_exports')
    .values(row)
    .onConflict((oc) => oc.columns(['tenant_id', 'id']).doNothing())
    .returningAll()
    .executeTakeFirst();
}

/** A run starts (again): nothing written yet. Undefined when the export is completed or gone. */
export function startReportExport(
  tx: Tx,
  tenantId: string,
  id: string,
): Promise<ReportExportRow | undefined> {
  return tx
    .updateTable('report_exports')
    .set({ status: 'running', rows_written: 0, total_rows: null, error: null })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('status', '!=', 'completed')
    .returningAll()
    .executeTakeFirst();
}

/** Progress of a running export; a late update after its end changes nothing. */
export function recordExportProgress(
  tx: Tx,
  tenantId: string,
  id: string,
  progress: { rows: number; total: number | null },
): Promise<ReportExportRow | undefined> {
  return tx
    .updateTable('report_exports')
    .set({ rows_written: progress.rows, total_rows: progress.total })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('status', '=', 'running')
    .returningAll()
    .executeTakeFirst();
}

export function completeReportExport(
  tx: Tx,
  tenantId: string,
  id: string,
  done: { rows: number; bytes: number; fileKey: string },
): Promise<ReportExportRow | undefined> {
  return tx
    .updateTable('report_exports')
    .set({
      status: 'completed',
      rows_written: done.rows,
      total_rows: done.rows,
      bytes: done.bytes,
      file_key: done.fileKey,
      completed_at: new Date(),
      error: null,
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('status', '=', 'running')
    .returningAll()
    .executeTakeFirst();
}

/** The export gave up after its last try. */
export function failReportExport(
  tx: Tx,
  tenantId: string,
  id: string,
  error: string,
): Promise<ReportExportRow | undefined> {
  return tx
    .updateTable('report_exports')
    .set({ status: 'failed', error })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('status', '!=', 'completed')
    .returningAll()
    .executeTakeFirst();
}
