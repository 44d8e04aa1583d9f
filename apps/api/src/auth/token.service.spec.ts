import { randomBytes, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { loadEnv } from '../config/env.js';
import { DomainError } from '../common/errors/domain-error.js';
import { type AccessClaims, TokenService } from './token.service.js';

const service = (secret = randomBytes(32).toString('base64url')) =>
  new TokenService(loadEnv({ DATABASE_URL: 'postgres://app@127.0.0.1/zakpos', JWT_SECRET: secret }, {}));

const claims: AccessClaims = {
  userId: randomUUID(),
  tenantId: randomUUID(),
  role: 'manager',
  storeIds: [randomUUID()],
  registerId: randomUUID(),
  sessionKind: 'register',
  sessionVersion: 3,
};

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (err instanceof DomainError) return err.code;
    throw err;
  }
  throw new Error('the token was accepted');
}

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const decode = (part: string) =>
  JSON.parse(Buffer.from(part, 'base64url').toString()) as Record<string, unknown>;

describe('access token verification', () => {
  it('answers a token seen before with the same context as a fresh verification', async () => {
    const secret = randomBytes(32).toString('base64url');
    const tokens = service(secret);
    const token = await tokens.sign(claims);
    const first = await tokens.verify(token);
    const again = await tokens.verify(token); // from the cache
    const fresh = await service(secret).verify(token); // another instance: nothing cached
    expect(first).toEqual(claims);
    expect(again).toEqual(fresh);
    expect(again).toEqual(claims);
  });

  it('refuses a forged token even while the genuine one is cached', async () => {
    const tokens = service();
    const token = await tokens.sign(claims);
    await tokens.verify(token);
    const [header, payload, signature] = token.split('.') as [string, string, string];

    // The same payload promoted to owner, carrying the genuine signature.
    const promoted = `${header}.${b64({ ...decode(payload), role: 'owner' })}.${signature}`;
    expect(await refusal(tokens.verify(promoted))).toBe('UNAUTHENTICATED');
    // A signature changed in one character.
    const last = signature.at(-2) === 'A' ? 'B' : 'A';
    const tampered = `${header}.${payload}.${signature.slice(0, -2)}${last}${signature.at(-1)}`;
    expect(await refusal(tokens.verify(tampered))).toBe('UNAUTHENTICATED');
    // Unsigned.
    expect(await refusal(tokens.verify(`${b64({ alg: 'none', typ: 'JWT' })}.${payload}.`))).toBe(
      'UNAUTHENTICATED',
    );
    // Signed with another secret, and refused again on a second try (refusals are not cached).
    const foreign = await service().sign(claims);
    expect(await refusal(tokens.verify(foreign))).toBe('UNAUTHENTICATED');
    expect(await refusal(tokens.verify(foreign))).toBe('UNAUTHENTICATED');

    expect(await tokens.verify(token)).toEqual(claims); // the genuine one still passes
  });

  it('refuses a cached token as expired once its expiry has come', async () => {
    const tokens = service();
    const token = await tokens.sign(claims, 1);
    const expiresAtMs = (decode(token.split('.')[1]!).exp as number) * 1000;
    expect(await tokens.verify(token)).toEqual(claims);
    expect(await tokens.verify(token)).toEqual(claims);
    while (Date.now() < expiresAtMs) await new Promise((r) => setTimeout(r, expiresAtMs - Date.now()));
    expect(await refusal(tokens.verify(token))).toBe('TOKEN_EXPIRED');
    expect(await refusal(tokens.verify(token))).toBe('TOKEN_EXPIRED');
  });

  it('refuses a token without exp, or whose stores, kind or version claim is missing or malformed', async () => {
    const secret = randomBytes(32).toString('base64url');
    const tokens = service(secret);
    const key = new TextEncoder().encode(secret);
    const good = {
      tid: claims.tenantId,
      role: 'manager',
      stores: claims.storeIds,
      reg: claims.registerId,
      kind: 'register',
      sv: 3,
    };
    const signed = (
      payload: Record<string, unknown>,
      exp: number | null = Math.floor(Date.now() / 1000) + 60,
    ) => {
      const jwt = new SignJWT(payload)
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(claims.userId)
        .setIssuer('zakpos')
        .setAudience('zakpos-api')
        .setIssuedAt();
      return (exp === null ? jwt : jwt.setExpirationTime(exp)).sign(key);
    };
    expect(await tokens.verify(await signed(good))).toEqual(claims);

    const { stores: _stores, ...noStores } = good;
    const { kind: _kind, ...noKind } = good;
    const { sv: _sv, ...noVersion } = good;
    const refused = [
      await signed(good, null), // never expires
      await signed(noStores), // a manager with no store list would see every store
      await signed({ ...good, stores: null }),
      await signed({ ...good, stores: 'all' }),
      await signed({ ...good, stores: ['not-a-uuid'] }),
      await signed({ ...good, stores: [42] }),
      await signed(noKind),
      await signed({ ...good, kind: 'root' }),
      await signed({ ...good, kind: 'full' }), // full sessions are not bound to a register
      await signed({ ...good, reg: null }), // register sessions are
      await signed(noVersion),
      await signed({ ...good, sv: '3' }),
      await signed({ ...good, role: 'owner', stores: null, kind: 'register' }), // a till sees one store
    ];
    for (const token of refused) expect(await refusal(tokens.verify(token))).toBe('UNAUTHENTICATED');
    // An owner's full session may have every store.
    const owner = await signed({ ...good, role: 'owner', stores: null, reg: null, kind: 'full' });
    expect((await tokens.verify(owner)).storeIds).toBeNull();
  });
});
