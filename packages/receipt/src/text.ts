import { checkColumns, layoutReceipt, layoutZReport, type Block, type PaperColumns } from './layout.js';
import type { ReceiptModel } from './model.js';
import type { ZReportModel } from './z-report-model.js';
import { displayWidth, padEnd, padStart, wrap } from './width.js';

export interface TextOptions {
  /** 32 for 58 mm paper, 48 for 80 mm paper. */
  columns: PaperColumns;
}

function center(text: string, columns: number): string[] {
  return wrap(text, columns).map((line) => padStart(line, Math.floor((columns + displayWidth(line)) / 2)));
}

function row(block: Extract<Block, { type: 'row' }>, columns: number): string[] {
  if (block.rightWidth === 0) return wrap(block.left, columns);
  const leftWidth = columns - block.rightWidth - 1;
  const left = wrap(block.left, leftWidth);
  const right = wrap(block.right, block.rightWidth);
  const lines: string[] = [];
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    lines.push(`${padEnd(left[i] ?? '', leftWidth)} ${padStart(right[i] ?? '', block.rightWidth)}`);
  }
  return lines;
}

/**
 * Plain text with aligned columns: names wrap in the left column, amounts are right-aligned. Lines carry
 * no trailing spaces; the text ends with a newline. Barcodes and QR codes are not drawn.
 */
export function renderText(model: ReceiptModel, options: TextOptions): string {
  const columns = checkColumns(options.columns);
  return textOfBlocks(
    layoutReceipt(model, columns, (s) => s),
    columns,
  );
}

/** A Z report as plain text, laid out like a receipt. */
export function renderZReportText(model: ZReportModel, options: TextOptions): string {
  const columns = checkColumns(options.columns);
  return textOfBlocks(
    layoutZReport(model, columns, (s) => s),
    columns,
  );
}

function textOfBlocks(blocks: Block[], columns: PaperColumns): string {
  const lines: string[] = [];
  for (const block of blocks) {
    switch (block.type) {
      case 'center':
        lines.push(...center(block.text, columns));
        break;
      case 'mark':
        lines.push(...center(`*** ${block.text} ***`, columns));
        break;
      case 'row':
        lines.push(...row(block, columns));
        break;
      case 'rule':
        lines.push('-'.repeat(columns));
        break;
      case 'blank':
        lines.push('');
        break;
      case 'code':
        break;
    }
  }
  return lines.map((line) => line.trimEnd()).join('\n') + '\n';
}
