import { describe, expect, it } from 'vitest';
import { DomainError } from '../common/errors/domain-error.js';
import { decodeProductCursor, encodeProductCursor } from './product-cursor.js';

describe('product cursors', () => {
  it('round-trips name and id, whatever the name holds', () => {
    for (const name of ['Milk', 'Café crème 1/2 "light"', 'a'.repeat(200), '日本の緑茶']) {
      const cursor = { name, id: '0b7c2a1e-5d3f-4c8e-9a6b-1f2e3d4c5b6a' };
      const encoded = encodeProductCursor(cursor);
      expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(decodeProductCursor(encoded)).toEqual(cursor);
    }
  });

  it.each([
    ['not base64url', 'abc+/='],
    ['not JSON', Buffer.from('{nope').toString('base64url')],
    ['wrong shape', Buffer.from(JSON.stringify({ name: 'x', id: 'y' })).toString('base64url')],
    ['not a uuid', Buffer.from(JSON.stringify(['Milk', 'nope'])).toString('base64url')],
    [
      'extra elements',
      Buffer.from(JSON.stringify(['Milk', '0b7c2a1e-5d3f-4c8e-9a6b-1f2e3d4c5b6a', 1])).toString('base64url'),
    ],
    [
      'empty name',
      Buffer.from(JSON.stringify(['', '0b7c2a1e-5d3f-4c8e-9a6b-1f2e3d4c5b6a'])).toString('base64url'),
    ],
  ])('rejects a cursor that is %s with a 400 on cursor', (_, raw) => {
    try {
      decodeProductCursor(raw);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DomainError);
      expect((e as DomainError).code).toBe('VALIDATION_FAILED');
      expect((e as DomainError).fields).toHaveProperty('cursor');
    }
  });
});
