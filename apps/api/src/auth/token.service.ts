import { Inject, Injectable } from '@nestjs/common';
import { errors, jwtVerify, SignJWT } from 'jose';
import { roles, type Role } from '@zakpos/contracts';
import { ENV, type Env } from '../config/env.js';
import { DomainError } from '../common/errors/domain-error.js';
import { VerifiedTokenCache } from './verified-token-cache.js';

export interface AccessClaims {
  userId: string;
  tenantId: string;
  role: Role;
  storeIds: string[] | null;
  registerId: string | null;
}

const ISSUER = 'zakpos';
const AUDIENCE = 'zakpos-api';
/** Tokens kept verified: far more than the tills and back-office sessions of one API process. */
const VERIFIED_TOKENS_MAX = 10_000;

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
   * expiry (verified-token-cache.ts); any other token gets the full check.
   */
  async verify(token: string): Promise<AccessClaims> {
    const cached = this.verified.get(token);
    if (cached) return cached;
    try {
      const { payload } = await jwtVerify(token, this.key, {
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: ['HS256'],
      });
      const role = payload.role as Role;
      if (typeof payload.sub !== 'string' || typeof payload.tid !== 'string' || !roles.includes(role)) {
        throw new DomainError('UNAUTHENTICATED', 'malformed access token');
      }
      const claims: AccessClaims = {
        userId: payload.sub,
        tenantId: payload.tid,
        role,
        storeIds: Array.isArray(payload.stores) ? (payload.stores as string[]) : null,
        registerId: typeof payload.reg === 'string' ? payload.reg : null,
      };
      if (typeof payload.exp === 'number') this.verified.set(token, claims, payload.exp * 1000);
      return claims;
    } catch (err) {
      if (err instanceof DomainError) throw err;
      if (err instanceof errors.JWTExpired) throw new DomainError('TOKEN_EXPIRED', 'access token expired');
      throw new DomainError('UNAUTHENTICATED', 'invalid access token');
    }
  }
}
