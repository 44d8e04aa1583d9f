import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildReceipt } from './model.js';
import type { ReceiptSale } from './sale.js';
import { goldenCases, hundredLineSale, partialRefund, plainSale } from './test/fixtures.js';
import { renderText } from './text.js';
import { displayWidth } from './width.js';

function lines(text: string): string[] {
  return text.slice(0, -1).split('\n');
}

describe('renderText', () => {
  for (const [name, sale] of Object.entries(goldenCases)) {
    for (const columns of [32, 48] as const) {
      it(`${name}: every line fits ${columns} columns, no trailing spaces`, () => {
        const text = renderText(buildReceipt(sale), { columns });
        expect(text.endsWith('\n')).toBe(true);
        for (const line of lines(text)) {
          expect(displayWidth(line), line).toBeLessThanOrEqual(columns);
          expect(line).toBe(line.trimEnd());
        }
      });
    }
  }

  it('right-aligns each line total at the paper edge', () => {
    const text = renderText(buildReceipt(plainSale), { columns: 32 });
    expect(lines(text)).toContain(`Oat milk${' '.repeat(32 - 'Oat milk'.length - '$6.98'.length)}$6.98`);
    expect(lines(text)).toContain(`Total${' '.repeat(32 - 'Total'.length - '$22.93'.length)}$22.93`);
  });

  it('wraps a long product name inside the name column', () => {
    const text = renderText(buildReceipt(hundredLineSale), { columns: 32 });
    const at = lines(text).findIndex((line) => line.startsWith('Item 1 with'));
    expect(lines(text).slice(at, at + 3)).toEqual([
      'Item 1 with a very long    $1.00',
      'descriptive product',
      'name that must wrap',
    ]);
    expect(lines(text).filter((line) => /^Item \d+/.test(line))).toHaveLength(100);
  });

  it('marks a refund and a void', () => {
    expect(renderText(buildReceipt(partialRefund), { columns: 32 })).toContain('*** REFUND ***');
    expect(renderText(buildReceipt({ ...plainSale, kind: 'void' }), { columns: 48 })).toContain(
      '*** VOID ***',
    );
    expect(renderText(buildReceipt(plainSale), { columns: 48 })).not.toMatch(/\*\*\* (REFUND|VOID) /);
  });

  it('aligns wide characters by display width', () => {
    const sale: ReceiptSale = {
      ...partialRefund,
      lines: [{ ...partialRefund.lines[0]!, name: '緑茶 500ml' }],
    };
    const line = lines(renderText(buildReceipt(sale), { columns: 32 })).find((l) => l.startsWith('緑茶'));
    expect(line).toBeDefined();
    expect(displayWidth(line ?? '')).toBe(32);
  });

  it('refuses paper widths other than 32 and 48', () => {
    expect(() => renderText(buildReceipt(plainSale), { columns: 40 as 32 })).toThrow(/columns/);
  });

  // 200 runs × 2 widths: random names and amounts never push a line past the paper.
  it('keeps every line within the paper for any names and amounts (property, 200 runs)', () => {
    const name = fc.string({
      unit: fc.constantFrom('a', 'B', ' ', 'é', 'Ø', '緑', '&', '7'),
      minLength: 1,
      maxLength: 80,
    });
    const amount = fc.integer({ min: 0, max: 99_999_999_999 });
    fc.assert(
      fc.property(
        fc.array(fc.record({ name, amount }), { minLength: 1, maxLength: 5 }),
        fc.constantFrom<'en-US' | 'de-CH' | 'fr-FR' | 'ja-JP'>('en-US', 'de-CH', 'fr-FR', 'ja-JP'),
        (items, locale) => {
          const currency = { 'en-US': 'USD', 'de-CH': 'CHF', 'fr-FR': 'EUR', 'ja-JP': 'JPY' }[locale];
          const sale: ReceiptSale = {
            ...plainSale,
            locale,
            currency,
            lines: items.map((item) => ({
              name: item.name.trim() === '' ? 'x' : item.name,
              quantity: 1000,
              unit: 'each',
              unitPrice: item.amount,
              lineDiscount: 0,
              lineTotal: item.amount,
            })),
            total: items.reduce((sum, item) => sum + item.amount, 0),
          };
          for (const columns of [32, 48] as const) {
            for (const line of lines(renderText(buildReceipt(sale), { columns }))) {
              expect(displayWidth(line)).toBeLessThanOrEqual(columns);
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
