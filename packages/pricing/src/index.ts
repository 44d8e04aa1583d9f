export { allocateLargestRemainder } from './allocate.js';
export { cartInputOf, priceCart } from './cart.js';
export { currencyExponent } from './currency.js';
export { PricingError, type PricingErrorCode } from './errors.js';
export { BASIS_POINTS, QUANTITY_SCALE } from './line.js';
export { divRound, type RoundingMode } from './money.js';
export {
  roundCash,
  settlePayment,
  type PaymentInput,
  type Settlement,
  type TenderInput,
  type TenderKind,
} from './payment.js';
export {
  computeRefund,
  type RefundLine,
  type RefundRequestLine,
  type RefundResult,
  type RefundTotals,
} from './refund.js';
export { RATE_SCALE } from './tax.js';
export type {
  CartInput,
  CartLineInput,
  CartTotals,
  Discount,
  LineTax,
  PricedCart,
  PricedLine,
  PricingMode,
  TaxRate,
  TaxSummaryRow,
} from './types.js';
