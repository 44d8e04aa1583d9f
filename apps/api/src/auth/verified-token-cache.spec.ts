import { describe, expect, it } from 'vitest';
import type { AccessClaims } from './token.service.js';
import { VerifiedTokenCache } from './verified-token-cache.js';

const claims = (userId: string): AccessClaims => ({
  userId,
  tenantId: 't-1',
  role: 'cashier',
  storeIds: ['s-1', 's-2'],
  registerId: null,
  sessionKind: 'full',
  sessionVersion: 1,
});

/** A clock the test moves by hand. */
function clock(start: number) {
  let t = start;
  return { now: () => t, set: (ms: number) => (t = ms) };
}

describe('the verified-token cache', () => {
  it('answers until the expiry, and not from the expiry on', () => {
    const c = clock(1_000_000);
    const cache = new VerifiedTokenCache(10, c.now);
    cache.set('tok', claims('u-1'), 1_060_000);
    expect(cache.get('tok')).toEqual(claims('u-1'));
    c.set(1_059_999);
    expect(cache.get('tok')).toEqual(claims('u-1'));
    c.set(1_060_000); // jose refuses `exp <= now`: so does the cache
    expect(cache.get('tok')).toBeUndefined();
    expect(cache.size).toBe(0); // and forgets it
    c.set(1_000_000);
    expect(cache.get('tok')).toBeUndefined();
  });

  it('keeps nothing that has already expired', () => {
    const c = clock(5_000);
    const cache = new VerifiedTokenCache(10, c.now);
    cache.set('tok', claims('u-1'), 5_000);
    expect(cache.size).toBe(0);
  });

  it('is keyed by the whole token', () => {
    const cache = new VerifiedTokenCache(10, clock(0).now);
    cache.set('header.payload.signature', claims('u-1'), 60_000);
    expect(cache.get('header.payload.signaturE')).toBeUndefined();
    expect(cache.get('header.payload.signatur')).toBeUndefined();
    expect(cache.get('header.payload.signature')).toEqual(claims('u-1'));
  });

  it('drops the least recently used token beyond its bound', () => {
    const cache = new VerifiedTokenCache(2, clock(0).now);
    cache.set('a', claims('a'), 60_000);
    cache.set('b', claims('b'), 60_000);
    expect(cache.get('a')?.userId).toBe('a'); // a is now the most recent
    cache.set('c', claims('c'), 60_000);
    expect(cache.size).toBe(2);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')?.userId).toBe('a');
    expect(cache.get('c')?.userId).toBe('c');
  });

  it('hands out copies: what a caller changes does not reach the next request', () => {
    const cache = new VerifiedTokenCache(10, clock(0).now);
    const original = claims('u-1');
    cache.set('tok', original, 60_000);
    original.storeIds!.push('s-stored-later');
    const first = cache.get('tok')!;
    first.storeIds!.push('s-injected');
    first.role = 'owner';
    expect(cache.get('tok')).toEqual(claims('u-1'));
  });
});
