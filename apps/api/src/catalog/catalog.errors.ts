import { DomainError, type FieldErrors } from '../common/errors/domain-error.js';
import { isUniqueViolation, pgError } from '../db/pg-error.js';

export const skuTaken = () =>
  new DomainError('SKU_TAKEN', 'a product with this SKU already exists', { sku: ['already used'] });

export const pluTaken = () =>
  new DomainError('PLU_TAKEN', 'a product with this PLU already exists', {
    plu: ['already used by another product'],
  });

export const barcodeTaken = (fields: FieldErrors) =>
  new DomainError(
    'BARCODE_TAKEN',
    `barcode already used by a product: ${Object.keys(fields).join(', ')}`,
    fields,
  );

export const nameTaken = (what: string) =>
  new DomainError('CONFLICT', `a ${what} with this name already exists`, { name: ['already used'] });

export const invalidBarcodes = (fields: FieldErrors) =>
  new DomainError('VALIDATION_FAILED', `invalid barcode: ${Object.keys(fields).join(', ')}`, fields);

export const referenceNotFound = (field: string, what: string) =>
  new DomainError('NOT_FOUND', `${what} not found`, { [field]: ['not found'] });

/**
 * Unique violations that slipped past the checks (two writers at once) become the same answer the
 * checks give. `barcodeFields` are the request's barcode fields (`barcodes.2.code`); PostgreSQL does
 * not say which key clashed on a table under row-level security, so a clash names the one barcode
 * field, or `barcodes` when there were several.
 */
export function rethrowCatalogConflict(barcodeFields: readonly string[] = []): (e: unknown) => never {
  return (e: unknown) => {
    if (isUniqueViolation(e)) {
      switch (pgError(e)?.constraint ?? '') {
        case 'products_sku_key':
          throw skuTaken();
        case 'products_plu_key':
          throw pluTaken();
        case 'product_barcodes_pkey':
          throw barcodeTaken({
            [barcodeFields.length === 1 ? barcodeFields[0]! : 'barcodes']: ['already used by a product'],
          });
        case 'tax_categories_name_key':
          throw nameTaken('tax category');
        case 'categories_name_key':
          throw nameTaken('category');
      }
    }
    throw e;
  };
}
