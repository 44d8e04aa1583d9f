import { z } from 'zod';
import { DomainError } from '../errors/domain-error.js';

/** The sort key of the last row of a page: what a cursor carries. */
export type CursorKey = readonly (string | number)[];

/** An opaque, URL-safe cursor: base64url of the key as JSON. */
export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** The key inside a cursor; anything we did not mint, or of another shape, is a 400 naming `cursor`. */
export function decodeCursor<T>(cursor: string, key: z.ZodType<T>): T {
  const invalid = () => DomainError.validation('cursor', 'invalid cursor');
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid();
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const parsed = key.safeParse(raw);
  if (!parsed.success) throw invalid();
  return parsed.data;
}

/** Cursor keys used by more than one listing. */
export const cursorKeys = {
  /** Newest first by an insertion sequence (movements, transfers, counts). */
  seq: z.tuple([z.number().int().positive().max(Number.MAX_SAFE_INTEGER)]),
  /** Ascending by a SKU. */
  sku: z.tuple([z.string().min(1).max(64)]),
};

/** Splits a `limit + 1` fetch into a page and the cursor of its last row. */
export function toPage<T, I>(
  rows: readonly T[],
  limit: number,
  map: (row: T) => I,
  keyOf: (row: T) => CursorKey,
): { items: I[]; nextCursor: string | null } {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  const last = kept[kept.length - 1];
  return { items: kept.map(map), nextCursor: more && last ? encodeCursor(keyOf(last)) : null };
}
