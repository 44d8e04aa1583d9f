import { z } from 'zod';
import { DomainError } from '../common/errors/domain-error.js';

/** Where a page of products (ordered by name, then id) ended. */
export interface ProductCursor {
  name: string;
  id: string;
}

const cursorShape = z.tuple([z.string().min(1).max(200), z.uuid()]);

/** An opaque cursor: base64url of the last row's [name, id]. */
export function encodeProductCursor(c: ProductCursor): string {
  return Buffer.from(JSON.stringify([c.name, c.id]), 'utf8').toString('base64url');
}

/** Decodes a cursor from a client; anything not minted by encodeProductCursor is a 400 on `cursor`. */
export function decodeProductCursor(raw: string): ProductCursor {
  const invalid = () => DomainError.validation('cursor', 'invalid cursor');
  if (!/^[A-Za-z0-9_-]+$/.test(raw)) throw invalid();
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const parsed = cursorShape.safeParse(value);
  if (!parsed.success) throw invalid();
  return { name: parsed.data[0], id: parsed.data[1] };
}
