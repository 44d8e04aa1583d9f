import { createHash, randomBytes } from 'node:crypto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SECRET = /^[A-Za-z0-9_-]{43}$/;

/**
 * A refresh token is `<tenantId>.<secret>` (32 random bytes, base64url). The tenant prefix lets the
 * server open the right tenant context to look the token up, without any RLS-bypassing role.
 */
export function mintRefreshToken(tenantId: string): string {
  return `${tenantId}.${randomBytes(32).toString('base64url')}`;
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
