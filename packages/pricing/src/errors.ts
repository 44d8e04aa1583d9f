export type PricingErrorCode =
  | 'UNKNOWN_CURRENCY'
  | 'INVALID_AMOUNT'
  | 'INVALID_QUANTITY'
  | 'INVALID_RATE'
  | 'INVALID_DISCOUNT'
  | 'INVALID_INCREMENT'
  | 'INVALID_OPTION'
  | 'DUPLICATE_LINE'
  | 'UNKNOWN_LINE'
  | 'AMOUNT_OVERFLOW'
  | 'NON_CASH_OVERPAYMENT'
  | 'REFUND_EXCEEDS_SALE'
  | 'REFUND_EXCEEDS_PAID';

/** Every refusal of the pricing package: a stable code and the input field at fault, so the API can map it to a 400. */
export class PricingError extends Error {
  override readonly name = 'PricingError';

  constructor(
    readonly code: PricingErrorCode,
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}
