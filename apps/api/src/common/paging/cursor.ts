import { createCipheriv, createDecipheriv, createHmac, hkdfSync } from 'node:crypto';
import { z } from 'zod';
import { DomainError } from '../errors/domain-error.js';

/** The sort key of the last row of a page: what a cursor carries. */
export type CursorKey = readonly (string | number)[];

/** One listing's cursors: its name (sealed in, so a cursor serves only this listing) and its key's shape. */
export interface CursorKind<K extends CursorKey> {
  readonly listing: string;
  readonly key: z.ZodType<K>;
}

export const cursorKind = <K extends CursorKey>(listing: string, key: z.ZodType<K>): CursorKind<K> => ({
  listing,
  key,
});

/** Newest first by an insertion sequence (movements, transfers, counts). */
export const seqKey = z.tuple([z.number().int().positive().max(Number.MAX_SAFE_INTEGER)]);
/** Ascending by a SKU. */
export const skuKey = z.tuple([z.string().min(1).max(64)]);

const NONCE_BYTES = 12;
const TAG_BYTES = 16;
/** Plaintexts are padded to a multiple of this, so a sequence's digit count does not show in the length. */
const PAD_BYTES = 32;
const KEY_LABEL = 'zakpos cursor key v1';
const NONCE_KEY_LABEL = 'zakpos cursor nonce key v1';

/**
 * Cursors are sealed: AES-256-GCM over the key's JSON, with the tenant and the listing as additional
 * authenticated data. A tenant sees an opaque string, never the sequence values inside (those sequences
 * are shared by all tenants, so their values would count other tenants' activity), cannot forge or alter
 * one, and a cursor of another tenant or another listing does not open. The keys are derived from the
 * server's JWT_SECRET with their own HKDF labels; changing the secret only invalidates the open cursors.
 *
 * Deterministic, as SIV: the nonce is an HMAC of everything sealed, so one key on one page of one tenant
 * always gives the same cursor (on every replica), and two different cursors never share a nonce. Equal
 * cursors tell a tenant only that its own two pages end at the same row, which it knows already.
 */
export class Cursors {
  private readonly key: Buffer;
  private readonly nonceKey: Buffer;

  constructor(secret: string) {
    const derive = (label: string) => Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), label, 32));
    this.key = derive(KEY_LABEL);
    this.nonceKey = derive(NONCE_KEY_LABEL);
  }

  encode<K extends CursorKey>(tenantId: string, kind: CursorKind<K>, key: K): string {
    const json = Buffer.from(JSON.stringify(key), 'utf8');
    // JSON.parse ignores trailing spaces.
    const plain = Buffer.concat([json, Buffer.alloc(PAD_BYTES - (json.length % PAD_BYTES), ' ')]);
    const data = aad(tenantId, kind.listing);
    const nonce = createHmac('sha256', this.nonceKey)
      .update(data)
      .update(Buffer.from([0]))
      .update(plain)
      .digest()
      .subarray(0, NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, nonce);
    cipher.setAAD(data);
    const sealed = Buffer.concat([nonce, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    return sealed.toString('base64url');
  }

  /** The key inside a cursor; anything this server did not seal for this tenant and listing is a 400 naming `cursor`. */
  decode<K extends CursorKey>(tenantId: string, kind: CursorKind<K>, cursor: string): K {
    const invalid = () => DomainError.validation('cursor', 'invalid cursor');
    if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid();
    const sealed = Buffer.from(cursor, 'base64url');
    if (sealed.length < NONCE_BYTES + PAD_BYTES + TAG_BYTES) throw invalid();
    let raw: unknown;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, sealed.subarray(0, NONCE_BYTES));
      decipher.setAAD(aad(tenantId, kind.listing));
      decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
      const plain = Buffer.concat([
        decipher.update(sealed.subarray(NONCE_BYTES, sealed.length - TAG_BYTES)),
        decipher.final(),
      ]);
      raw = JSON.parse(plain.toString('utf8'));
    } catch {
      throw invalid();
    }
    const parsed = kind.key.safeParse(raw);
    if (!parsed.success) throw invalid();
    return parsed.data;
  }

  /** Splits a `limit + 1` fetch into a page and the sealed cursor of its last row. */
  page<T, I, K extends CursorKey>(
    tenantId: string,
    kind: CursorKind<K>,
    rows: readonly T[],
    limit: number,
    map: (row: T) => I,
    keyOf: (row: T) => K,
  ): { items: I[]; nextCursor: string | null } {
    const more = rows.length > limit;
    const kept = more ? rows.slice(0, limit) : rows;
    const last = kept[kept.length - 1];
    return {
      items: kept.map(map),
      nextCursor: more && last ? this.encode(tenantId, kind, keyOf(last)) : null,
    };
  }
}

const aad = (tenantId: string, listing: string) => Buffer.from(`${tenantId}\n${listing}`, 'utf8');
