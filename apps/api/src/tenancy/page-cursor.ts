import type { z } from 'zod';
import { DomainError } from '../common/errors/domain-error.js';

/** An opaque cursor: the sort key of the last row of a page. */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** The sort key inside a cursor; a cursor we did not mint is a 400 naming `cursor`. */
export function decodeCursor<T>(cursor: string, key: z.ZodType<T>): T {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw DomainError.validation('cursor', 'invalid cursor');
  }
  const parsed = key.safeParse(raw);
  if (!parsed.success) throw DomainError.validation('cursor', 'invalid cursor');
  return parsed.data;
}
