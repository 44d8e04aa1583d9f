import type { Insertable, Selectable } from 'kysely';
import { sql } from 'kysely';
import type { CartRow } from '../carts/cart.repository.js';
import type { Tx } from '../db/database.js';
import type { SaleLinesTable, SaleLineTaxesTable, SalePaymentsTable, SalesTable } from './sales.tables.js';

export type SaleRow = Selectable<SalesTable>;
export type SaleLineRow = Selectable<SaleLinesTable>;
export type SaleLineTaxRow = Selectable<SaleLineTaxesTable>;
export type SalePaymentRow = Selectable<SalePaymentsTable>;

/** A sale with everything recorded with it, in the order the view shows it. */
export interface SaleRecord {
  sale: SaleRow;
  lines: SaleLineRow[];
  taxes: SaleLineTaxRow[];
  payments: SalePaymentRow[];
}

/** The id's sale, if any: what an idempotent retry compares its body with. */
export function findSaleHash(
  tx: Tx,
  tenantId: string,
  id: string,
): Promise<{ request_hash: string } | undefined> {
  return tx
    .selectFrom('sales')
    .select('request_hash')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/**
 * The register's next document number. The upsert locks the counter row until the unit of work ends,
 * and rolls back with it: numbers are gapless and never reused.
 */
export async function takeDocumentNumber(tx: Tx, tenantId: string, registerId: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    insert into register_counters (tenant_id, register_id, last_document_number) values (${tenantId}, ${registerId}, 1)
    on conflict (tenant_id, register_id)
      do update set last_document_number = register_counters.last_document_number + 1
    returning last_document_number as n`.execute(tx);
  return rows[0]!.n;
}

/** The columns of a new sale the checkout gives (its number comes from the register's counter). */
export type NewSale = Omit<Insertable<SalesTable>, 'receipt_number' | 'seq' | 'created_at'>;

/**
 * Inserts a sale with its lines, taxes and payments, numbered by the register's counter, in ONE
 * statement: the counter's upsert locks its row to the commit and rolls back with the sale, so numbers
 * stay gapless (see takeDocumentNumber). Returns the record as stored.
 */
export async function insertSale(
  tx: Tx,
  record: { sale: NewSale; lines: SaleLineRow[]; taxes: SaleLineTaxRow[]; payments: SalePaymentRow[] },
): Promise<SaleRecord> {
  const columns = Object.keys(record.sale);
  const { rows } = await sql<SaleRow>`
    with number as (
      insert into register_counters (tenant_id, register_id, last_document_number)
      values (${record.sale.tenant_id}, ${record.sale.register_id}, 1)
      on conflict (tenant_id, register_id)
        do update set last_document_number = register_counters.last_document_number + 1
      returning last_document_number
    ), sale as (
      insert into sales (${sql.join(columns.map((c) => sql.id(c)))}, receipt_number)
      select ${sql.join(columns.map((c) => sql.ref(`r.${c}`)))}, number.last_document_number
        from number, jsonb_populate_record(null::sales, ${JSON.stringify(record.sale)}::jsonb) r
      returning *
    ), lines as (
      insert into sale_lines
      select * from jsonb_populate_recordset(null::sale_lines, ${JSON.stringify(record.lines)}::jsonb)
    ), taxes as (
      insert into sale_line_taxes
      select * from jsonb_populate_recordset(null::sale_line_taxes, ${JSON.stringify(record.taxes)}::jsonb)
    ), payments as (
      insert into sale_payments
      select * from jsonb_populate_recordset(null::sale_payments, ${JSON.stringify(record.payments)}::jsonb)
    )
    select * from sale`.execute(tx);
  return { sale: rows[0]!, lines: record.lines, taxes: record.taxes, payments: record.payments };
}

/** The sales with these ids, with their lines, taxes and payments, in the order of `sales`. */
export async function loadSaleRecords(tx: Tx, tenantId: string, sales: SaleRow[]): Promise<SaleRecord[]> {
  if (sales.length === 0) return [];
  const ids = sales.map((s) => s.id);
  const lines = await tx
    .selectFrom('sale_lines')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('sale_id', 'in', ids)
    .orderBy('sale_id')
    .orderBy('line_no')
    .execute();
  const taxes = await tx
    .selectFrom('sale_line_taxes')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('sale_id', 'in', ids)
    .execute();
  const payments = await tx
    .selectFrom('sale_payments')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('sale_id', 'in', ids)
    .orderBy('sale_id')
    .orderBy('payment_no')
    .execute();
  return sales.map((sale) => ({
    sale,
    lines: lines.filter((l) => l.sale_id === sale.id),
    taxes: taxes.filter((t) => t.sale_id === sale.id),
    payments: payments.filter((p) => p.sale_id === sale.id),
  }));
}

export function findSale(tx: Tx, tenantId: string, id: string): Promise<SaleRow | undefined> {
  return tx
    .selectFrom('sales')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export interface SaleFilter {
  storeIds: readonly string[] | null;
  storeId?: string | undefined;
  registerId?: string | undefined;
  cashSessionId?: string | undefined;
  customerId?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  /** The seq of the last sale of the previous page. */
  beforeSeq?: number | undefined;
  limit: number;
}

/** Sales newest first (by seq), filtered. */
export function listSales(tx: Tx, tenantId: string, f: SaleFilter): Promise<SaleRow[]> {
  let q = tx.selectFrom('sales').selectAll().where('tenant_id', '=', tenantId);
  if (f.storeIds !== null) q = q.where('store_id', 'in', f.storeIds.length > 0 ? [...f.storeIds] : [null!]);
  if (f.storeId !== undefined) q = q.where('store_id', '=', f.storeId);
  if (f.registerId !== undefined) q = q.where('register_id', '=', f.registerId);
  if (f.cashSessionId !== undefined) q = q.where('cash_session_id', '=', f.cashSessionId);
  if (f.customerId !== undefined) q = q.where('customer_id', '=', f.customerId);
  if (f.from !== undefined) q = q.where('created_at', '>=', f.from);
  if (f.to !== undefined) q = q.where('created_at', '<', f.to);
  if (f.beforeSeq !== undefined) q = q.where('seq', '<', f.beforeSeq);
  return q.orderBy('seq', 'desc').limit(f.limit).execute();
}

/** Marks the register's open cart at `version` checked out (next version); undefined when it is not so. */
export function checkOutCartRow(
  tx: Tx,
  tenantId: string,
  cartId: string,
  version: number,
  registerId: string,
): Promise<CartRow | undefined> {
  return tx
    .updateTable('carts')
    .set((eb) => ({ status: 'checked_out', version: eb('version', '+', 1), updated_at: new Date() }))
    .where('tenant_id', '=', tenantId)
    .where('id', '=', cartId)
    .where('version', '=', version)
    .where('status', '=', 'open')
    .where('register_id', '=', registerId)
    .returningAll()
    .executeTakeFirst();
}

/** What a checkout on a register needs of the register, its store and the tenant, in one query. */
export interface CheckoutSetting {
  registerId: string;
  storeId: string;
  usable: boolean;
  oversellPolicy: 'allow_negative' | 'refuse';
  currency: string;
  pricesIncludeTax: boolean;
  cashIncrement: number;
  maxCashierDiscountBp: number;
}

export async function checkoutSetting(
  tx: Tx,
  tenantId: string,
  registerId: string,
): Promise<CheckoutSetting | undefined> {
  const row = await tx
    .selectFrom('registers as r')
    .innerJoin('stores as s', (j) =>
      j.onRef('s.tenant_id', '=', 'r.tenant_id').onRef('s.id', '=', 'r.store_id'),
    )
    .innerJoin('tenants as t', 't.id', 'r.tenant_id')
    .select([
      'r.id',
      'r.store_id',
      'r.active as register_active',
      's.active as store_active',
      's.oversell_policy',
      't.currency',
      't.prices_include_tax',
      't.cash_rounding_increment',
      't.max_cashier_discount_bp',
    ])
    .where('r.tenant_id', '=', tenantId)
    .where('r.id', '=', registerId)
    .executeTakeFirst();
  return (
    row && {
      registerId: row.id,
      storeId: row.store_id,
      usable: row.register_active && row.store_active,
      oversellPolicy: row.oversell_policy,
      currency: row.currency,
      pricesIncludeTax: row.prices_include_tax,
      cashIncrement: row.cash_rounding_increment,
      maxCashierDiscountBp: row.max_cashier_discount_bp,
    }
  );
}

/** What a checkout starts from: a sale already under its id (a retry), the register, its open session. */
export interface CheckoutStart {
  priorHash: string | null;
  setting: CheckoutSetting;
  sessionId: string;
}

/**
 * `checkoutSetting`, the register's open cash session and any sale already under the id, in one query.
 * The session is locked FOR SHARE to the commit: sales run side by side, and a closing waits for them
 * (see requireOpenCashSession). Undefined when the register is not the tenant's or has no open session.
 */
export async function checkoutStart(
  tx: Tx,
  tenantId: string,
  saleId: string,
  registerId: string,
): Promise<CheckoutStart | undefined> {
  const { rows } = await sql<{
    prior_hash: string | null;
    id: string;
    store_id: string;
    register_active: boolean;
    store_active: boolean;
    oversell_policy: 'allow_negative' | 'refuse';
    currency: string;
    prices_include_tax: boolean;
    cash_rounding_increment: number;
    max_cashier_discount_bp: number;
    session_id: string;
  }>`
    select (select request_hash from sales where tenant_id = ${tenantId} and id = ${saleId}) as prior_hash,
           r.id, r.store_id, r.active as register_active, s.active as store_active, s.oversell_policy,
           t.currency, t.prices_include_tax, t.cash_rounding_increment, t.max_cashier_discount_bp,
           cs.id as session_id
      from registers r
      join stores s on s.tenant_id = r.tenant_id and s.id = r.store_id
      join tenants t on t.id = r.tenant_id
      join cash_sessions cs on cs.tenant_id = r.tenant_id and cs.register_id = r.id and cs.closed_at is null
     where r.tenant_id = ${tenantId} and r.id = ${registerId}
       for share of cs`.execute(tx);
  const row = rows[0];
  return (
    row && {
      priorHash: row.prior_hash,
      sessionId: row.session_id,
      setting: {
        registerId: row.id,
        storeId: row.store_id,
        usable: row.register_active && row.store_active,
        oversellPolicy: row.oversell_policy,
        currency: row.currency,
        pricesIncludeTax: row.prices_include_tax,
        cashIncrement: row.cash_rounding_increment,
        maxCashierDiscountBp: row.max_cashier_discount_bp,
      },
    }
  );
}

/**
 * On hand of these products in the store, their level rows locked in the one global order the stock
 * trigger locks them in (store, product), so this cannot deadlock with another sale.
 */
export async function lockStockLevels(
  tx: Tx,
  tenantId: string,
  storeId: string,
  productIds: readonly string[],
): Promise<Map<string, number>> {
  const rows = await tx
    .selectFrom('stock_levels')
    .select(['product_id', 'on_hand'])
    .where('tenant_id', '=', tenantId)
    .where('store_id', '=', storeId)
    .where('product_id', 'in', [...new Set(productIds)])
    .orderBy('product_id')
    .forUpdate()
    .execute();
  return new Map(rows.map((r) => [r.product_id, r.on_hand]));
}
