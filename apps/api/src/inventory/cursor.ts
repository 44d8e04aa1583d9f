import { invalidCursor } from './inventory.errors.js';

/** Cursors over an ascending text key (a SKU) or a descending sequence number. */
export const textCursor = {
  encode: (key: string): string => Buffer.from(key, 'utf8').toString('base64url'),
  decode: (cursor: string): string => {
    const key = Buffer.from(cursor, 'base64url').toString('utf8');
    if (!key || textCursor.encode(key) !== cursor) throw invalidCursor();
    return key;
  },
};

export const seqCursor = {
  encode: (seq: number): string => String(seq),
  decode: (cursor: string): number => {
    if (!/^[1-9][0-9]{0,15}$/.test(cursor)) throw invalidCursor();
    return Number(cursor);
  },
};

/** Splits a `limit + 1` fetch into a page and the cursor of its last item. */
export function toPage<T, I>(
  rows: T[],
  limit: number,
  map: (row: T) => I,
  cursorOf: (row: T) => string,
): { items: I[]; nextCursor: string | null } {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  const last = kept[kept.length - 1];
  return { items: kept.map(map), nextCursor: more && last ? cursorOf(last) : null };
}
