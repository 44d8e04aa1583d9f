import { decodeJwt } from 'jose';
import type { AccessClaims, TokenService } from '../auth/token.service.js';
import { DomainError } from '../common/errors/domain-error.js';
import type { ErrorCode } from '../common/errors/error-codes.js';
import { fromPostgresError } from '../common/errors/error-mapping.js';
import type { Database } from '../db/database.js';
import { roomsOf } from './rooms.js';

/** Who a connected socket is, what it may hear, and until when. */
export interface SocketSession {
  claims: AccessClaims;
  rooms: string[];
  /** The token's expiry (ms since the epoch): the socket is disconnected then. */
  expiresAt: number;
}

/**
 * Checks a handshake's `auth.token` as the REST guard checks a bearer token: signature, expiry and claims
 * (TokenService), then the session version in the unit of work that reads the rooms, as every request's
 * unit does. Throws the DomainError the REST API would answer with.
 */
export async function authenticate(
  tokens: TokenService,
  db: Database,
  token: unknown,
): Promise<SocketSession> {
  if (typeof token !== 'string' || token === '') {
    throw new DomainError('UNAUTHENTICATED', 'authentication required: send the access token as auth.token');
  }
  const claims = await tokens.verify(token);
  const rooms = await db.tenant(
    { tenantId: claims.tenantId, userId: claims.userId, sessionVersion: claims.sessionVersion },
    (tx) => roomsOf(tx, claims),
  );
  // Verified above, and verification requires `exp`.
  const expiresAt = decodeJwt(token).exp! * 1000;
  return { claims, rooms, expiresAt };
}

/** What a refused client's `connect_error` carries: the message, and `data.code` as the REST API names it. */
export class SocketRefusal extends Error {
  readonly data: { code: ErrorCode };

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.data = { code };
  }
}

/** The refusal for a failed authentication; undefined for an unexpected error (the caller logs it). */
export function refusalOf(err: unknown): SocketRefusal | undefined {
  const known = err instanceof DomainError ? err : fromPostgresError(err);
  return known ? new SocketRefusal(known.code, known.message) : undefined;
}
