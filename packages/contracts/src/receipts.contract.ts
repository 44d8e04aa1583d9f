import { z } from 'zod';
import { idParams, uuid } from './common.schema.js';
import { endpoint } from './endpoint.js';

const TAG = 'receipts';

/** text: plain text; escpos: the bytes a thermal printer takes as is; html: a page to show or email. */
export const receiptFormat = z.enum(['text', 'escpos', 'html']);
export type ReceiptFormat = z.infer<typeof receiptFormat>;

/** The media type each format is served as. */
export const receiptMediaTypes: Record<ReceiptFormat, string> = {
  text: 'text/plain; charset=utf-8',
  escpos: 'application/octet-stream',
  html: 'text/html; charset=utf-8',
};

/** Text and HTML are strings; ESC/POS is bytes (the typed client returns a Uint8Array for it). */
export const receiptBody = z.union([
  z.string(),
  z.instanceof(Uint8Array).meta({ type: 'string', format: 'binary' }),
]);

export const receiptQuery = z.strictObject({
  format: receiptFormat.default('text'),
  /** Paper width of the text and ESC/POS formats: 80 mm (48 columns) or 58 mm (32 columns). */
  paper: z.enum(['80mm', '58mm']).default('80mm'),
});
export type ReceiptQuery = z.infer<typeof receiptQuery>;

/** A request to email a sale's receipt. Sent again with the same id, it queues nothing more. */
export const emailReceiptInput = z.strictObject({
  id: uuid,
  to: z.email().max(254),
});
export type EmailReceiptInput = z.infer<typeof emailReceiptInput>;

/** The receipt is queued: the worker renders it and sends it over SMTP, retrying a failed send. */
export const emailReceiptQueued = z.object({ jobId: uuid, status: z.literal('queued') });
export type EmailReceiptQueued = z.infer<typeof emailReceiptQueued>;

export const receiptEndpoints = {
  saleReceipt: endpoint({
    method: 'GET',
    path: '/sales/:id/receipt',
    summary:
      "A sale's receipt, rendered from the sale as recorded; every print after the first is marked as a copy",
    tag: TAG,
    access: 'sales.sell',
    params: idParams,
    query: receiptQuery,
    // The body is text, HTML or (escpos) bytes, by the format asked for.
    response: receiptBody,
    mediaTypes: Object.values(receiptMediaTypes),
  }),
  emailSaleReceipt: endpoint({
    method: 'POST',
    path: '/sales/:id/receipt/email',
    summary:
      "Email a sale's receipt (HTML) to an address: queued and sent once, with retries; 503 when no SMTP server is configured",
    tag: TAG,
    access: 'sales.sell',
    params: idParams,
    body: emailReceiptInput,
    response: emailReceiptQueued,
    status: 202,
    errorStatuses: [503],
  }),
  refundReceipt: endpoint({
    method: 'GET',
    path: '/refunds/:id/receipt',
    summary:
      "A refund's receipt, marked REFUND and naming the refunded sale's receipt, rendered from the refund as recorded; every print after the first is marked as a copy",
    tag: TAG,
    access: 'sales.sell',
    params: idParams,
    query: receiptQuery,
    response: receiptBody,
    mediaTypes: Object.values(receiptMediaTypes),
  }),
  zReportReceipt: endpoint({
    method: 'GET',
    path: '/cash-sessions/:id/z-report/receipt',
    summary:
      'The Z report of a closed cash session, printed as it was stored (404 while the session is open)',
    tag: TAG,
    access: 'cash.session',
    params: idParams,
    query: receiptQuery,
    response: receiptBody,
    mediaTypes: Object.values(receiptMediaTypes),
  }),
};
