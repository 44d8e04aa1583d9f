import type { BarcodeResolution } from '@zakpos/contracts';
import type { TenantScope } from '../common/context/request-context.js';
import { DomainError } from '../common/errors/domain-error.js';
import type { Tx } from '../db/database.js';
import { checkBarcode, detectSymbology, equivalentCodes } from './barcode.js';
import { findProductByBarcode, findProductByPlu } from './product.repository.js';
import { toProduct } from './product.service.js';
import { labelQuantity, parseWeightedBarcode, validPrefixRules } from './weighted-barcode.js';

/**
 * Turns what a scanner read into a product and a quantity, inside the caller's unit of work (a lookup
 * on its own, or a line added to a cart). An exact barcode match wins (in either UPC-A/EAN-13
 * spelling); otherwise a valid EAN-13 under one of the tenant's weighted prefixes is read as a scale
 * label and matched by PLU. A GTIN-shaped code with a wrong check digit is a misread: 400, not 404.
 */
export async function resolveBarcode(tx: Tx, scope: TenantScope, code: string): Promise<BarcodeResolution> {
  const exact = await findProductByBarcode(tx, scope.tenantId, equivalentCodes(code));
  if (exact) return { product: toProduct(exact), quantity: 1000, price: null, source: 'barcode' };

  const symbology = detectSymbology(code);
  if (symbology !== 'code128') {
    const check = checkBarcode(code, symbology);
    if (!check.ok) throw DomainError.validation('code', check.reason);
  }
  if (symbology === 'ean13') {
    const resolved = await resolveWeightedLabel(tx, scope.tenantId, code);
    if (resolved) return resolved;
  }
  throw DomainError.notFound('product with this barcode');
}

async function resolveWeightedLabel(
  tx: Tx,
  tenantId: string,
  code: string,
): Promise<BarcodeResolution | null> {
  const tenant = await tx
    .selectFrom('tenants')
    .select('weighted_barcode_prefixes')
    .where('id', '=', tenantId)
    .executeTakeFirst();
  const label = parseWeightedBarcode(code, validPrefixRules(tenant?.weighted_barcode_prefixes));
  if (!label) return null;
  const row = await findProductByPlu(tx, tenantId, label.itemCode);
  if (!row) return null;
  return {
    product: toProduct(row),
    quantity: labelQuantity(label, row.price),
    price: label.kind === 'price' ? label.value : null,
    source: 'weighted',
  };
}
