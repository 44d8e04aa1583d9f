import { create as createQrCode } from 'qrcode/lib/core/qrcode.js';

/** A QR code as SVG to inline in HTML (no xmlns needed there): one path of unit squares, nothing external. */
export function qrSvg(value: string, pixelsPerModule = 4): string {
  const { modules } = createQrCode(value, { errorCorrectionLevel: 'M' });
  const quiet = 4;
  const size = modules.size + quiet * 2;
  let path = '';
  for (let row = 0; row < modules.size; row++) {
    for (let col = 0; col < modules.size; col++) {
      if (modules.get(row, col)) path += `M${col + quiet} ${row + quiet}h1v1h-1z`;
    }
  }
  const px = size * pixelsPerModule;
  return (
    `<svg width="${px}" height="${px}" viewBox="0 0 ${size} ${size}" ` +
    `shape-rendering="crispEdges" role="img" aria-label="QR code">` +
    `<rect width="${size}" height="${size}" fill="#fff"/><path d="${path}" fill="#000"/></svg>`
  );
}
