import { Inject, Injectable } from '@nestjs/common';
import { errors, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import { roles, type Role, type SessionKind, sessionKinds } from '@zakpos/contracts';
import { ENV, type Env } from '../config/env.js';
import { DomainError } from '../common/errors/domain-error.js';
import { VerifiedTokenCache } from './verified-token-cache.js';

export interface AccessClaims {
  userId: string;
  tenantId: string;
  role: Role;
  storeIds: string[] | null;
  registerId: string | null;
  sessionKind: SessionKind;
  /** The user's session version at signing; every unit of work of the request checks it. */
  sessionVersion: number;
}

const ISSUER = 'zakpos';
const AUDIENCE = 'zakpos-api';
/** Tokens kept verified: far more than the tills and back-office sessions of one API process. */
const VERIFIED_TOKENS_MAX = 10_000;

const uuid = z.uuid();

/**
 * The payload a token must carry, beyond what jose checks (signature, iss, aud, exp present and not past).
 * Only an owner's full session may have no store list (every store); a register session is bound to a
 * register, and only it is.
 */
const payloadSchema = z
  .object({
    sub: uuid,
    tid: uuid,
    role: z.enum(roles),
    stores: z.array(uuid).nullable(),
    reg: uuid.nullable(),
    kind: z.enum(sessionKinds),
    sv: z.number().int().min(1).max(2_147_483_647),
    exp: z.number(),
  })
  .refine((p) => p.stores !== null || (p.role === 'owner' && p.kind === 'full'))
  .refine((p) => (p.kind === 'register') === (p.reg !== null));

/** Short-lived HS256 access tokens. Refresh tokens are opaque and live in the database. */
@Injectable()
export class TokenService {
  private readonly key: Uint8Array;
  private readonly verified = new VerifiedTokenCache(VERIFIED_TOKENS_MAX);

  constructor(@Inject(ENV) private readonly env: Env) {
    this.key = new TextEncoder().encode(env.JWT_SECRET);
  }

  get accessTtlSeconds(): number {
    return this.env.ACCESS_TOKEN_TTL_SECONDS;
  }

  async sign(claims: AccessClaims, ttlSeconds = this.env.ACCESS_TOKEN_TTL_SECONDS): Promise<string> {
    return new SignJWT({
      tid: claims.tenantId,
      role: claims.role,
      stores: claims.storeIds,
      reg: claims.registerId,
      kind: claims.sessionKind,
      sv: claims.sessionVersion,
    })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(claims.userId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
      .sign(this.key);
  }

  /**
   * The claims of a valid access token. A token already verified is answered from the cache until its
   * expiry (verified-token-cache.ts); any other token gets the full check. A token without `exp`, or with
   * any claim missing or malformed, is refused.
   */
  async verify(token: string): Promise<AccessClaims> {
    const cached = this.verified.get(token);
    if (cached) return cached;
    let raw: unknown;
    try {
      ({ payload: raw } = await jwtVerify(token, this.key, {
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: ['HS256'],
        requiredClaims: ['exp'],
      }));
    } catch (err) {
      if (err instanceof errors.JWTExpired) throw new DomainError('TOKEN_EXPIRED', 'access token expired');
      throw new DomainError('UNAUTHENTICATED', 'invalid access token');
    }
    const parsed = payloadSchema.safeParse(raw);
    if (!parsed.success) throw new DomainError('UNAUTHENTICATED', 'malformed access token');
    const p = parsed.data;
    const claims: AccessClaims = {
      userId: p.sub,
      tenantId: p.tid,
      role: p.role,
      storeIds: p.stores,
      registerId: p.reg,
      sessionKind: p.kind,
      sessionVersion: p.sv,
    };
    this.verified.set(token, claims, p.exp * 1000);
    return claims;
  }
}
