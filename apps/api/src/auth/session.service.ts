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
import {
  hashRefreshToken,
  mintRefreshToken,
  refreshTokenTenant,
  successorKey,
  successorRefreshToken,
} from './refresh-token.js';
import {
  findByHashForUpdate,
  findById,
  insertRefreshToken,
  markRotated,
  revokeAllOfUser,
  revokeFamily,
  type RefreshTokenRow,
} from './refresh-token.repository.js';
import { sessionUser } from './session-user.js';
import { TokenService } from './token.service.js';
import { bumpSessionVersion } from './user-sessions.repository.js';

const USER_AGENT_MAX = 500;

/**
 * How long a rotated refresh token may be presented again and get the same successor: a client's retry
 * of a refresh whose answer it lost, or two requests racing with one token. Later, it is theft.
 */
export const REFRESH_REUSE_GRACE_MS = 30_000;

/** Who a session is for, as `sessionUser` resolved it, and where. */
export interface SessionSubject {
  user: AuthUser;
  sessionVersion: number;
  /** Set for a register (PIN) session. */
  registerId: string | null;
}

type RefreshOutcome = { kind: 'ok'; session: Session } | { kind: 'invalid' };

/**
 * Sessions: a short-lived access token plus an opaque refresh token kept (hashed) in the database.
 * Each refresh rotates the refresh token within its family; a rotated token presented again within the
 * grace gets the same successor, later it means the token leaked and the whole family is revoked.
 */
@Injectable()
export class SessionService {
  private readonly successorKey: Uint8Array;

  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(TokenService) private readonly tokens: TokenService,
    @Inject(ENV) private readonly env: Env,
  ) {
    this.successorKey = successorKey(env.JWT_SECRET);
  }

  /** Issues a token pair inside the caller's transaction. A new login starts a new family. */
  async start(
    tx: Tx,
    subject: SessionSubject,
    client: ClientInfo,
    rotation: { familyId: string; refreshToken: string } = {
      familyId: randomUUID(),
      refreshToken: mintRefreshToken(subject.user.tenantId),
    },
  ): Promise<Session & { refreshTokenId: string }> {
    const { user, registerId } = subject;
    const refreshTokenId = randomUUID();
    await insertRefreshToken(tx, {
      tenantId: user.tenantId,
      id: refreshTokenId,
      userId: user.id,
      familyId: rotation.familyId,
      tokenHash: hashRefreshToken(rotation.refreshToken),
      registerId,
      expiresAt: new Date(Date.now() + this.env.REFRESH_TOKEN_TTL_SECONDS * 1000),
      ip: client.ip || null,
      userAgent: client.userAgent?.slice(0, USER_AGENT_MAX) ?? null,
    });
    return {
      accessToken: await this.accessToken(subject),
      refreshToken: rotation.refreshToken,
      expiresIn: this.tokens.accessTtlSeconds,
      user,
      refreshTokenId,
    };
  }

  async refresh(client: ClientInfo, refreshToken: string): Promise<Session> {
    const tenantId = refreshTokenTenant(refreshToken);
    if (!tenantId) throw invalidRefreshToken();
    // The transaction commits even when the token is refused, so a family revoked on reuse stays revoked.
    const outcome = await this.db.tenant({ tenantId }, async (tx): Promise<RefreshOutcome> => {
      const now = new Date();
      // Locked: of two concurrent refreshes of one token, the second waits and sees the first's rotation.
      const row = await findByHashForUpdate(tx, tenantId, hashRefreshToken(refreshToken));
      if (!row || row.revoked_at) return { kind: 'invalid' };
      if (row.rotated_at) return this.presentedAgain(tx, client, refreshToken, row, now);
      if (row.expires_at.getTime() <= now.getTime()) return { kind: 'invalid' };

      // Role, stores and the register binding are read afresh: a deactivated user's session ends here.
      const subject = await this.currentSubject(tx, tenantId, row.user_id, row.register_id);
      if (!subject) {
        await revokeFamily(tx, tenantId, row.family_id, now);
        return { kind: 'invalid' };
      }
      const next = await this.start(tx, subject, client, {
        familyId: row.family_id,
        refreshToken: successorRefreshToken(this.successorKey, refreshToken),
      });
      await markRotated(tx, tenantId, row.id, next.refreshTokenId, now);
      return { kind: 'ok', session: withoutId(next) };
    });
    if (outcome.kind !== 'ok') throw invalidRefreshToken();
    return outcome.session;
  }

  /**
   * A rotated token again. Within the grace, while its successor is still unused, the caller gets that
   * same successor (recomputed: only its hash is stored) and a fresh access token. Otherwise the token was
   * stolen, or replayed after the session moved on: the whole family is revoked.
   */
  private async presentedAgain(
    tx: Tx,
    client: ClientInfo,
    refreshToken: string,
    row: RefreshTokenRow,
    now: Date,
  ): Promise<RefreshOutcome> {
    const tenantId = row.tenant_id;
    const withinGrace = now.getTime() - row.rotated_at!.getTime() <= REFRESH_REUSE_GRACE_MS;
    const successor = successorRefreshToken(this.successorKey, refreshToken);
    const next = withinGrace && row.replaced_by ? await findById(tx, tenantId, row.replaced_by) : undefined;
    if (
      next &&
      next.token_hash === hashRefreshToken(successor) &&
      !next.rotated_at &&
      !next.revoked_at &&
      next.expires_at.getTime() > now.getTime()
    ) {
      const subject = await this.currentSubject(tx, tenantId, next.user_id, next.register_id);
      if (subject) {
        return {
          kind: 'ok',
          session: {
            accessToken: await this.accessToken(subject),
            refreshToken: successor,
            expiresIn: this.tokens.accessTtlSeconds,
            user: subject.user,
          },
        };
      }
    }
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

  private accessToken(subject: SessionSubject): Promise<string> {
    const { user, registerId } = subject;
    return this.tokens.sign({
      userId: user.id,
      tenantId: user.tenantId,
      role: user.role,
      storeIds: user.storeIds,
      registerId,
      sessionKind: registerId ? 'register' : 'full',
      sessionVersion: subject.sessionVersion,
    });
  }

  private async currentSubject(
    tx: Tx,
    tenantId: string,
    userId: string,
    registerId: string | null,
  ): Promise<SessionSubject | null> {
    const user = await findUser(tx, tenantId, userId);
    if (!user) return null;
    const register = registerId ? await findRegister(tx, tenantId, registerId) : null;
    if (register === undefined) return null;
    const resolved = await sessionUser(tx, user, register);
    return resolved.ok ? { user: resolved.user, sessionVersion: resolved.sessionVersion, registerId } : null;
  }

  /**
   * Ends every session of a user inside the caller's transaction: their refresh tokens are revoked and
   * their access tokens stop working at their next request (the session version moves on).
   */
  async endAll(tx: Tx, tenantId: string, userId: string): Promise<number> {
    await bumpSessionVersion(tx, tenantId, userId);
    return revokeAllOfUser(tx, tenantId, userId, new Date());
  }
}

export function withoutId(s: Session & { refreshTokenId: string }): Session {
  return { accessToken: s.accessToken, refreshToken: s.refreshToken, expiresIn: s.expiresIn, user: s.user };
}

const invalidRefreshToken = () =>
  new DomainError('REFRESH_TOKEN_INVALID', 'refresh token is invalid, expired or revoked; log in again');
