import { describe, expect, it } from 'vitest';
import { DomainError } from '../common/errors/domain-error.js';
import { seqCursor, textCursor, toPage } from './cursor.js';

describe('cursors', () => {
  it('round-trip SKUs, including characters that are not URL-safe', () => {
    for (const sku of ['A-1', 'x/y.z_1', 'SKU 9'])
      expect(textCursor.decode(textCursor.encode(sku))).toBe(sku);
    expect(textCursor.encode('a/b')).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('reject a malformed cursor as a 400 on the cursor field', () => {
    for (const bad of ['', '!!', 'YQ=']) {
      expect(() => textCursor.decode(bad)).toThrow(DomainError);
    }
    for (const bad of ['', '0', '-1', '1.5', 'abc', '12345678901234567']) {
      try {
        seqCursor.decode(bad);
        expect.unreachable(`accepted ${bad}`);
      } catch (e) {
        expect((e as DomainError).code).toBe('VALIDATION_FAILED');
        expect((e as DomainError).fields).toHaveProperty('cursor');
      }
    }
    expect(seqCursor.decode(seqCursor.encode(42))).toBe(42);
  });

  it('cut a limit + 1 fetch into a page and the next cursor', () => {
    const rows = [1, 2, 3];
    expect(toPage(rows, 2, (n) => n * 10, String)).toEqual({ items: [10, 20], nextCursor: '2' });
    expect(toPage(rows, 3, (n) => n, String)).toEqual({ items: [1, 2, 3], nextCursor: null });
    expect(toPage([], 3, (n) => n, String)).toEqual({ items: [], nextCursor: null });
  });
});
