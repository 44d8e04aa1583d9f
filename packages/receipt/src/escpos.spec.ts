import { describe, expect, it } from 'vitest';
import { renderEscPos, toPrintable } from './escpos.js';
import { buildReceipt } from './model.js';
import {
  discountedMultiTaxSale,
  goldenCases,
  nonAsciiStore,
  partialRefund,
  plainSale,
  splitTenderSale,
} from './test/fixtures.js';

const ESC = 0x1b;
const GS = 0x1d;
const CUT = [GS, 0x56, 0x01];
const DRAWER_KICK = [ESC, 0x70];

function indexOf(haystack: Uint8Array, needle: number[], from = 0): number {
  outer: for (let i = from; i <= haystack.length - needle.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

function count(haystack: Uint8Array, needle: number[]): number {
  let n = 0;
  for (let i = indexOf(haystack, needle); i !== -1; i = indexOf(haystack, needle, i + 1)) n++;
  return n;
}

const ascii = (text: string): number[] => [...text].map((c) => c.charCodeAt(0));

describe('renderEscPos structure', () => {
  it('starts by initialising the printer and ends with the one paper cut', () => {
    for (const sale of Object.values(goldenCases)) {
      const bytes = renderEscPos(buildReceipt(sale), { columns: 48, openDrawer: true });
      expect([...bytes.slice(0, 2)]).toEqual([ESC, 0x40]);
      expect(count(bytes, CUT)).toBe(1);
      // Nothing but the line feed that flushes the cut follows it.
      expect([...bytes.slice(-4)]).toEqual([...CUT, 0x0a]);
    }
  });

  it('kicks the cash drawer only when asked, before the cut', () => {
    const model = buildReceipt(splitTenderSale);
    const closed = renderEscPos(model, { columns: 32 });
    const open = renderEscPos(model, { columns: 32, openDrawer: true });
    expect(count(closed, DRAWER_KICK)).toBe(0);
    expect(count(open, DRAWER_KICK)).toBe(1);
    // ESC p m t1 t2: pin 2, 100 ms on (50 × 2 ms), 500 ms off (250 × 2 ms).
    expect(indexOf(open, [ESC, 0x70, 0x00, 50, 250])).toBeGreaterThan(-1);
    expect(indexOf(open, DRAWER_KICK)).toBeLessThan(indexOf(open, CUT));
  });

  it('prints the receipt number as CODE128 or as a QR code', () => {
    const barcode = renderEscPos(buildReceipt(plainSale), { columns: 32 });
    // GS k 73 n {B data: CODE128, code set B.
    expect(indexOf(barcode, [GS, 0x6b, 73, 11, ...ascii('{BS1-000123')])).toBeGreaterThan(-1);
    const qr = renderEscPos(buildReceipt(partialRefund), { columns: 32 });
    // GS ( k pL pH 49 80 48 data: store the QR symbol data.
    expect(indexOf(qr, [GS, 0x28, 0x6b, 12, 0, 49, 80, 48, ...ascii('T3-R00007')])).toBeGreaterThan(-1);
    expect(indexOf(qr, [GS, 0x6b])).toBe(-1);
  });

  it('keeps every printed text line within the paper', () => {
    for (const sale of Object.values(goldenCases)) {
      for (const columns of [32, 48] as const) {
        const bytes = renderEscPos(buildReceipt(sale), { columns });
        const text = Buffer.from(bytes).toString('latin1');
        for (const raw of text.split('\n')) {
          if (raw.includes('\x1dk') || raw.includes('\x1d(k') || raw.includes('\x1dV')) continue;
          // Drop the style and code page commands (ESC @ / E / t / a / M, FS ., GS B), keep what prints.
          // eslint-disable-next-line no-control-regex -- matching printer control bytes is the point
          const printed = raw.replace(/\x1b@|\x1c\.|\x1b[EtaM][\s\S]|\x1dB[\s\S]/g, '');
          expect(printed.length, JSON.stringify(printed)).toBeLessThanOrEqual(columns);
        }
      }
    }
  });

  it('refuses paper widths other than 32 and 48', () => {
    expect(() => renderEscPos(buildReceipt(plainSale), { columns: 42 as 48 })).toThrow(/columns/);
  });
});

describe('renderEscPos code page', () => {
  it('prints é, ü, – and Ø as single Windows-1252 bytes, after selecting page 16', () => {
    const bytes = renderEscPos(buildReceipt(nonAsciiStore), { columns: 32 });
    const name = [
      0x43, 0x61, 0x66, 0xe9, 0x20, 0x5a, 0xfc, 0x72, 0x69, 0x63, 0x68, 0x20, 0x96, 0x20, 0xd8, 0x72, 0x73,
      0x74, 0x65, 0x64,
    ];
    const at = indexOf(bytes, name);
    expect(at).toBeGreaterThan(-1);
    expect(indexOf(bytes, [ESC, 0x74, 16])).toBeLessThan(at);
    // No UTF-8 anywhere: é would be C3 A9, ü C3 BC, Ø C3 98.
    expect(indexOf(bytes, [0xc3, 0xa9])).toBe(-1);
    expect(indexOf(bytes, [0xc3, 0xbc])).toBe(-1);
    expect(indexOf(bytes, [0xc3, 0x98])).toBe(-1);
  });

  it('uses the chosen code page: CP858 puts é at 0x82, ü at 0x81, Ø at 0x9D', () => {
    const bytes = renderEscPos(buildReceipt(nonAsciiStore), { columns: 32, codepage: 'cp858' });
    expect(indexOf(bytes, [ESC, 0x74, 19])).toBeGreaterThan(-1);
    // CP858 has no en dash: it prints as '?'.
    expect(
      indexOf(bytes, [
        ...ascii('Caf'),
        0x82,
        ...ascii(' Z'),
        0x81,
        ...ascii('rich ? '),
        0x9d,
        ...ascii('rsted'),
      ]),
    ).toBeGreaterThan(-1);
  });

  it('maps the spaces and signs Intl emits to printable bytes', () => {
    expect(toPrintable('1\u202f234,56\u00a0€')).toBe('1 234,56 €');
    expect(toPrintable('￥324 \u22125')).toBe('\u00a5324 -5');
    // fr-FR: "3 x 1,30 €" with the euro sign as 0x80 and a plain space before it.
    const euro = renderEscPos(buildReceipt(discountedMultiTaxSale), { columns: 32 });
    expect(indexOf(euro, [...ascii('3 x 1,30 '), 0x80])).toBeGreaterThan(-1);
    // ja-JP: the fullwidth yen sign prints as ¥ (0xA5).
    const yen = renderEscPos(buildReceipt(partialRefund), { columns: 32 });
    expect(indexOf(yen, [0xa5, ...ascii('324')])).toBeGreaterThan(-1);
  });
});
