/**
 * The part of qrcode's encoder this package uses. Imported from qrcode/lib/core directly: the package's
 * main entry also loads its Node file renderers (fs, PNG), and @types/qrcode pulls in Node's types.
 */
declare module 'qrcode/lib/core/qrcode.js' {
  export interface QRCodeModules {
    size: number;
    get(row: number, col: number): number;
  }
  export function create(
    text: string,
    options?: { errorCorrectionLevel?: 'L' | 'M' | 'Q' | 'H' },
  ): { modules: QRCodeModules };
}
