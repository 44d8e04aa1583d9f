import type { Generated } from 'kysely';
import type { ReportExportStatus } from '@zakpos/contracts';

/** 0023_report_exports.sql */
export interface ReportExportsTable {
  tenant_id: string;
  id: string;
  report: string;
  /** yyyy-mm-dd */
  from_date: string;
  /** yyyy-mm-dd */
  to_date: string;
  store_ids: string[];
  requested_by: string;
  request_hash: string;
  status: Generated<ReportExportStatus>;
  rows_written: Generated<number>;
  total_rows: number | null;
  bytes: number | null;
  file_key: string | null;
  error: string | null;
  created_at: Generated<Date>;
  completed_at: Date | null;
}

export interface ReportExportsTables {
  report_exports: ReportExportsTable;
}
