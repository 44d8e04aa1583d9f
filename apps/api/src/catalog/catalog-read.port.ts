import { sql } from 'kysely';
import type { TenantScope } from '../common/context/request-context.js';
import type { Tx } from '../db/database.js';

/**
 * What other modules (inventory, sales) read of the catalog. They call these inside their own unit of
 * work instead of querying the catalog's tables, so the catalog can change its tables freely.
 */
export interface CatalogProduct {
  id: string;
  sku: string;
  name: string;
  unit: 'each' | 'kg';
  active: boolean;
  /** Minor units per unit (per kilogram for weighed goods). */
  price: number;
  cost: number;
  taxCategoryId: string;
  categoryId: string | null;
}

/** A tax rate as `@zakpos/pricing` takes it: parts per million of the net (200000 = 20 %). */
export interface CatalogTaxRate {
  code: string;
  ratePpm: number;
}

/** The catalog stores rates in basis points; pricing works in parts per million. The one conversion. */
export const basisPointsToPpm = (bp: number): number => bp * 100;

/** The tenant's products with these ids; ids that are not the tenant's products are absent. */
export async function productsByIds(
  tx: Tx,
  scope: TenantScope,
  ids: readonly string[],
): Promise<Map<string, CatalogProduct>> {
  if (ids.length === 0) return new Map();
  const rows = await tx
    .selectFrom('products')
    .select(['id', 'sku', 'name', 'unit', 'active', 'price', 'cost', 'tax_category_id', 'category_id'])
    .where('tenant_id', '=', scope.tenantId)
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Map(
    rows.map((r) => [
      r.id,
      {
        id: r.id,
        sku: r.sku,
        name: r.name,
        unit: r.unit,
        active: r.active,
        price: r.price,
        cost: r.cost,
        taxCategoryId: r.tax_category_id,
        categoryId: r.category_id,
      },
    ]),
  );
}

/** The rates of each tax category, in their order, in parts per million. */
export async function taxRatesByCategory(
  tx: Tx,
  scope: TenantScope,
  taxCategoryIds: readonly string[],
): Promise<Map<string, CatalogTaxRate[]>> {
  const byCategory = new Map<string, CatalogTaxRate[]>(taxCategoryIds.map((id) => [id, []]));
  if (taxCategoryIds.length === 0) return byCategory;
  const rows = await tx
    .selectFrom('tax_category_rates')
    .select(['tax_category_id', 'name', 'rate_bp'])
    .where('tenant_id', '=', scope.tenantId)
    .where('tax_category_id', 'in', [...new Set(taxCategoryIds)])
    .orderBy('tax_category_id')
    .orderBy('position')
    .execute();
  for (const r of rows) {
    byCategory.get(r.tax_category_id)?.push({ code: r.name, ratePpm: basisPointsToPpm(r.rate_bp) });
  }
  return byCategory;
}

/** A product with the rates of its tax category, in their order: what pricing a line needs. */
export interface PricedProduct extends CatalogProduct {
  taxes: CatalogTaxRate[];
}

/** The tenant's products with these ids and their tax rates, in one query (a checkout's hot path). */
export async function productsWithTaxes(
  tx: Tx,
  scope: TenantScope,
  ids: readonly string[],
): Promise<Map<string, PricedProduct>> {
  if (ids.length === 0) return new Map();
  const { rows } = await sql<{
    id: string;
    sku: string;
    name: string;
    unit: 'each' | 'kg';
    active: boolean;
    price: number;
    cost: number;
    tax_category_id: string;
    category_id: string | null;
    rates: { name: string; rate_bp: number }[];
  }>`
    select p.id, p.sku, p.name, p.unit, p.active, p.price, p.cost, p.tax_category_id, p.category_id,
           coalesce((select json_agg(json_build_object('name', r.name, 'rate_bp', r.rate_bp) order by r.position)
                       from tax_category_rates r
                      where r.tenant_id = p.tenant_id and r.tax_category_id = p.tax_category_id), '[]') as rates
      from products p
     where p.tenant_id = ${scope.tenantId} and p.id = any(${[...new Set(ids)]}::uuid[])`.execute(tx);
  return new Map(
    rows.map((r) => [
      r.id,
      {
        id: r.id,
        sku: r.sku,
        name: r.name,
        unit: r.unit,
        active: r.active,
        price: r.price,
        cost: r.cost,
        taxCategoryId: r.tax_category_id,
        categoryId: r.category_id,
        taxes: r.rates.map((x) => ({ code: x.name, ratePpm: basisPointsToPpm(x.rate_bp) })),
      },
    ]),
  );
}
