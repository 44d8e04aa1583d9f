import { QUANTITY_SCALE } from '@zakpos/contracts';
import { type CatalogProduct, productsByIds } from '../catalog/catalog-read.port.js';
import type { TenantScope } from '../common/context/request-context.js';
import type { Tx } from '../db/database.js';
import { notWholeUnits, productNotFound } from './inventory.errors.js';

/** The tenant's products with these ids, or 404 naming the first unknown one's input field. */
export async function loadProducts(
  tx: Tx,
  scope: TenantScope,
  refs: readonly { productId: string; field: string }[],
): Promise<Map<string, CatalogProduct>> {
  const byId = await productsByIds(
    tx,
    scope,
    refs.map((r) => r.productId),
  );
  const missing = refs.find((r) => !byId.has(r.productId));
  if (missing) throw productNotFound(missing.productId, missing.field);
  return byId;
}

/** Products sold 'each' move in whole units: quantities must be multiples of 1000. */
export function assertWholeUnits(
  products: Map<string, CatalogProduct>,
  lines: readonly { productId: string; quantity: number; field: string }[],
): void {
  for (const line of lines) {
    if (products.get(line.productId)?.unit === 'each' && line.quantity % QUANTITY_SCALE !== 0) {
      throw notWholeUnits(line.field);
    }
  }
}

/**
 * Checks the lines of an adjustment or transfer: every product exists (404 naming
 * `lines.N.productId`) and whole-unit products move in whole units (400 naming `lines.N.quantity`).
 * Returns the lines with the input field each quantity came from, for later stock errors.
 */
export async function checkQuantityLines<L extends { productId: string; quantity: number }>(
  tx: Tx,
  scope: TenantScope,
  lines: readonly L[],
): Promise<(L & { field: string })[]> {
  const products = await loadProducts(
    tx,
    scope,
    lines.map((l, i) => ({ productId: l.productId, field: `lines.${i}.productId` })),
  );
  const fielded = lines.map((l, i) => ({ ...l, field: `lines.${i}.quantity` }));
  assertWholeUnits(products, fielded);
  return fielded;
}
