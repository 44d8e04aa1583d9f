import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashRefreshToken, mintRefreshToken, refreshTokenTenant } from './refresh-token.js';

describe('refresh token strings', () => {
  it('carry their tenant and 32 random bytes', () => {
    const tenantId = randomUUID();
    const token = mintRefreshToken(tenantId);
    expect(token).toMatch(new RegExp(`^${tenantId}\\.[A-Za-z0-9_-]{43}$`));
    expect(refreshTokenTenant(token)).toBe(tenantId);
    expect(mintRefreshToken(tenantId)).not.toBe(token);
  });

  it('reject strings that are not ours', () => {
    const tenantId = randomUUID();
    for (const bad of [
      '',
      'abc',
      `${tenantId}`,
      `${tenantId}.`,
      `not-a-uuid.${'a'.repeat(43)}`,
      `${tenantId}.short`,
    ]) {
      expect(refreshTokenTenant(bad)).toBeNull();
    }
  });

  it('are stored as a SHA-256 hex digest', () => {
    const token = mintRefreshToken(randomUUID());
    expect(hashRefreshToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashRefreshToken(token)).toBe(hashRefreshToken(token));
  });
});
