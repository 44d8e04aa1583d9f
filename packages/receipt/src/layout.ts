import { ReceiptError } from './errors.js';
import type { ReceiptModel, ReceiptRow } from './model.js';
import type { ZReportModel } from './z-report-model.js';
import { displayWidth } from './width.js';

export type PaperColumns = 32 | 48;

/**
 * The receipt as a column-independent list of blocks, shared by the text and ESC/POS renderers so both
 * print the same rows in the same order.
 */
export type Block =
  | { type: 'center'; text: string; bold: boolean }
  | { type: 'mark'; text: string }
  | { type: 'row'; left: string; right: string; rightWidth: number; bold: boolean }
  | { type: 'rule' }
  | { type: 'blank' }
  | { type: 'code'; symbology: 'code128' | 'qr'; value: string };

export function checkColumns(columns: number): PaperColumns {
  if (columns !== 32 && columns !== 48) {
    throw new ReceiptError('INVALID_COLUMNS', 'columns', 'must be 32 (58 mm paper) or 48 (80 mm paper)');
  }
  return columns;
}

/** What a printed document (receipt or Z report) opens with: store, mark, meta rows, a rule. */
interface Heading {
  storeName: string;
  addressLines: string[];
  taxId: string | null;
  mark: string | null;
  meta: ReceiptRow[];
}

function header(model: Heading, columns: PaperColumns, text: (s: string) => string): Block[] {
  // Meta values (dates, names) take what they need, leaving the label at least 8 columns.
  const metaRow = ({ label, value }: ReceiptRow): Block => ({
    type: 'row',
    left: text(label),
    right: text(value),
    rightWidth: Math.min(displayWidth(text(value)), columns - 9),
    bold: false,
  });
  const blocks: Block[] = [{ type: 'center', text: text(model.storeName), bold: true }];
  for (const line of model.addressLines) blocks.push({ type: 'center', text: text(line), bold: false });
  if (model.taxId) blocks.push({ type: 'center', text: text(model.taxId), bold: false });
  blocks.push({ type: 'blank' });
  if (model.mark) blocks.push({ type: 'mark', text: text(model.mark) }, { type: 'blank' });
  blocks.push(...model.meta.map(metaRow), { type: 'rule' });
  return blocks;
}

/** Amounts share one right-aligned column, as wide as the widest amount, at most half the paper. */
function amountColumn(amounts: string[], columns: PaperColumns, text: (s: string) => string): number {
  return Math.min(Math.max(8, ...amounts.map((a) => displayWidth(text(a)))), columns / 2);
}

/**
 * @param text applied to every string before it is measured: the ESC/POS renderer passes its mapping to
 *   printable characters, so widths are those of what the printer prints.
 */
export function layoutReceipt(
  model: ReceiptModel,
  columns: PaperColumns,
  text: (s: string) => string,
): Block[] {
  const amounts = [
    ...model.lines.flatMap((line) => [line.total, line.discount?.value ?? '']),
    ...model.totals.map((row) => row.value),
    ...model.taxes.map((tax) => tax.tax),
    ...model.tenders.flatMap((tender) => [tender.row.value, tender.rounding?.value ?? '']),
    model.change?.value ?? '',
  ];
  const amountWidth = amountColumn(amounts, columns, text);

  const row = (left: string, right: string, bold = false): Block => ({
    type: 'row',
    left: text(left),
    right: text(right),
    rightWidth: right === '' ? 0 : amountWidth,
    bold,
  });

  const blocks: Block[] = header(model, columns, text);

  for (const line of model.lines) {
    blocks.push(row(line.name, line.total));
    if (line.detail) blocks.push(row(`  ${line.detail}`, ''));
    if (line.sku) blocks.push(row(`  ${line.sku}`, ''));
    if (line.discount) blocks.push(row(`  ${line.discount.label}`, line.discount.value));
  }
  blocks.push({ type: 'rule' });

  model.totals.forEach((total, i) => {
    blocks.push(row(total.label, total.value, i === model.totals.length - 1));
  });

  if (model.taxes.length > 0) {
    blocks.push({ type: 'rule' });
    for (const tax of model.taxes) blocks.push(row(tax.label, tax.tax), row(`  ${tax.detail}`, ''));
  }

  if (model.tenders.length > 0 || model.change) {
    blocks.push({ type: 'rule' });
    for (const tender of model.tenders) {
      blocks.push(row(tender.row.label, tender.row.value));
      if (tender.rounding) blocks.push(row(`  ${tender.rounding.label}`, tender.rounding.value));
    }
    if (model.change) blocks.push(row(model.change.label, model.change.value, true));
  }

  if (model.footer.length > 0) {
    blocks.push({ type: 'blank' });
    for (const line of model.footer) blocks.push({ type: 'center', text: text(line), bold: false });
  }
  if (model.code) blocks.push({ type: 'blank' }, { type: 'code', ...model.code });
  return blocks;
}

/** A Z report as blocks: the same header as a receipt, then each section under its bold title. */
export function layoutZReport(
  model: ZReportModel,
  columns: PaperColumns,
  text: (s: string) => string,
): Block[] {
  const amountWidth = amountColumn(
    model.sections.flatMap((section) => section.rows.map((r) => r.value)),
    columns,
    text,
  );
  const blocks = header(model, columns, text);
  model.sections.forEach((section, i) => {
    if (i > 0) blocks.push({ type: 'rule' });
    blocks.push({ type: 'row', left: text(section.title), right: '', rightWidth: 0, bold: true });
    for (const r of section.rows) {
      blocks.push({
        type: 'row',
        left: text(r.label),
        right: text(r.value),
        rightWidth: r.value === '' ? 0 : amountWidth,
        bold: r.bold,
      });
    }
  });
  if (model.footer.length > 0) {
    blocks.push({ type: 'blank' });
    for (const line of model.footer) blocks.push({ type: 'center', text: text(line), bold: false });
  }
  return blocks;
}
