import { createHash, createHmac, randomBytes } from 'node:crypto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SECRET = /^[A-Za-z0-9_-]{43}$/;

/**
 * A refresh token is `<tenantId>.<secret>` (32 bytes, base64url). The tenant prefix lets the server open
 * the right tenant context to look the token up, without any RLS-bypassing role. A login's first token
 * is random; each rotation's successor is derived from the token it replaces (`successorRefreshToken`).
 */
export function mintRefreshToken(tenantId: string): string {
  return `${tenantId}.${randomBytes(32).toString('base64url')}`;
}

/**
 * The token that replaces `token` at its rotation: HMAC-SHA256 of the whole presented token under a key
 * only the server has. The database keeps only hashes, so this is how a retry of the same refresh (two
 * requests with one token at the same moment) is given the same successor again; without the key, a
 * successor cannot be computed from its predecessor.
 */
export function successorRefreshToken(key: Uint8Array, token: string): string {
  const tenantId = token.slice(0, token.indexOf('.'));
  return `${tenantId}.${createHmac('sha256', key).update(token).digest('base64url')}`;
}

/** The successor key, derived from the access-token secret with its own label (never used for JWTs). */
export function successorKey(secret: string): Uint8Array {
  return createHmac('sha256', secret).update('zakpos refresh-token successor v1').digest();
}

/** The tenant a well-formed refresh token names, or null when the string is not one of ours. */
export function refreshTokenTenant(token: string): string | null {
  const dot = token.indexOf('.');
  if (dot < 0) return null;
  const tenantId = token.slice(0, dot);
  return UUID.test(tenantId) && SECRET.test(token.slice(dot + 1)) ? tenantId : null;
}

/** What the database stores instead of the token: hex SHA-256 of the whole string. */
export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
