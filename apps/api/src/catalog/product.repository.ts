import { type Insertable, type Selectable, sql, type Updateable } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { Tx } from '../db/database.js';
import type { Symbology } from './barcode.js';
import type { ProductBarcodesTable, ProductsTable } from './catalog.tables.js';

export type ProductRow = Selectable<ProductsTable> & { barcodes: { code: string; symbology: Symbology }[] };

/** Products of the tenant with their barcodes, in one statement. */
export function withBarcodes(tx: Tx, tenantId: string) {
  return tx
    .selectFrom('products as p')
    .selectAll('p')
    .select((eb) =>
      jsonArrayFrom(
        eb
          .selectFrom('product_barcodes as b')
          .select(['b.code', 'b.symbology'])
          .whereRef('b.tenant_id', '=', 'p.tenant_id')
          .whereRef('b.product_id', '=', 'p.id')
          .orderBy('b.code'),
      ).as('barcodes'),
    )
    .where('p.tenant_id', '=', tenantId);
}

export function findProduct(tx: Tx, tenantId: string, id: string): Promise<ProductRow | undefined> {
  return withBarcodes(tx, tenantId).where('p.id', '=', id).executeTakeFirst();
}

export function lockProduct(tx: Tx, tenantId: string, id: string): Promise<ProductRow | undefined> {
  return withBarcodes(tx, tenantId).where('p.id', '=', id).forUpdate().executeTakeFirst();
}

/**
 * The product carrying any of `codes` (spellings of one barcode). This is every till's hot path, so
 * it is written as one SQL template: building it with the query builder cost about 15 % of the
 * lookup's throughput in `npm run bench`. Same shape as withBarcodes().
 */
export async function findProductByBarcode(
  tx: Tx,
  tenantId: string,
  codes: readonly string[],
): Promise<ProductRow | undefined> {
  const result = await sql<ProductRow>`
    select p.*,
           (select coalesce(json_agg(b order by b.code), '[]')
              from (select code, symbology from product_barcodes
                     where tenant_id = p.tenant_id and product_id = p.id) b) as barcodes
      from products p
     where p.tenant_id = ${tenantId}
       and p.id = (select product_id from product_barcodes
                    where tenant_id = ${tenantId} and code in (${sql.join(codes)}) limit 1)`.execute(tx);
  return result.rows[0];
}

export function findProductByPlu(tx: Tx, tenantId: string, plu: string): Promise<ProductRow | undefined> {
  return withBarcodes(tx, tenantId).where('p.plu', '=', plu).executeTakeFirst();
}

export async function productIdBySku(tx: Tx, tenantId: string, sku: string): Promise<string | undefined> {
  const row = await tx
    .selectFrom('products')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('sku', '=', sku)
    .executeTakeFirst();
  return row?.id;
}

export async function productIdByPlu(tx: Tx, tenantId: string, plu: string): Promise<string | undefined> {
  const row = await tx
    .selectFrom('products')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('plu', '=', plu)
    .executeTakeFirst();
  return row?.id;
}

/** Which product holds each of `codes`, for the codes that are taken. */
export async function barcodeOwners(
  tx: Tx,
  tenantId: string,
  codes: readonly string[],
): Promise<Map<string, string>> {
  if (codes.length === 0) return new Map();
  const rows = await tx
    .selectFrom('product_barcodes')
    .select(['code', 'product_id'])
    .where('tenant_id', '=', tenantId)
    .where('code', 'in', codes)
    .execute();
  return new Map(rows.map((r) => [r.code, r.product_id]));
}

export async function insertProduct(tx: Tx, row: Insertable<ProductsTable>): Promise<void> {
  await tx.insertInto('products').values(row).execute();
}

export async function updateProduct(
  tx: Tx,
  tenantId: string,
  id: string,
  changes: Updateable<ProductsTable>,
): Promise<void> {
  await tx
    .updateTable('products')
    .set({ ...changes, updated_at: new Date() })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
}

export async function insertBarcodes(
  tx: Tx,
  rows: readonly Insertable<ProductBarcodesTable>[],
): Promise<void> {
  if (rows.length) await tx.insertInto('product_barcodes').values(rows).execute();
}

export async function deleteBarcodesOf(tx: Tx, tenantId: string, productId: string): Promise<void> {
  await tx
    .deleteFrom('product_barcodes')
    .where('tenant_id', '=', tenantId)
    .where('product_id', '=', productId)
    .execute();
}

/** Removes one barcode of a product; false when the product has no such barcode. */
export async function deleteBarcode(
  tx: Tx,
  tenantId: string,
  productId: string,
  code: string,
): Promise<boolean> {
  const result = await tx
    .deleteFrom('product_barcodes')
    .where('tenant_id', '=', tenantId)
    .where('product_id', '=', productId)
    .where('code', '=', code)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}
