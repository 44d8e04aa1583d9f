import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkBarcode,
  detectSymbology,
  equivalentCodes,
  gs1CheckDigit,
  hasValidCheckDigit,
  withCheckDigit,
} from './barcode.js';

describe('GS1 check digits', () => {
  it.each([
    ['4006381333931', 'ean13'],
    ['5901234123457', 'ean13'],
    ['9780201379624', 'ean13'],
    ['036000291452', 'upca'],
    ['012345678905', 'upca'],
    ['96385074', 'ean8'],
    ['73513537', 'ean8'],
  ] as const)('accepts the real code %s as %s', (code, symbology) => {
    expect(hasValidCheckDigit(code)).toBe(true);
    expect(checkBarcode(code)).toEqual({ ok: true, symbology });
    expect(checkBarcode(code, symbology)).toEqual({ ok: true, symbology });
  });

  it('computes the check digit of a body', () => {
    expect(gs1CheckDigit('400638133393')).toBe(1);
    expect(gs1CheckDigit('590123412345')).toBe(7);
    expect(gs1CheckDigit('03600029145')).toBe(2);
    expect(gs1CheckDigit('9638507')).toBe(4);
    expect(withCheckDigit('200000000000')).toBe('2000000000008');
  });

  it.each(['4006381333932', '5901234123450', '036000291453', '96385075'])(
    'rejects the wrong check digit in %s',
    (code) => {
      const result = checkBarcode(code);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.reason).toMatch(/check digit/);
    },
  );

  it('detects every single-digit error (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(7, 11, 12),
        fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 12, maxLength: 12 }),
        fc.nat(),
        fc.integer({ min: 1, max: 9 }),
        (bodyLength, digits, position, delta) => {
          const code = withCheckDigit(digits.slice(0, bodyLength).join(''));
          expect(hasValidCheckDigit(code)).toBe(true);
          const i = position % code.length;
          const changed = code.slice(0, i) + String((Number(code[i]) + delta) % 10) + code.slice(i + 1);
          expect(hasValidCheckDigit(changed)).toBe(false);
        },
      ),
    );
  });

  it('refuses non-digit bodies', () => {
    expect(() => gs1CheckDigit('12a4')).toThrow();
    expect(hasValidCheckDigit('12a45')).toBe(false);
    expect(hasValidCheckDigit('7')).toBe(false);
  });
});

describe('symbologies', () => {
  it('detects the symbology from the shape', () => {
    expect(detectSymbology('4006381333931')).toBe('ean13');
    expect(detectSymbology('036000291452')).toBe('upca');
    expect(detectSymbology('96385074')).toBe('ean8');
    expect(detectSymbology('1234567')).toBe('code128');
    expect(detectSymbology('ABC-123')).toBe('code128');
  });

  it('checks an explicit symbology against the length', () => {
    expect(checkBarcode('4006381333931', 'ean8')).toEqual({
      ok: false,
      reason: 'EAN-8 must be exactly 8 digits',
    });
    expect(checkBarcode('96385074', 'ean13')).toEqual({
      ok: false,
      reason: 'EAN-13 must be exactly 13 digits',
    });
    expect(checkBarcode('03600029145A', 'upca').ok).toBe(false);
  });

  it('takes Code 128 as free printable text, even digits with a "wrong" check digit', () => {
    expect(checkBarcode('4006381333932', 'code128')).toEqual({ ok: true, symbology: 'code128' });
    expect(checkBarcode('SKU 42/b~', 'code128')).toEqual({ ok: true, symbology: 'code128' });
    expect(checkBarcode('x')).toEqual({ ok: true, symbology: 'code128' });
    expect(checkBarcode('A'.repeat(80)).ok).toBe(true);
  });

  it.each([
    ['', 'empty'],
    ['A'.repeat(81), 'too long'],
    [' ABC', 'leading space'],
    ['ABC ', 'trailing space'],
    ['AB\tC', 'control character'],
    ['café', 'non-ASCII'],
  ])('rejects Code 128 text %j (%s)', (code) => {
    expect(checkBarcode(code).ok).toBe(false);
  });
});

describe('equivalent spellings', () => {
  it('pairs a UPC-A with its EAN-13 form', () => {
    expect(equivalentCodes('036000291452')).toEqual(['036000291452', '0036000291452']);
    expect(equivalentCodes('0036000291452')).toEqual(['0036000291452', '036000291452']);
    expect(equivalentCodes('4006381333931')).toEqual(['4006381333931']);
    expect(equivalentCodes('ABC')).toEqual(['ABC']);
  });
});
