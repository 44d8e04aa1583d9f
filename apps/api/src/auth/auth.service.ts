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
  setPasswordHash,
  setPinHash,
} from './auth.repository.js';
import { type Actor, type Check, checkRefusal, checkSecret } from './credential-check.js';
import { passwordHasher } from './password-hasher.js';
import { hashPin } from './pin.js';
import { sessionUser } from './session-user.js';
import { SessionService, withoutId } from './session.service.js';
import { passwordTarget, pinTarget, throttleForgetAccount } from './throttle.repository.js';

type Outcome<T> =
  Exclude<Check, { kind: 'ok' }> | { kind: 'forbidden'; message: string } | { kind: 'done'; value: T };

/**
 * Password and PIN logins, password and PIN changes. Every check of a secret goes through
 * `checkSecret` (credential-check.ts), which keeps the throttles: a failure is counted in the same
 * transaction as the check, and that transaction commits before the caller is refused.
 */
@Injectable()
export class AuthService {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(SessionService) private readonly sessions: SessionService,
  ) {}

  async login(client: ClientInfo, input: LoginInput): Promise<Session> {
    const target = passwordTarget(input.email, client.ip);
    // An unknown email gets the same throttling, the same cost and the same answers as a known one.
    const found = await this.db.anonymous(async (tx) => {
      const identity = await lookupEmail(tx, input.email);
      if (identity) return identity;
      return checkSecret(tx, { target, storedHash: null, given: input.password, audit: null });
    });
    if ('kind' in found) throw checkRefusal(found.kind === 'ok' ? { kind: 'wrong' } : found);

    const outcome = await this.db.tenant(found, async (tx): Promise<Outcome<Session>> => {
      const user = await findUserForUpdate(tx, found.tenantId, found.userId);
      const active = user?.active ? user : null;
      const check = await checkSecret(tx, {
        target,
        storedHash: active?.password_hash ?? null,
        given: input.password,
        audit: active && actorOf(active, client),
      });
      if (check.kind !== 'ok') return check;
      const resolved = await sessionUser(tx, active!, null);
      if (!resolved.ok) return { kind: 'wrong' };
      const session = await this.sessions.start(tx, { ...resolved, registerId: null }, client);
      await recordAudit(tx, actorOf(active!, client), {
        action: 'auth.login',
        entityType: 'user',
        entityId: active!.id,
        data: { method: 'password' },
      });
      return { kind: 'done', value: withoutId(session) };
    });
    return settle(outcome);
  }

  /** PIN login on a register: a register session, bound to the register and limited to its store. */
  async pinLogin(client: ClientInfo, input: PinLoginInput): Promise<PinSession> {
    const outcome = await this.db.tenant(
      { tenantId: input.tenantId },
      async (tx): Promise<Outcome<PinSession>> => {
        const register = await findRegister(tx, input.tenantId, input.registerId);
        const user = await findUserForUpdate(tx, input.tenantId, input.userId);
        // An unknown or disabled register, tenant or user: the same answer as a wrong PIN, at the same cost.
        const usable = register?.usable && user?.active ? user : null;
        const check = await checkSecret(tx, {
          target: pinTarget(input.userId, client.ip),
          storedHash: usable?.pin_hash ?? null,
          given: input.pin,
          audit: usable && actorOf(usable, client),
        });
        if (check.kind !== 'ok') return check;
        const resolved = await sessionUser(tx, usable!, register!);
        if (!resolved.ok) {
          return { kind: 'forbidden', message: 'you may not work on this register' };
        }
        const session = await this.sessions.start(tx, { ...resolved, registerId: register!.id }, client);
        await recordAudit(tx, actorOf(usable!, client), {
          action: 'auth.login',
          entityType: 'user',
          entityId: usable!.id,
          data: { method: 'pin', registerId: register!.id, storeId: register!.store_id },
        });
        return { kind: 'done', value: { ...withoutId(session), registerId: register!.id } };
      },
    );
    return settle(outcome);
  }

  /** Changes the caller's password; every session of theirs ends (log in again). */
  async changePassword(ctx: RequestContext, input: ChangePasswordInput): Promise<void> {
    if (input.newPassword === input.currentPassword) {
      throw DomainError.validation('newPassword', 'must differ from the current password');
    }
    const newHash = await passwordHasher.hash(input.newPassword);
    await this.withCurrentPassword(ctx, input.currentPassword, async (tx, user) => {
      await setPasswordHash(tx, ctx.tenantId, ctx.userId, newHash);
      await throttleForgetAccount(tx, 'password', user.email);
      const revokedSessions = await this.sessions.endAll(tx, ctx.tenantId, ctx.userId);
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
      await throttleForgetAccount(tx, 'pin', ctx.userId);
      await recordAudit(tx, ctx, { action: 'auth.pin_set', entityType: 'user', entityId: ctx.userId });
    });
  }

  /** Runs `change` once the caller's current password checks out; a wrong one counts as a failure. */
  private async withCurrentPassword(
    ctx: RequestContext,
    currentPassword: string,
    change: (tx: Tx, user: CredentialRow) => Promise<void>,
  ): Promise<void> {
    const outcome = await this.db.tenant(ctx, async (tx): Promise<Outcome<null>> => {
      const user = await findUserForUpdate(tx, ctx.tenantId, ctx.userId);
      if (!user?.active)
        throw new DomainError('UNAUTHENTICATED', 'this account no longer exists or is disabled');
      const check = await checkSecret(tx, {
        target: passwordTarget(user.email, ctx.ip),
        storedHash: user.password_hash,
        given: currentPassword,
        audit: ctx,
      });
      if (check.kind !== 'ok') return check;
      await change(tx, user);
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
    case 'forbidden':
      throw new DomainError('FORBIDDEN', outcome.message);
    default:
      throw checkRefusal(outcome, secretField);
  }
}
