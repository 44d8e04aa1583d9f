export { ReceiptError, type ReceiptErrorCode } from './errors.js';
export type {
  CodeSymbology,
  QuantityUnit,
  ReceiptKind,
  ReceiptSale,
  ReceiptSaleLine,
  ReceiptStore,
  ReceiptTaxRate,
  ReceiptTender,
  TenderKind,
} from './sale.js';
export { validateSale } from './validate.js';
export { englishLabels, type ReceiptLabelOverrides, type ReceiptLabels } from './labels.js';
export {
  buildReceipt,
  type BuildReceiptOptions,
  type ReceiptModel,
  type ReceiptModelLine,
  type ReceiptModelTax,
  type ReceiptModelTender,
  type ReceiptRow,
} from './model.js';
export type { PaperColumns } from './layout.js';
export { renderText, type TextOptions } from './text.js';
export {
  renderEscPos,
  toPrintable,
  type CodepageMappingName,
  type CodepageName,
  type EscPosOptions,
} from './escpos.js';
export { escapeHtml, renderHtml } from './html.js';
export { qrSvg } from './qr-svg.js';
