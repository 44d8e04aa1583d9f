import { ReceiptError } from './errors.js';
import type { ReceiptSale } from './sale.js';

export function integer(value: number, field: string): void {
  if (!Number.isSafeInteger(value)) {
    throw new ReceiptError('INVALID_INTEGER', field, 'must be a safe integer (minor units or thousandths)');
  }
}

export function nonNegative(value: number, field: string): void {
  integer(value, field);
  if (value < 0) throw new ReceiptError('NEGATIVE_AMOUNT', field, 'must not be negative');
}

/**
 * Hermes (React Native) lacks Intl.supportedValuesOf: there, any well-formed code is accepted and
 * Intl.NumberFormat prints it as given.
 */
function isCurrencyCode(code: string): boolean {
  if (!/^[A-Z]{3}$/.test(code)) return false;
  return typeof Intl.supportedValuesOf === 'function'
    ? Intl.supportedValuesOf('currency').includes(code)
    : true;
}

export function text(value: string, field: string): void {
  if (value.trim() === '') throw new ReceiptError('EMPTY_TEXT', field, 'must not be empty');
}

/** The locale, currency and time zone every printed document is formatted in. */
export function checkSetting(doc: { locale: string; currency: string; timeZone: string }): void {
  try {
    Intl.getCanonicalLocales(doc.locale);
  } catch {
    throw new ReceiptError('INVALID_LOCALE', 'locale', `not a BCP 47 locale: ${doc.locale}`);
  }
  if (!isCurrencyCode(doc.currency)) {
    throw new ReceiptError('INVALID_CURRENCY', 'currency', `not an ISO 4217 code: ${doc.currency}`);
  }
  try {
    new Intl.DateTimeFormat('en', { timeZone: doc.timeZone });
  } catch {
    throw new ReceiptError('INVALID_TIME_ZONE', 'timeZone', `not an IANA time zone: ${doc.timeZone}`);
  }
}

const instant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

export function checkInstant(value: string, field: string): void {
  if (!instant.test(value) || Number.isNaN(Date.parse(value))) {
    throw new ReceiptError('INVALID_INSTANT', field, 'must be an ISO 8601 instant with Z or an offset');
  }
}

/**
 * Rejects inputs no receipt can be printed from. It checks shapes and signs only, never whether the
 * figures add up: the receipt prints what the sale recorded.
 */
export function validateSale(sale: ReceiptSale): void {
  if (!['sale', 'refund', 'void'].includes(sale.kind)) {
    throw new ReceiptError('INVALID_KIND', 'kind', "must be 'sale', 'refund' or 'void'");
  }
  text(sale.store.name, 'store.name');
  text(sale.receiptNumber, 'receiptNumber');
  // A refund without a receipt has no original to name; one that names it names something.
  if (sale.originalReceiptNumber !== undefined) text(sale.originalReceiptNumber, 'originalReceiptNumber');
  checkSetting(sale);
  checkInstant(sale.issuedAt, 'issuedAt');

  sale.lines.forEach((line, i) => {
    const at = `lines[${i}]`;
    text(line.name, `${at}.name`);
    integer(line.quantity, `${at}.quantity`);
    if (line.quantity <= 0) {
      throw new ReceiptError('NEGATIVE_QUANTITY', `${at}.quantity`, 'must be positive');
    }
    if (line.unit !== 'each' && line.unit !== 'kg') {
      throw new ReceiptError('INVALID_UNIT', `${at}.unit`, "must be 'each' or 'kg'");
    }
    if (line.unit === 'each' && line.quantity % 1000 !== 0) {
      throw new ReceiptError('FRACTIONAL_EACH_QUANTITY', `${at}.quantity`, 'items sold each are whole');
    }
    nonNegative(line.unitPrice, `${at}.unitPrice`);
    nonNegative(line.lineDiscount, `${at}.lineDiscount`);
    nonNegative(line.lineTotal, `${at}.lineTotal`);
  });

  nonNegative(sale.cartDiscount, 'cartDiscount');
  nonNegative(sale.subtotal, 'subtotal');
  nonNegative(sale.net, 'net');
  nonNegative(sale.tax, 'tax');
  nonNegative(sale.total, 'total');
  nonNegative(sale.changeDue, 'changeDue');

  sale.taxSummary.forEach((rate, i) => {
    const at = `taxSummary[${i}]`;
    text(rate.label, `${at}.label`);
    nonNegative(rate.ratePpm, `${at}.ratePpm`);
    nonNegative(rate.net, `${at}.net`);
    nonNegative(rate.tax, `${at}.tax`);
    nonNegative(rate.gross, `${at}.gross`);
  });

  sale.tenders.forEach((tender, i) => {
    nonNegative(tender.amount, `tenders[${i}].amount`);
    integer(tender.cashRoundingAdjustment, `tenders[${i}].cashRoundingAdjustment`);
  });

  if (sale.code) {
    text(sale.code.value, 'code.value');
    // CODE128 (code set B) carries printable ASCII only.
    if (sale.code.symbology === 'code128' && !/^[\x20-\x7e]+$/.test(sale.code.value)) {
      throw new ReceiptError('INVALID_BARCODE_VALUE', 'code.value', 'CODE128 takes printable ASCII only');
    }
  }
}
