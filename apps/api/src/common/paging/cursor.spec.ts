import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DomainError } from '../errors/domain-error.js';
import { cursorKeys, decodeCursor, encodeCursor, toPage } from './cursor.js';

const UUID = '0b7c2a1e-5d3f-4c8e-9a6b-1f2e3d4c5b6a';
const nameAndId = z.tuple([z.string().min(1).max(200), z.uuid()]);
const b64 = (text: string) => Buffer.from(text).toString('base64url');

function expectCursorRefused(run: () => unknown): void {
  try {
    run();
    expect.unreachable('the cursor was accepted');
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    expect((e as DomainError).code).toBe('VALIDATION_FAILED');
    expect((e as DomainError).fields).toHaveProperty('cursor');
  }
}

describe('cursors', () => {
  it('round-trip their key, URL-safe, whatever the text holds', () => {
    for (const name of ['Milk', 'Café crème 1/2 "light"', 'a'.repeat(200), '日本の緑茶']) {
      const cursor = encodeCursor([name, UUID]);
      expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(decodeCursor(cursor, nameAndId)).toEqual([name, UUID]);
    }
    for (const sku of ['A-1', 'x/y.z_1'])
      expect(decodeCursor(encodeCursor([sku]), cursorKeys.sku)).toEqual([sku]);
    expect(decodeCursor(encodeCursor([42]), cursorKeys.seq)).toEqual([42]);
  });

  it.each([
    ['empty', ''],
    ['not base64url', 'abc+/='],
    ['not JSON', b64('{nope')],
    ['an object, not a tuple', b64(JSON.stringify({ name: 'x', id: UUID }))],
    ['not a uuid', encodeCursor(['Milk', 'nope'])],
    ['extra elements', b64(JSON.stringify(['Milk', UUID, 1]))],
    ['an empty name', encodeCursor(['', UUID])],
    ['elements in the wrong order', encodeCursor([UUID, 1])],
  ])('refuse a cursor that is %s with a 400 on cursor', (_, raw) => {
    expectCursorRefused(() => decodeCursor(raw, nameAndId));
  });

  it.each([['0'], ['-1'], ['1.5'], ['"12"'], [String(2 ** 53)]])('refuse the sequence %s', (seq) => {
    expectCursorRefused(() => decodeCursor(b64(`[${seq}]`), cursorKeys.seq));
  });

  it('cut a limit + 1 fetch into a page and the cursor of its last row', () => {
    const rows = [1, 2, 3];
    const page = toPage(
      rows,
      2,
      (n) => n * 10,
      (n) => [n],
    );
    expect(page.items).toEqual([10, 20]);
    expect(decodeCursor(page.nextCursor!, cursorKeys.seq)).toEqual([2]);
    expect(
      toPage(
        rows,
        3,
        (n) => n,
        (n) => [n],
      ),
    ).toEqual({ items: [1, 2, 3], nextCursor: null });
    expect(
      toPage(
        [],
        3,
        (n) => n,
        (n) => [n],
      ),
    ).toEqual({ items: [], nextCursor: null });
  });
});
