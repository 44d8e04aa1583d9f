export type ReceiptErrorCode =
  | 'INVALID_INTEGER'
  | 'NEGATIVE_AMOUNT'
  | 'NEGATIVE_QUANTITY'
  | 'FRACTIONAL_EACH_QUANTITY'
  | 'INVALID_UNIT'
  | 'INVALID_KIND'
  | 'INVALID_CURRENCY'
  | 'INVALID_LOCALE'
  | 'INVALID_TIME_ZONE'
  | 'INVALID_INSTANT'
  | 'EMPTY_TEXT'
  | 'INVALID_BARCODE_VALUE'
  | 'INVALID_COLUMNS';

/** Thrown for inputs a receipt cannot be printed from; `field` names the offending input (e.g. `lines[2].quantity`). */
export class ReceiptError extends Error {
  readonly code: ReceiptErrorCode;
  readonly field: string;

  constructor(code: ReceiptErrorCode, field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = 'ReceiptError';
    this.code = code;
    this.field = field;
  }
}
