import ReceiptPrinterEncoder from '@point-of-sale/receipt-printer-encoder';
import { checkColumns, layoutReceipt, layoutZReport, type Block, type PaperColumns } from './layout.js';
import type { ReceiptModel } from './model.js';
import type { ZReportModel } from './z-report-model.js';

/** Code page mappings the encoder knows (which ESC t number each printer family gives a code page). */
export type CodepageMappingName = NonNullable<
  ConstructorParameters<typeof ReceiptPrinterEncoder>[0]
>['codepageMapping'] &
  string;

/** A code page name the encoder knows, e.g. 'windows1252', 'cp858', 'cp437'; or 'auto' to switch per character. */
export type CodepageName = Parameters<ReceiptPrinterEncoder['codepage']>[0];

export interface EscPosOptions {
  /** 32 for 58 mm paper, 48 for 80 mm paper. */
  columns: PaperColumns;
  /** Printer family whose code page numbers to use; default 'epson'. */
  codepageMapping?: CodepageMappingName;
  /**
   * Single-byte code page for text; default 'windows1252' (Epson page 16), which holds the Western European
   * letters, €, ¥ and typographic dashes and quotes. Characters outside it print as '?'.
   */
  codepage?: CodepageName;
  /** Send the cash-drawer kick pulse (pin 2) before the cut; default false. */
  openDrawer?: boolean;
}

/**
 * Intl output uses characters no single-byte printer code page has; they are mapped to ones that print the
 * same. Everything else is left for the code page.
 */
export function toPrintable(text: string): string {
  return text
    .replace(/[\u00a0\u2007\u2009\u202f]/g, ' ')
    .replace(/\u2212/g, '-')
    .replace(/\uffe5/g, '\u00a5')
    .replace(/\uffe0/g, '\u00a2');
}

/** ESC/POS bytes: initialise, text in one code page, CODE128 or QR of the receipt number, optional drawer kick, cut. */
export function renderEscPos(model: ReceiptModel, options: EscPosOptions): Uint8Array {
  const columns = checkColumns(options.columns);
  return escPosOfBlocks(layoutReceipt(model, columns, toPrintable), columns, options);
}

/** A Z report as ESC/POS bytes, printed like a receipt (no code; a drawer kick only when asked). */
export function renderZReportEscPos(model: ZReportModel, options: EscPosOptions): Uint8Array {
  const columns = checkColumns(options.columns);
  return escPosOfBlocks(layoutZReport(model, columns, toPrintable), columns, options);
}

function escPosOfBlocks(blocks: Block[], columns: PaperColumns, options: EscPosOptions): Uint8Array {
  const encoder = new ReceiptPrinterEncoder({
    language: 'esc-pos',
    columns,
    codepageMapping: options.codepageMapping ?? 'epson',
    newline: '\n',
    errors: 'relaxed',
  });
  encoder.initialize().codepage(options.codepage ?? 'windows1252');

  for (const block of blocks) {
    switch (block.type) {
      case 'center':
        encoder.align('center').bold(block.bold).line(block.text).bold(false).align('left');
        break;
      case 'mark':
        encoder.align('center').bold(true).invert(true).line(` ${block.text} `).invert(false).bold(false);
        encoder.align('left');
        break;
      case 'row':
        encoder.bold(block.bold);
        if (block.rightWidth === 0) {
          encoder.table([{ width: columns, align: 'left' }], [[block.left]]);
        } else {
          encoder.table(
            [
              { width: columns - block.rightWidth - 1, align: 'left' },
              { width: 1, align: 'left' },
              { width: block.rightWidth, align: 'right' },
            ],
            [[block.left, '', block.right]],
          );
        }
        encoder.bold(false);
        break;
      case 'rule':
        encoder.rule({ style: 'single' });
        break;
      case 'blank':
        encoder.newline();
        break;
      case 'code':
        encoder.align('center');
        if (block.symbology === 'qr') encoder.qrcode(block.value, { model: 2, size: 6, errorlevel: 'm' });
        else encoder.barcode(block.value, 'code128', { height: 60, width: 2, text: 'below' });
        encoder.align('left');
        break;
    }
  }
  if (options.openDrawer) encoder.pulse(0, 100, 500);
  encoder.cut('partial');
  return encoder.encode();
}
