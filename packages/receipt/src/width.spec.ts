import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { displayWidth, padStart, wrap } from './width.js';

describe('displayWidth', () => {
  it('counts wide East Asian characters as two columns', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('Zürich')).toBe(6);
    expect(displayWidth('￥324')).toBe(5);
    expect(displayWidth('緑茶')).toBe(4);
    expect(padStart('緑茶', 6)).toBe('  緑茶');
  });
});

describe('wrap', () => {
  it('breaks at spaces and keeps an indent on every line', () => {
    expect(wrap('Vin rouge Côtes du Rhône 75 cl', 20)).toEqual(['Vin rouge Côtes du', 'Rhône 75 cl']);
    expect(wrap('  Net CHF 23.37, Gross CHF 23.93', 20)).toEqual(['  Net CHF 23.37,', '  Gross CHF 23.93']);
  });

  it('cuts words wider than the column', () => {
    expect(wrap('Supercalifragilistic', 8)).toEqual(['Supercal', 'ifragili', 'stic']);
    expect(wrap('緑茶緑茶緑', 4)).toEqual(['緑茶', '緑茶', '緑']);
  });

  // 300 runs: any text of words wraps into lines that fit and lose no characters.
  it('never exceeds the width and keeps every character (property, 300 runs)', () => {
    const word = fc.string({
      unit: fc.constantFrom('a', 'b', 'é', 'Ø', '緑', '-', '1'),
      minLength: 1,
      maxLength: 30,
    });
    fc.assert(
      fc.property(
        fc.array(word, { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 4, max: 48 }),
        (words, width) => {
          const text = words.join(' ');
          const lines = wrap(text, width);
          for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(width);
          expect(lines.join('').replace(/ /g, '')).toBe(text.replace(/ /g, ''));
        },
      ),
      { numRuns: 300 },
    );
  });
});
