import type { FieldErrors } from '../common/errors/domain-error.js';
import { checkBarcode, equivalentCodes, type Symbology } from './barcode.js';

export interface ValidBarcode {
  code: string;
  symbology: Symbology;
  /** The request field it came from, e.g. `barcodes.1.code`. */
  field: string;
}

/**
 * Checks barcodes given with a product: shape and check digit of each, and no code given twice
 * (a UPC-A and its EAN-13 spelling count as the same code). Returns the valid list or the field errors.
 */
export function validateBarcodeInputs(
  inputs: readonly { code: string; symbology?: Symbology | undefined }[],
  fieldOf: (index: number) => string,
): { barcodes: ValidBarcode[]; errors: FieldErrors | null } {
  const errors: FieldErrors = {};
  const barcodes: ValidBarcode[] = [];
  const seen = new Set<string>();
  inputs.forEach((input, index) => {
    const field = fieldOf(index);
    const check = checkBarcode(input.code, input.symbology);
    if (!check.ok) {
      errors[field] = [check.reason];
      return;
    }
    if (equivalentCodes(input.code).some((c) => seen.has(c))) {
      errors[field] = ['given twice'];
      return;
    }
    seen.add(input.code);
    barcodes.push({ code: input.code, symbology: check.symbology, field });
  });
  return { barcodes, errors: Object.keys(errors).length ? errors : null };
}
