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
export {
  englishLabels,
  englishZReportLabels,
  type ReceiptLabelOverrides,
  type ReceiptLabels,
  type ZReportLabelOverrides,
  type ZReportLabels,
} from './labels.js';
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
export { renderText, renderZReportText, type TextOptions } from './text.js';
export {
  renderEscPos,
  renderZReportEscPos,
  toPrintable,
  type CodepageMappingName,
  type CodepageName,
  type EscPosOptions,
} from './escpos.js';
export { escapeHtml, renderHtml, renderZReportHtml } from './html.js';
export {
  validateZReport,
  type ZReport,
  type ZReportMovement,
  type ZReportTax,
  type ZReportTender,
} from './z-report.js';
export {
  buildZReport,
  type BuildZReportOptions,
  type ZReportModel,
  type ZReportModelRow,
  type ZReportSection,
} from './z-report-model.js';
export { qrSvg } from './qr-svg.js';
