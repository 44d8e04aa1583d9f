import { Inject, Injectable } from '@nestjs/common';
import type {
  ChangePasswordInput,
  LoginInput,
  Me,
  PinLoginInput,
  PinSession,
  Session,
  SetPinInput,
} from '@zakpos/contracts';
import { recordAudit } from '../common/audit/audit-log.js';
import type { RequestContext } from '../common/context/request-context.js';
import { DomainError } from '../common/errors/domain-error.js';
import type { ClientInfo } from '../common/http/route.decorator.js';
import { Database, type Tx } from '../db/database.js';
import {
  type CredentialRow,
  findRegister,
  findUser,
  findUserForUpdate,
  lookupEmail,
  setFailures,
  setPasswordHash,
  setPinHash,
} from './auth.repository.js';
import { lockedUntil, lockRemainingSeconds } from './lockout.js';
import { DUMMY_HASH_INPUT, passwordHasher } from './password-hasher.js';
import { hashPin } from './pin.js';
import { sessionUser } from './session-user.js';
import { SessionService, withoutId } from './session.service.js';

type Actor = Pick<RequestContext, 'tenantId' | 'userId' | 'ip' | 'userAgent'>;

/** The result of checking a secret. Failures are returned, not thrown, so their counting commits. */
type Check = { kind: 'ok' } | { kind: 'wrong' } | { kind: 'locked'; retryAfterSeconds: number };
type Outcome<T> = Check | { kind: 'forbidden'; message: string } | { kind: 'done'; value: T };

/**
 * Password and PIN logins, password and PIN changes. Every check of a secret goes through
 * `checkSecret`, which keeps the per-account lockout: the failure count and lock are written in the
 * same transaction as the check, and that transaction commits before the caller is refused.
 */
@Injectable()
export class AuthService {
  private dummyHash?: Promise<string>;

  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(SessionService) private readonly sessions: SessionService,
  ) {}

  async login(client: ClientInfo, input: LoginInput): Promise<Session> {
    const found = await this.db.anonymous((tx) => lookupEmail(tx, input.email));
    if (!found) {
      await this.spendVerification(input.password);
      throw invalidCredentials();
    }
    const outcome = await this.db.tenant(found, async (tx): Promise<Outcome<Session>> => {
      const user = await findUserForUpdate(tx, found.tenantId, found.userId);
      if (!user?.active) {
        await this.spendVerification(input.password);
        return { kind: 'wrong' };
      }
      const actor = actorOf(user, client);
      const check = await this.checkSecret(tx, actor, user, user.password_hash, input.password, 'password');
      if (check.kind !== 'ok') return check;
      const resolved = await sessionUser(tx, user, null);
      if (!resolved.ok) return { kind: 'wrong' };
      const session = await this.sessions.start(tx, resolved.user, null, client);
      await recordAudit(tx, actor, {
        action: 'auth.login',
        entityType: 'user',
        entityId: user.id,
        data: { method: 'password' },
      });
      return { kind: 'done', value: withoutId(session) };
    });
    return settle(outcome);
  }

  /** PIN login on a register: the session is bound to the register and limited to its store. */
  async pinLogin(client: ClientInfo, input: PinLoginInput): Promise<PinSession> {
    const outcome = await this.db.tenant(
      { tenantId: input.tenantId },
      async (tx): Promise<Outcome<PinSession>> => {
        const register = await findRegister(tx, input.tenantId, input.registerId);
        const user = await findUserForUpdate(tx, input.tenantId, input.userId);
        // An unknown or disabled register, tenant or user: the same answer as a wrong PIN, at the same cost.
        if (!register?.usable || !user?.active) {
          await this.spendVerification(input.pin);
          return { kind: 'wrong' };
        }
        const actor = actorOf(user, client);
        const check = await this.checkSecret(tx, actor, user, user.pin_hash, input.pin, 'pin');
        if (check.kind !== 'ok') return check;
        const resolved = await sessionUser(tx, user, register);
        if (!resolved.ok) {
          return { kind: 'forbidden', message: 'you may not work on this register' };
        }
        const session = await this.sessions.start(tx, resolved.user, register.id, client);
        await recordAudit(tx, actor, {
          action: 'auth.login',
          entityType: 'user',
          entityId: user.id,
          data: { method: 'pin', registerId: register.id, storeId: register.store_id },
        });
        return { kind: 'done', value: { ...withoutId(session), registerId: register.id } };
      },
    );
    return settle(outcome);
  }

  /** Changes the caller's password; every refresh token of theirs is revoked (log in again). */
  async changePassword(ctx: RequestContext, input: ChangePasswordInput): Promise<void> {
    if (input.newPassword === input.currentPassword) {
      throw DomainError.validation('newPassword', 'must differ from the current password');
    }
    const newHash = await passwordHasher.hash(input.newPassword);
    await this.withCurrentPassword(ctx, input.currentPassword, async (tx) => {
      await setPasswordHash(tx, ctx.tenantId, ctx.userId, newHash);
      const revokedSessions = await this.sessions.revokeAll(tx, ctx.tenantId, ctx.userId);
      await recordAudit(tx, ctx, {
        action: 'auth.password_changed',
        entityType: 'user',
        entityId: ctx.userId,
        data: { revokedSessions },
      });
    });
  }

  /** Sets the caller's own register PIN, after re-checking their password. */
  async setPin(ctx: RequestContext, input: SetPinInput): Promise<void> {
    const pinHash = await hashPin(input.pin);
    await this.withCurrentPassword(ctx, input.currentPassword, async (tx) => {
      await setPinHash(tx, ctx.tenantId, ctx.userId, pinHash);
      await recordAudit(tx, ctx, { action: 'auth.pin_set', entityType: 'user', entityId: ctx.userId });
    });
  }

  /** Runs `change` once the caller's current password checks out; a wrong one counts toward lockout. */
  private async withCurrentPassword(
    ctx: RequestContext,
    currentPassword: string,
    change: (tx: Tx) => Promise<void>,
  ): Promise<void> {
    const outcome = await this.db.tenant(ctx, async (tx): Promise<Outcome<null>> => {
      const user = await this.actingUser(tx, ctx);
      const check = await this.checkSecret(tx, ctx, user, user.password_hash, currentPassword, 'password');
      if (check.kind !== 'ok') return check;
      await change(tx);
      return { kind: 'done', value: null };
    });
    settle(outcome, 'currentPassword');
  }

  async me(ctx: RequestContext): Promise<Me> {
    const user = await this.db.tenant(ctx, (tx) => findUser(tx, ctx.tenantId, ctx.userId));
    if (!user?.active)
      throw new DomainError('UNAUTHENTICATED', 'this account no longer exists or is disabled');
    return {
      id: user.id,
      tenantId: user.tenant_id,
      role: ctx.role,
      name: user.name,
      email: user.email,
      storeIds: ctx.storeIds ? [...ctx.storeIds] : null,
      registerId: ctx.registerId,
    };
  }

  private async actingUser(tx: Tx, ctx: RequestContext): Promise<CredentialRow> {
    const user = await findUserForUpdate(tx, ctx.tenantId, ctx.userId);
    if (!user?.active)
      throw new DomainError('UNAUTHENTICATED', 'this account no longer exists or is disabled');
    return user;
  }

  /**
   * Checks a secret against its stored hash, keeping the account's lockout. The user row must be
   * locked (`findUserForUpdate`) so concurrent attempts count one after another.
   */
  private async checkSecret(
    tx: Tx,
    actor: Actor,
    user: CredentialRow,
    storedHash: string | null,
    given: string,
    method: 'password' | 'pin',
  ): Promise<Check> {
    const now = new Date();
    const remaining = lockRemainingSeconds(user.locked_until, now);
    if (remaining > 0) return { kind: 'locked', retryAfterSeconds: remaining };

    const valid = storedHash
      ? await passwordHasher.verify(storedHash, given)
      : await this.spendVerification(given);
    if (valid) {
      if (user.failed_login_count > 0 || user.locked_until)
        await setFailures(tx, user.tenant_id, user.id, 0, null);
      return { kind: 'ok' };
    }

    const failedCount = user.failed_login_count + 1;
    const until = lockedUntil(failedCount, now);
    await setFailures(tx, user.tenant_id, user.id, failedCount, until);
    await recordAudit(tx, actor, {
      action: 'auth.login_failed',
      entityType: 'user',
      entityId: user.id,
      data: { method, failedCount },
    });
    if (until) {
      await recordAudit(tx, actor, {
        action: 'auth.account_locked',
        entityType: 'user',
        entityId: user.id,
        data: { method, failedCount, lockedUntil: until.toISOString() },
      });
    }
    return { kind: 'wrong' };
  }

  /** Costs what a real verification costs, and always fails (no timing difference for unknown accounts). */
  private async spendVerification(secret: string): Promise<false> {
    await passwordHasher.verify(await (this.dummyHash ??= passwordHasher.hash(DUMMY_HASH_INPUT)), secret);
    return false;
  }
}

/**
 * Audit entries of a login attempt name the account it targets as the actor: the caller is not
 * authenticated yet, and the entity (the same user) says which account was tried.
 */
function actorOf(user: CredentialRow, client: ClientInfo): Actor {
  return { tenantId: user.tenant_id, userId: user.id, ip: client.ip, userAgent: client.userAgent };
}

function settle<T>(outcome: Outcome<T>, secretField?: string): T {
  switch (outcome.kind) {
    case 'done':
      return outcome.value;
    case 'locked':
      throw new DomainError(
        'ACCOUNT_LOCKED',
        'too many failed attempts; this account is temporarily locked',
        undefined,
        outcome.retryAfterSeconds,
      );
    case 'forbidden':
      throw new DomainError('FORBIDDEN', outcome.message);
    case 'wrong':
    case 'ok':
      throw invalidCredentials(secretField);
  }
}

const invalidCredentials = (field?: string) =>
  new DomainError(
    'INVALID_CREDENTIALS',
    'invalid credentials',
    field ? { [field]: ['is incorrect'] } : undefined,
  );
