import type { Generated } from 'kysely';

/** Kysely row types of 0016_receipt_prints.sql. */

export type ReceiptDocumentType = 'sale' | 'refund';

export interface ReceiptPrintsTable {
  tenant_id: string;
  document_type: ReceiptDocumentType;
  document_id: string;
  receipt_number: string;
  count: number;
  first_printed_at: Generated<Date>;
  last_printed_at: Generated<Date>;
}

export interface ReceiptsTables {
  receipt_prints: ReceiptPrintsTable;
}
