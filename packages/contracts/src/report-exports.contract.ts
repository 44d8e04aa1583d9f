import { z } from 'zod';
import { idParams, uuid } from './common.schema.js';
import { endpoint } from './endpoint.js';
import { CSV_MEDIA_TYPE, reportNames, reportQuery } from './reports.contract.js';

const TAG = 'reports';

/**
 * A report exported as a CSV file in the background: the same report and range as `GET /reports/{report}`,
 * for ranges too large to wait on. Sent again with the same id, it starts nothing more.
 */
export const reportExportInput = z
  .strictObject({
    id: uuid,
    report: z.enum(reportNames as [string, ...string[]]),
    from: z.iso.date(),
    to: z.iso.date(),
    storeId: z.array(uuid).min(1).max(100).optional(),
  })
  .superRefine((input, ctx) => {
    // The range rules of the reports themselves, on the same fields.
    const { from, to, storeId } = input;
    const checked = reportQuery.safeParse({ from, to, ...(storeId ? { storeId } : {}) });
    for (const issue of checked.success ? [] : checked.error.issues) {
      ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
    }
  });
export type ReportExportInput = z.infer<typeof reportExportInput>;

export const reportExportStatus = z.enum(['queued', 'running', 'completed', 'failed']);
export type ReportExportStatus = z.infer<typeof reportExportStatus>;

export const reportExport = z.object({
  id: uuid,
  report: z.string(),
  from: z.iso.date(),
  to: z.iso.date(),
  /** The stores the export covers, as checked when it was asked for. */
  storeIds: z.array(uuid),
  status: reportExportStatus,
  /** Rows written so far. */
  rows: z.number().int(),
  /** Rows the report has, once the export has counted them (null before). */
  totalRows: z.number().int().nullable(),
  /** 0 to 1: rows / totalRows, and 1 once completed. */
  progress: z.number().min(0).max(1),
  /** Size of the finished file. */
  bytes: z.number().int().nullable(),
  /** Why the export failed, once it has given up. */
  error: z.string().nullable(),
  createdAt: z.iso.datetime(),
  completedAt: z.iso.datetime().nullable(),
  /** The file, for a limited time, with no token needed (a browser download); null until completed. */
  download: z.object({ url: z.string(), expiresAt: z.iso.datetime() }).nullable(),
});
export type ReportExport = z.infer<typeof reportExport>;

/** A download link: the export, its tenant, the time it stops working and the API's signature of the three. */
export const reportExportFileQuery = z.strictObject({
  tenant: uuid,
  expires: z.coerce.number().int().positive(),
  signature: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'is not a link signature'),
});
export type ReportExportFileQuery = z.infer<typeof reportExportFileQuery>;

export const reportExportEndpoints = {
  createReportExport: endpoint({
    method: 'POST',
    path: '/report-exports',
    summary:
      'Export a report as a CSV file in the background; follow it with GET /report-exports/{id} or the export.progress socket event; 422 IDEMPOTENCY_MISMATCH when the id was used by a different request; 503 when no export storage is configured',
    tag: TAG,
    access: 'reports.read',
    body: reportExportInput,
    response: reportExport,
    status: 202,
    errorStatuses: [422, 503],
  }),
  getReportExport: endpoint({
    method: 'GET',
    path: '/report-exports/:id',
    summary: 'An export of the caller: its progress and, once completed, a time-limited download link',
    tag: TAG,
    access: 'reports.read',
    params: idParams,
    response: reportExport,
  }),
  reportExportFile: endpoint({
    method: 'GET',
    path: '/report-exports/:id/file',
    summary: "A completed export's CSV file, by its download link (signed, time-limited; no token)",
    tag: TAG,
    access: 'public',
    params: idParams,
    query: reportExportFileQuery,
    response: z.string(),
    mediaTypes: [CSV_MEDIA_TYPE],
    errorStatuses: [403],
  }),
};
