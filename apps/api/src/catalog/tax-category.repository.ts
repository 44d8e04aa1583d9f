import type { Insertable, Selectable } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { Tx } from '../db/database.js';
import type { TaxCategoriesTable } from './catalog.tables.js';

export interface TaxRateRow {
  name: string;
  rate_bp: number;
}

export type TaxCategoryRow = Selectable<TaxCategoriesTable> & { rates: TaxRateRow[] };

function withRates(tx: Tx, tenantId: string) {
  return tx
    .selectFrom('tax_categories as c')
    .selectAll('c')
    .select((eb) =>
      jsonArrayFrom(
        eb
          .selectFrom('tax_category_rates as r')
          .select(['r.name', 'r.rate_bp'])
          .whereRef('r.tenant_id', '=', 'c.tenant_id')
          .whereRef('r.tax_category_id', '=', 'c.id')
          .orderBy('r.position'),
      ).as('rates'),
    )
    .where('c.tenant_id', '=', tenantId);
}

export function listTaxCategories(tx: Tx, tenantId: string): Promise<TaxCategoryRow[]> {
  return withRates(tx, tenantId).orderBy('c.name').execute();
}

export function findTaxCategory(tx: Tx, tenantId: string, id: string): Promise<TaxCategoryRow | undefined> {
  return withRates(tx, tenantId).where('c.id', '=', id).executeTakeFirst();
}

export function lockTaxCategory(tx: Tx, tenantId: string, id: string): Promise<TaxCategoryRow | undefined> {
  return withRates(tx, tenantId).where('c.id', '=', id).forUpdate().executeTakeFirst();
}

export async function taxCategoryExists(tx: Tx, tenantId: string, id: string): Promise<boolean> {
  const row = await tx
    .selectFrom('tax_categories')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row !== undefined;
}

/** The id of the tax category named `name`, if any. */
export async function taxCategoryIdByName(
  tx: Tx,
  tenantId: string,
  name: string,
): Promise<string | undefined> {
  const row = await tx
    .selectFrom('tax_categories')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('name', '=', name)
    .executeTakeFirst();
  return row?.id;
}

export async function insertTaxCategory(tx: Tx, row: Insertable<TaxCategoriesTable>): Promise<void> {
  await tx.insertInto('tax_categories').values(row).execute();
}

export async function renameTaxCategory(
  tx: Tx,
  tenantId: string,
  id: string,
  name: string | undefined,
): Promise<void> {
  await tx
    .updateTable('tax_categories')
    .set({ ...(name === undefined ? {} : { name }), updated_at: new Date() })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
}

/** Replaces the category's rates with `rates`, in order. */
export async function replaceTaxRates(
  tx: Tx,
  tenantId: string,
  taxCategoryId: string,
  rates: readonly { name: string; rateBp: number }[],
): Promise<void> {
  await tx
    .deleteFrom('tax_category_rates')
    .where('tenant_id', '=', tenantId)
    .where('tax_category_id', '=', taxCategoryId)
    .execute();
  await tx
    .insertInto('tax_category_rates')
    .values(
      rates.map((r, position) => ({
        tenant_id: tenantId,
        tax_category_id: taxCategoryId,
        position,
        name: r.name,
        rate_bp: r.rateBp,
      })),
    )
    .execute();
}

export async function taxCategoryInUse(tx: Tx, tenantId: string, id: string): Promise<boolean> {
  const row = await tx
    .selectFrom('products')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('tax_category_id', '=', id)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export async function deleteTaxCategory(tx: Tx, tenantId: string, id: string): Promise<void> {
  await tx.deleteFrom('tax_categories').where('tenant_id', '=', tenantId).where('id', '=', id).execute();
}
