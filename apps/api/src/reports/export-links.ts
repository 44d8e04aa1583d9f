import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/** How long a download link works after it was handed out. */
export const EXPORT_LINK_TTL_SECONDS = 15 * 60;

/**
 * Download links of finished exports: the export, its tenant and an expiry, signed with a key derived from
 * JWT_SECRET (HKDF, its own purpose), so a link needs no token (a browser download) and cannot be altered
 * or extended. Every replica and the worker derive the same key.
 */
export class ExportLinks {
  private readonly key: Buffer;

  constructor(jwtSecret: string) {
    this.key = Buffer.from(hkdfSync('sha256', jwtSecret, '', 'zakpos report export links', 32));
  }

  /** A relative URL (the client's own API base in front) and when it stops working. */
  link(tenantId: string, exportId: string, now = Date.now()): { url: string; expiresAt: string } {
    const expires = Math.floor(now / 1000) + EXPORT_LINK_TTL_SECONDS;
    const query = new URLSearchParams({
      tenant: tenantId,
      expires: String(expires),
      signature: this.sign(tenantId, exportId, expires),
    });
    return {
      url: `/report-exports/${exportId}/file?${query.toString()}`,
      expiresAt: new Date(expires * 1000).toISOString(),
    };
  }

  /** 'ok', or why the link is refused. */
  check(
    tenantId: string,
    exportId: string,
    expires: number,
    signature: string,
    now = Date.now(),
  ): 'ok' | 'forged' | 'expired' {
    const expected = Buffer.from(this.sign(tenantId, exportId, expires));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'forged';
    return expires * 1000 <= now ? 'expired' : 'ok';
  }

  private sign(tenantId: string, exportId: string, expires: number): string {
    return createHmac('sha256', this.key).update(`${tenantId}:${exportId}:${expires}`).digest('base64url');
  }
}
