import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { AuthUser, Session } from '@zakpos/contracts';
import { recordAudit } from '../common/audit/audit-log.js';
import type { RequestContext } from '../common/context/request-context.js';
import { DomainError } from '../common/errors/domain-error.js';
import type { ClientInfo } from '../common/http/route.decorator.js';
import { ENV, type Env } from '../config/env.js';
import { Database, type Tx } from '../db/database.js';
import { findRegister, findUser } from './auth.repository.js';
import { hashRefreshToken, mintRefreshToken, refreshTokenTenant } from './refresh-token.js';
import {
  findByHashForUpdate,
  insertRefreshToken,
  markRotated,
  revokeAllOfUser,
  revokeFamily,
} from './refresh-token.repository.js';
import { sessionUser } from './session-user.js';
import { TokenService } from './token.service.js';

const USER_AGENT_MAX = 500;

type RefreshOutcome = { kind: 'ok'; session: Session } | { kind: 'invalid' };

/**
 * Sessions: a short-lived access token plus an opaque refresh token kept (hashed) in the database.
 * Each refresh rotates the refresh token within its family; a rotated token presented again means it
 * leaked, so the whole family is revoked.
 */
@Injectable()
export class SessionService {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(TokenService) private readonly tokens: TokenService,
    @Inject(ENV) private readonly env: Env,
  ) {}

  /** Issues a token pair inside the caller's transaction. A new login starts a new family. */
  async start(
    tx: Tx,
    user: AuthUser,
    registerId: string | null,
    client: ClientInfo,
    familyId: string = randomUUID(),
  ): Promise<Session & { refreshTokenId: string }> {
    const refreshToken = mintRefreshToken(user.tenantId);
    const refreshTokenId = randomUUID();
    await insertRefreshToken(tx, {
      tenantId: user.tenantId,
      id: refreshTokenId,
      userId: user.id,
      familyId,
      tokenHash: hashRefreshToken(refreshToken),
      registerId,
      expiresAt: new Date(Date.now() + this.env.REFRESH_TOKEN_TTL_SECONDS * 1000),
      ip: client.ip || null,
      userAgent: client.userAgent?.slice(0, USER_AGENT_MAX) ?? null,
    });
    const accessToken = await this.tokens.sign({
      userId: user.id,
      tenantId: user.tenantId,
      role: user.role,
      storeIds: user.storeIds,
      registerId,
    });
    return { accessToken, refreshToken, expiresIn: this.tokens.accessTtlSeconds, user, refreshTokenId };
  }

  async refresh(client: ClientInfo, refreshToken: string): Promise<Session> {
    const tenantId = refreshTokenTenant(refreshToken);
    if (!tenantId) throw invalidRefreshToken();
    // The transaction commits even when the token is refused, so a family revoked on reuse stays revoked.
    const outcome = await this.db.tenant({ tenantId }, async (tx): Promise<RefreshOutcome> => {
      const now = new Date();
      const row = await findByHashForUpdate(tx, tenantId, hashRefreshToken(refreshToken));
      if (!row || row.revoked_at) return { kind: 'invalid' };
      if (row.rotated_at) {
        await revokeFamily(tx, tenantId, row.family_id, now);
        await recordAudit(
          tx,
          { tenantId, userId: row.user_id, ip: client.ip, userAgent: client.userAgent },
          {
            action: 'auth.refresh_reuse',
            entityType: 'user',
            entityId: row.user_id,
            data: { familyId: row.family_id, registerId: row.register_id },
          },
        );
        return { kind: 'invalid' };
      }
      if (row.expires_at.getTime() <= now.getTime()) return { kind: 'invalid' };

      // Role, stores and the register binding are read afresh: a deactivated user's session ends here.
      const user = await this.currentUser(tx, tenantId, row.user_id, row.register_id);
      if (!user) {
        await revokeFamily(tx, tenantId, row.family_id, now);
        return { kind: 'invalid' };
      }
      const next = await this.start(tx, user, row.register_id, client, row.family_id);
      await markRotated(tx, tenantId, row.id, next.refreshTokenId, now);
      return { kind: 'ok', session: withoutId(next) };
    });
    if (outcome.kind !== 'ok') throw invalidRefreshToken();
    return outcome.session;
  }

  /** Ends the session a refresh token belongs to (its whole family). Unknown tokens are ignored. */
  async logout(ctx: RequestContext, refreshToken: string): Promise<void> {
    if (refreshTokenTenant(refreshToken) !== ctx.tenantId) return;
    await this.db.tenant(ctx, async (tx) => {
      const row = await findByHashForUpdate(tx, ctx.tenantId, hashRefreshToken(refreshToken));
      if (!row || row.user_id !== ctx.userId) return;
      const revoked = await revokeFamily(tx, ctx.tenantId, row.family_id, new Date());
      await recordAudit(tx, ctx, {
        action: 'auth.logout',
        entityType: 'user',
        entityId: ctx.userId,
        data: { familyId: row.family_id, revoked },
      });
    });
  }

  private async currentUser(
    tx: Tx,
    tenantId: string,
    userId: string,
    registerId: string | null,
  ): Promise<AuthUser | null> {
    const user = await findUser(tx, tenantId, userId);
    if (!user) return null;
    const register = registerId ? await findRegister(tx, tenantId, registerId) : null;
    if (register === undefined) return null;
    const resolved = await sessionUser(tx, user, register);
    return resolved.ok ? resolved.user : null;
  }

  /** Revokes every refresh token of a user, inside the caller's transaction. */
  revokeAll(tx: Tx, tenantId: string, userId: string): Promise<number> {
    return revokeAllOfUser(tx, tenantId, userId, new Date());
  }
}

export function withoutId(s: Session & { refreshTokenId: string }): Session {
  return { accessToken: s.accessToken, refreshToken: s.refreshToken, expiresIn: s.expiresIn, user: s.user };
}

const invalidRefreshToken = () =>
  new DomainError('REFRESH_TOKEN_INVALID', 'refresh token is invalid, expired or revoked; log in again');
