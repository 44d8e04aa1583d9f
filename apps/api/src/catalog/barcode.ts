/** Barcode symbologies a product barcode may carry. */
export const SYMBOLOGIES = ['ean13', 'ean8', 'upca', 'code128'] as const;
export type Symbology = (typeof SYMBOLOGIES)[number];

const DIGITS_LENGTH: Record<Exclude<Symbology, 'code128'>, number> = { ean13: 13, ean8: 8, upca: 12 };

/** Printable ASCII (space to tilde), 1–80 characters, no leading or trailing space. */
const CODE128_TEXT = /^[!-~](?:[ -~]{0,78}[!-~])?$/;
const ALL_DIGITS = /^[0-9]+$/;

/**
 * The GS1 mod-10 check digit of a GTIN body (the code without its last digit): from the right,
 * digits are weighted 3, 1, 3, 1…; the check digit brings the weighted sum to a multiple of 10.
 * Works for EAN-8, UPC-A (GTIN-12) and EAN-13 alike.
 */
export function gs1CheckDigit(body: string): number {
  if (!ALL_DIGITS.test(body)) throw new Error('a GTIN body holds digits only');
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const digit = body.charCodeAt(body.length - 1 - i) - 48;
    sum += i % 2 === 0 ? digit * 3 : digit;
  }
  return (10 - (sum % 10)) % 10;
}

/** Whether a full GTIN (body + check digit) carries the right check digit. */
export function hasValidCheckDigit(code: string): boolean {
  if (code.length < 2 || !ALL_DIGITS.test(code)) return false;
  return gs1CheckDigit(code.slice(0, -1)) === Number(code.at(-1));
}

/** A GTIN body completed with its check digit. */
export function withCheckDigit(body: string): string {
  return `${body}${gs1CheckDigit(body)}`;
}

export type BarcodeCheck = { ok: true; symbology: Symbology } | { ok: false; reason: string };

/**
 * Validates a barcode, for the given symbology or for the one its shape implies:
 * 8, 12 or 13 digits are EAN-8, UPC-A or EAN-13 and must carry a valid check digit;
 * anything else must be Code 128 text (printable ASCII, 1–80 characters).
 */
export function checkBarcode(code: string, symbology?: Symbology): BarcodeCheck {
  const kind = symbology ?? detectSymbology(code);
  if (kind === 'code128') {
    return CODE128_TEXT.test(code)
      ? { ok: true, symbology: kind }
      : {
          ok: false,
          reason: 'Code 128 text must be 1–80 printable ASCII characters without surrounding spaces',
        };
  }
  const length = DIGITS_LENGTH[kind];
  if (code.length !== length || !ALL_DIGITS.test(code)) {
    return { ok: false, reason: `${label(kind)} must be exactly ${length} digits` };
  }
  if (!hasValidCheckDigit(code)) {
    return {
      ok: false,
      reason: `invalid ${label(kind)} check digit (expected ${gs1CheckDigit(code.slice(0, -1))})`,
    };
  }
  return { ok: true, symbology: kind };
}

/** The symbology a code's shape implies (see checkBarcode). */
export function detectSymbology(code: string): Symbology {
  if (ALL_DIGITS.test(code)) {
    if (code.length === 13) return 'ean13';
    if (code.length === 12) return 'upca';
    if (code.length === 8) return 'ean8';
  }
  return 'code128';
}

/**
 * The spellings under which the same GTIN may be stored or scanned: a UPC-A is also the EAN-13
 * with a leading zero, and scanners send either. Any other code is only itself.
 */
export function equivalentCodes(code: string): string[] {
  if (ALL_DIGITS.test(code)) {
    if (code.length === 12) return [code, `0${code}`];
    if (code.length === 13 && code.startsWith('0')) return [code, code.slice(1)];
  }
  return [code];
}

function label(kind: Exclude<Symbology, 'code128'>): string {
  return { ean13: 'EAN-13', ean8: 'EAN-8', upca: 'UPC-A' }[kind];
}
