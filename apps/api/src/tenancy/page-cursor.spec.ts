import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DomainError } from '../common/errors/domain-error.js';
import { decodeCursor, encodeCursor } from './page-cursor.js';

const key = z.tuple([z.string(), z.number().int()]);

describe('page cursors', () => {
  it('round-trip the sort key', () => {
    const cursor = encodeCursor(['2025-01-01T00:00:00.123456Z', 42]);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, key)).toEqual(['2025-01-01T00:00:00.123456Z', 42]);
  });

  it.each([
    '%%%',
    Buffer.from('not json').toString('base64url'),
    encodeCursor(['x']),
    encodeCursor([1, 'x']),
  ])('reject %s as a 400 naming cursor', (cursor) => {
    try {
      decodeCursor(cursor, key);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DomainError);
      expect((e as DomainError).fields).toHaveProperty('cursor');
    }
  });
});
