import { Inject, Injectable } from '@nestjs/common';
import type { BarcodeResolution } from '@zakpos/contracts';
import type { RequestContext } from '../common/context/request-context.js';
import { DomainError } from '../common/errors/domain-error.js';
import { Database, type Tx } from '../db/database.js';
import { checkBarcode, detectSymbology, equivalentCodes } from './barcode.js';
import { findProductByBarcode, findProductByPlu } from './product.repository.js';
import { toProduct } from './product.service.js';
import { labelQuantity, parseWeightedBarcode, validPrefixRules } from './weighted-barcode.js';

/** Turns what a scanner read into a product and a quantity: the hot path of every till. */
@Injectable()
export class BarcodeResolverService {
  constructor(@Inject(Database) private readonly db: Database) {}

  /**
   * An exact barcode match wins (in either UPC-A/EAN-13 spelling); otherwise a valid EAN-13 under one
   * of the tenant's weighted prefixes is read as a scale label and matched by PLU. A GTIN-shaped code
   * with a wrong check digit is a misread: 400, not 404.
   */
  resolve(ctx: RequestContext, code: string): Promise<BarcodeResolution> {
    return this.db.tenant(ctx, async (tx) => {
      const exact = await findProductByBarcode(tx, ctx.tenantId, equivalentCodes(code));
      if (exact) return { product: toProduct(exact), quantity: 1000, price: null, source: 'barcode' };

      const symbology = detectSymbology(code);
      if (symbology !== 'code128') {
        const check = checkBarcode(code, symbology);
        if (!check.ok) throw DomainError.validation('code', check.reason);
      }
      if (symbology === 'ean13') {
        const resolved = await this.weighted(tx, ctx.tenantId, code);
        if (resolved) return resolved;
      }
      throw DomainError.notFound('product with this barcode');
    });
  }

  private async weighted(tx: Tx, tenantId: string, code: string): Promise<BarcodeResolution | null> {
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
}
