import { describe, expect, it } from 'vitest';
import { validateBarcodeInputs } from './barcode-input.js';

const field = (i: number) => `barcodes.${i}.code`;

describe('barcode inputs of a product', () => {
  it('accepts valid codes and fills in the detected symbology', () => {
    expect(
      validateBarcodeInputs([{ code: '4006381333931' }, { code: 'INT-0042', symbology: 'code128' }], field),
    ).toEqual({
      barcodes: [
        { code: '4006381333931', symbology: 'ean13', field: 'barcodes.0.code' },
        { code: 'INT-0042', symbology: 'code128', field: 'barcodes.1.code' },
      ],
      errors: null,
    });
  });

  it('names every bad field', () => {
    const { errors } = validateBarcodeInputs(
      [{ code: '4006381333931' }, { code: '4006381333932' }, { code: '96385074', symbology: 'ean13' }],
      field,
    );
    expect(Object.keys(errors ?? {})).toEqual(['barcodes.1.code', 'barcodes.2.code']);
    expect(errors?.['barcodes.1.code']?.[0]).toMatch(/check digit/);
  });

  it('refuses the same code twice, including a UPC-A and its EAN-13 spelling', () => {
    const { errors } = validateBarcodeInputs(
      [{ code: '036000291452' }, { code: '0036000291452' }, { code: '036000291452' }],
      field,
    );
    expect(errors).toEqual({ 'barcodes.1.code': ['given twice'], 'barcodes.2.code': ['given twice'] });
  });
});
