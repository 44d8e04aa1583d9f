import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DomainError } from '../errors/domain-error.js';
import { Cursors, cursorKind, seqKey, skuKey } from './cursor.js';

const UUID = '0b7c2a1e-5d3f-4c8e-9a6b-1f2e3d4c5b6a';
const TENANT = randomUUID();
const nameAndId = cursorKind('names', z.tuple([z.string().min(1).max(200), z.uuid()]));
const seq = cursorKind('sequence', seqKey);
const sku = cursorKind('skus', skuKey);
const cursors = new Cursors(randomBytes(32).toString('base64url'));
/** A cursor sealing any JSON text, as a server with this key would (for refusals of well-sealed garbage). */
const sealedJson = (json: unknown, kind: { listing: string } = nameAndId) =>
  cursors.encode(TENANT, { listing: kind.listing, key: z.any() }, json as never);

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
      const cursor = cursors.encode(TENANT, nameAndId, [name, UUID]);
      expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(cursors.decode(TENANT, nameAndId, cursor)).toEqual([name, UUID]);
    }
    for (const s of ['A-1', 'x/y.z_1'])
      expect(cursors.decode(TENANT, sku, cursors.encode(TENANT, sku, [s]))).toEqual([s]);
    expect(cursors.decode(TENANT, seq, cursors.encode(TENANT, seq, [42]))).toEqual([42]);
  });

  it('are opaque: the same length for every sequence value, one cursor per key, tenant and listing', () => {
    const small = cursors.encode(TENANT, seq, [7]);
    expect(cursors.encode(TENANT, seq, [7])).toBe(small);
    expect(cursors.encode(TENANT, seq, [8])).not.toBe(small);
    expect(cursors.encode(randomUUID(), seq, [7])).not.toBe(small);
    expect(cursors.encode(TENANT, cursorKind('other', seqKey), [7])).not.toBe(small);
    expect(Buffer.from(small, 'base64url').toString('utf8')).not.toContain('[7]');
    for (const n of [1, 10, 12345, 2 ** 40, Number.MAX_SAFE_INTEGER])
      expect(cursors.encode(TENANT, seq, [n]).length).toBe(small.length);
  });

  it('open only for the tenant and listing they were sealed for, on the server that sealed them', () => {
    const cursor = cursors.encode(TENANT, seq, [42]);
    expectCursorRefused(() => cursors.decode(randomUUID(), seq, cursor));
    expectCursorRefused(() => cursors.decode(TENANT, cursorKind('other', seqKey), cursor));
    expectCursorRefused(() => new Cursors(randomBytes(32).toString('base64url')).decode(TENANT, seq, cursor));
  });

  it.each([
    ['empty', ''],
    ['not base64url', 'abc+/='],
    ['holding a NUL byte', 'abc\0def'],
    ['unsealed JSON', Buffer.from(JSON.stringify(['Milk', UUID])).toString('base64url')],
    ['too short to be sealed', 'AAAA'],
    ['cut short', cursors.encode(TENANT, nameAndId, ['Milk', UUID]).slice(0, -2)],
    ['sealed, an object, not a tuple', sealedJson({ name: 'x', id: UUID })],
    ['sealed, not a uuid', sealedJson(['Milk', 'nope'])],
    ['sealed, extra elements', sealedJson(['Milk', UUID, 1])],
    ['sealed, an empty name', sealedJson(['', UUID])],
    ['sealed, elements in the wrong order', sealedJson([UUID, 1])],
  ])('refuse a cursor that is %s with a 400 on cursor', (_, raw) => {
    expectCursorRefused(() => cursors.decode(TENANT, nameAndId, raw));
  });

  it('refuse an altered byte anywhere', () => {
    const cursor = cursors.encode(TENANT, seq, [42]);
    const bytes = Buffer.from(cursor, 'base64url');
    for (let i = 0; i < bytes.length; i++) {
      const altered = Buffer.from(bytes);
      altered[i]! ^= 1;
      expectCursorRefused(() => cursors.decode(TENANT, seq, altered.toString('base64url')));
    }
  });

  it.each([[0], [-1], [1.5], ['12'], [2 ** 53]])('refuse the sequence %s', (n) => {
    expectCursorRefused(() => cursors.decode(TENANT, seq, sealedJson([n], seq)));
  });

  it('cut a limit + 1 fetch into a page and the cursor of its last row', () => {
    const rows = [1, 2, 3];
    const page = cursors.page(
      TENANT,
      seq,
      rows,
      2,
      (n) => n * 10,
      (n) => [n],
    );
    expect(page.items).toEqual([10, 20]);
    expect(cursors.decode(TENANT, seq, page.nextCursor!)).toEqual([2]);
    const all = cursors.page(
      TENANT,
      seq,
      rows,
      3,
      (n) => n,
      (n) => [n],
    );
    expect(all).toEqual({ items: [1, 2, 3], nextCursor: null });
    const none = cursors.page(
      TENANT,
      seq,
      [] as number[],
      3,
      (n) => n,
      (n) => [n],
    );
    expect(none).toEqual({ items: [], nextCursor: null });
  });
});
