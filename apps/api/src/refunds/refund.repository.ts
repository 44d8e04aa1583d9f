import type { Insertable, Selectable } from 'kysely';
import type { Tx } from '../db/database.js';
import type { SaleRow } from '../sales/sale.repository.js';
import type {
  RefundLinesTable,
  RefundLineTaxesTable,
  RefundPaymentsTable,
  RefundsTable,
  SaleVoidsTable,
} from './refunds.tables.js';

export type RefundRow = Selectable<RefundsTable>;
export type RefundLineRow = Selectable<RefundLinesTable>;
export type RefundLineTaxRow = Selectable<RefundLineTaxesTable>;
export type RefundPaymentRow = Selectable<RefundPaymentsTable>;
export type SaleVoidRow = Selectable<SaleVoidsTable>;

/** A refund with everything recorded with it. */
export interface RefundRecord {
  refund: RefundRow;
  lines: RefundLineRow[];
  taxes: RefundLineTaxRow[];
  payments: RefundPaymentRow[];
}

/** The id's refund, if any: what an idempotent retry compares its body with. */
export function findRefundHash(
  tx: Tx,
  tenantId: string,
  id: string,
): Promise<{ request_hash: string } | undefined> {
  return tx
    .selectFrom('refunds')
    .select('request_hash')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export function findRefund(tx: Tx, tenantId: string, id: string): Promise<RefundRow | undefined> {
  return tx
    .selectFrom('refunds')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** The refunds of a sale, oldest first. */
export function refundsOfSale(tx: Tx, tenantId: string, saleId: string): Promise<RefundRow[]> {
  return tx
    .selectFrom('refunds')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('sale_id', '=', saleId)
    .orderBy('seq')
    .execute();
}

/**
 * The sale, its row locked FOR UPDATE until the unit of work ends: refunds and voids of one sale take their
 * turns, so two of them can never both take the last unit, nor a void pass a refund.
 */
export function lockSale(tx: Tx, tenantId: string, saleId: string): Promise<SaleRow | undefined> {
  return tx
    .selectFrom('sales')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', saleId)
    .forUpdate()
    .executeTakeFirst();
}

export async function insertRefund(
  tx: Tx,
  record: {
    refund: Insertable<RefundsTable>;
    lines: RefundLineRow[];
    taxes: RefundLineTaxRow[];
    payments: RefundPaymentRow[];
  },
): Promise<RefundRecord> {
  const refund = await tx
    .insertInto('refunds')
    .values(record.refund)
    .returningAll()
    .executeTakeFirstOrThrow();
  await tx.insertInto('refund_lines').values(record.lines).execute();
  if (record.taxes.length > 0) await tx.insertInto('refund_line_taxes').values(record.taxes).execute();
  // A refund of nothing (a gram at a price that rounds to zero) pays nothing back.
  if (record.payments.length > 0) await tx.insertInto('refund_payments').values(record.payments).execute();
  return { refund, lines: record.lines, taxes: record.taxes, payments: record.payments };
}

/** The refunds with their lines, taxes and payments, in the order given. */
export async function loadRefundRecords(
  tx: Tx,
  tenantId: string,
  refunds: RefundRow[],
): Promise<RefundRecord[]> {
  if (refunds.length === 0) return [];
  const ids = refunds.map((r) => r.id);
  const lines = await tx
    .selectFrom('refund_lines')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('refund_id', 'in', ids)
    .orderBy('refund_id')
    .orderBy('line_no')
    .execute();
  const taxes = await tx
    .selectFrom('refund_line_taxes')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('refund_id', 'in', ids)
    .execute();
  const payments = await tx
    .selectFrom('refund_payments')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('refund_id', 'in', ids)
    .orderBy('refund_id')
    .orderBy('payment_no')
    .execute();
  return refunds.map((refund) => ({
    refund,
    lines: lines.filter((l) => l.refund_id === refund.id),
    taxes: taxes.filter((t) => t.refund_id === refund.id),
    payments: payments.filter((p) => p.refund_id === refund.id),
  }));
}

export function findVoid(tx: Tx, tenantId: string, id: string): Promise<SaleVoidRow | undefined> {
  return tx
    .selectFrom('sale_voids')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export function insertVoid(tx: Tx, row: Insertable<SaleVoidsTable>): Promise<SaleVoidRow> {
  return tx.insertInto('sale_voids').values(row).returningAll().executeTakeFirstOrThrow();
}

/** Marks the sale voided: the only change a sale ever takes. */
export async function markSaleVoided(
  tx: Tx,
  tenantId: string,
  saleId: string,
  by: string,
  at: Date,
): Promise<void> {
  await tx
    .updateTable('sales')
    .set({ status: 'voided', voided_at: at, voided_by: by })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', saleId)
    .execute();
}
