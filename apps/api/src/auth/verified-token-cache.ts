import type { AccessClaims } from './token.service.js';

interface Entry {
  claims: AccessClaims;
  /** When the token expires: its `exp` claim, in ms. */
  expiresAtMs: number;
}

/**
 * Access tokens that passed verification, so that a token presented again (every request of a till
 * carries the same one) is not verified again until it expires.
 *
 * - Keyed by the whole token string: a token altered in any way (forged signature, changed payload)
 *   is another key and is verified afresh. Only successful verifications are kept, so a refused token
 *   is refused again by the full check each time.
 * - An entry is dropped at its token's expiry, exactly when jose starts refusing it (`exp <= now`, no
 *   clock tolerance): from then on the token is verified again, and refused as expired.
 * - Bounded: beyond `maxEntries`, the least recently used token goes (a Map keeps insertion order;
 *   a hit moves its entry to the end).
 * - Each hit returns a copy, so no caller can change what the next request gets.
 */
export class VerifiedTokenCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get(token: string): AccessClaims | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    this.entries.delete(token);
    if (this.now() >= entry.expiresAtMs) return undefined;
    this.entries.set(token, entry);
    return copy(entry.claims);
  }

  set(token: string, claims: AccessClaims, expiresAtMs: number): void {
    if (this.now() >= expiresAtMs) return;
    this.entries.delete(token);
    this.entries.set(token, { claims: copy(claims), expiresAtMs });
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
  }
}

function copy(claims: AccessClaims): AccessClaims {
  return { ...claims, storeIds: claims.storeIds ? [...claims.storeIds] : null };
}
