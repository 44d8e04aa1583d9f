import { sql } from 'kysely';
import type { Tx } from '../db/database.js';
import type { ReceiptDocumentType } from './receipts.tables.js';

/** Where a document was printed: the store and register, in the tenant's locale. */
export interface RegisterSetting {
  storeCode: string;
  storeName: string;
  storeAddress: string | null;
  timeZone: string;
  locale: string;
  registerName: string;
  /** The register's rank among its store's registers by creation, from 1. */
  registerPosition: number;
}

/** What a receipt prints beside the document's own rows: who sold where, in which locale. */
export interface ReceiptSetting extends RegisterSetting {
  cashierName: string;
}

export async function registerSetting(
  tx: Tx,
  tenantId: string,
  doc: { storeId: string; registerId: string },
): Promise<RegisterSetting> {
  const { rows } = await sql<{
    code: string;
    store_name: string;
    address: string | null;
    time_zone: string;
    locale: string;
    register_name: string;
    position: string;
  }>`
    select s.code, s.name as store_name, s.address, s.time_zone, t.locale, r.name as register_name,
           (select count(*) from registers o
             where o.tenant_id = r.tenant_id and o.store_id = r.store_id
               and (o.created_at, o.id) <= (r.created_at, r.id)) as position
      from registers r
      join stores s on s.tenant_id = r.tenant_id and s.id = ${doc.storeId}
      join tenants t on t.id = r.tenant_id
     where r.tenant_id = ${tenantId} and r.id = ${doc.registerId}`.execute(tx);
  const row = rows[0]!;
  return {
    storeCode: row.code,
    storeName: row.store_name,
    storeAddress: row.address,
    timeZone: row.time_zone,
    locale: row.locale,
    registerName: row.register_name,
    registerPosition: Number(row.position),
  };
}

export async function receiptSetting(
  tx: Tx,
  tenantId: string,
  doc: { storeId: string; registerId: string; cashierId: string },
): Promise<ReceiptSetting> {
  const cashier = await tx
    .selectFrom('users')
    .select('name')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', doc.cashierId)
    .executeTakeFirstOrThrow();
  return { ...(await registerSetting(tx, tenantId, doc)), cashierName: cashier.name };
}

/** Names of the tenant's payment methods by code (what an 'other' tender prints). */
export async function paymentMethodNames(
  tx: Tx,
  tenantId: string,
  codes: readonly string[],
): Promise<Map<string, string>> {
  if (codes.length === 0) return new Map();
  const rows = await tx
    .selectFrom('payment_methods')
    .select(['code', 'name'])
    .where('tenant_id', '=', tenantId)
    .where('code', 'in', [...new Set(codes)])
    .execute();
  return new Map(rows.map((r) => [r.code, r.name]));
}

/** The unit each product is sold in (a line's quantity prints as items or kg). */
export async function productUnits(
  tx: Tx,
  tenantId: string,
  productIds: readonly string[],
): Promise<Map<string, 'each' | 'kg'>> {
  if (productIds.length === 0) return new Map();
  const rows = await tx
    .selectFrom('products')
    .select(['id', 'unit'])
    .where('tenant_id', '=', tenantId)
    .where('id', 'in', [...new Set(productIds)])
    .execute();
  return new Map(rows.map((r) => [r.id, r.unit]));
}

/**
 * Records one more print of the document and returns which one this is (1: the original) and the receipt
 * number as the first print showed it. The upsert locks the row until commit: concurrent prints are
 * counted one after another, so exactly one of them is the original.
 */
export async function recordPrint(
  tx: Tx,
  tenantId: string,
  doc: { type: ReceiptDocumentType; id: string; receiptNumber: string },
): Promise<{ count: number; receiptNumber: string }> {
  const row = await tx
    .insertInto('receipt_prints')
    .values({
      tenant_id: tenantId,
      document_type: doc.type,
      document_id: doc.id,
      receipt_number: doc.receiptNumber,
      count: 1,
    })
    .onConflict((oc) =>
      oc.columns(['tenant_id', 'document_type', 'document_id']).doUpdateSet((eb) => ({
        count: eb('receipt_prints.count', '+', 1),
        last_printed_at: new Date(),
      })),
    )
    .returning(['count', 'receipt_number'])
    .executeTakeFirstOrThrow();
  return { count: row.count, receiptNumber: row.receipt_number };
}

/** The receipt number a document's first print showed, or undefined while it was never printed. */
export async function firstPrintedNumber(
  tx: Tx,
  tenantId: string,
  doc: { type: ReceiptDocumentType; id: string },
): Promise<string | undefined> {
  const row = await tx
    .selectFrom('receipt_prints')
    .select('receipt_number')
    .where('tenant_id', '=', tenantId)
    .where('document_type', '=', doc.type)
    .where('document_id', '=', doc.id)
    .executeTakeFirst();
  return row?.receipt_number;
}
