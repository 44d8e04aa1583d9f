import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod';
import type { CreateUserInput, ListUsersQuery, TenantUser, UpdateUserInput } from '@zakpos/contracts';
import { findUserForUpdate } from '../auth/auth.repository.js';
import { type Check, checkRefusal, checkSecret } from '../auth/credential-check.js';
import { passwordHasher } from '../auth/password-hasher.js';
import {
  emailCheckTarget,
  passwordTarget,
  throttleFail,
  throttleForgetAccount,
  throttleWait,
} from '../auth/throttle.repository.js';
import { bumpSessionVersion } from '../auth/user-sessions.repository.js';
import { recordAudit } from '../common/audit/audit-log.js';
import type { RequestContext } from '../common/context/request-context.js';
import { DomainError } from '../common/errors/domain-error.js';
import { isUniqueViolation } from '../db/pg-error.js';
import { Database, type Tx } from '../db/database.js';
import { Cursors, cursorKind } from '../common/paging/cursor.js';
import { assertStoreInScope } from './store-scope.js';
import { existingStoreIds } from './store.repository.js';
import { emailTaken, lastOwner } from './tenancy.errors.js';
import { assertMayManage, maySee, nextAccess, removesActiveOwner } from './user-rules.js';
import {
  claimEmail,
  countActiveOwners,
  emailInUse,
  findUser,
  insertUser,
  listUsers,
  lockOwnership,
  revokeRefreshTokens,
  setUserStores,
  updateUser,
  type UserRecord,
} from './user.repository.js';

const emailCursor = cursorKind('users', z.tuple([z.string().min(1).max(254)]));

/** A unit's result when it must commit before refusing: a counted failure, an email-check answer. */
type Outcome<T> = Exclude<Check, { kind: 'ok' }> | { kind: 'email_taken' } | { kind: 'done'; value: T };

/** Same-tenant duplicate (users) or another tenant's account (login index): both an email already taken. */
const EMAIL_UNIQUE = ['users_tenant_id_email_key', 'login_identities_pkey'];

/**
 * Users of the tenant. Owners manage everyone; managers manage cashiers of their own stores. The tenant always
 * keeps an active owner. Emails are unique across all tenants through the global login index.
 */
@Injectable()
export class UserService {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(Cursors) private readonly cursors: Cursors,
  ) {}

  list(ctx: RequestContext, q: ListUsersQuery): Promise<{ items: TenantUser[]; nextCursor: string | null }> {
    const after =
      q.cursor === undefined ? undefined : this.cursors.decode(ctx.tenantId, emailCursor, q.cursor)[0];
    if (q.storeId) assertStoreInScope(ctx, q.storeId);
    return this.db.tenant(ctx, async (tx) => {
      const rows = await listUsers(tx, ctx.tenantId, {
        visibleStores: ctx.role === 'owner' ? null : ctx.storeIds,
        role: q.role,
        storeId: q.storeId,
        active: q.active,
        afterEmail: after,
        limit: q.limit + 1,
      });
      return this.cursors.page(ctx.tenantId, emailCursor, rows, q.limit, toUser, (r) => [r.email]);
    });
  }

  get(ctx: RequestContext, id: string): Promise<TenantUser> {
    return this.db.tenant(ctx, async (tx) => {
      const user = await findUser(tx, ctx.tenantId, id);
      if (!user) throw DomainError.notFound('user');
      if (!maySee(ctx, user)) throw new DomainError('FORBIDDEN', 'not a user of your stores');
      return toUser(user);
    });
  }

  async create(ctx: RequestContext, input: CreateUserInput): Promise<TenantUser> {
    const access = { role: input.role, storeIds: input.role === 'owner' ? [] : (input.storeIds ?? []) };
    // Hash before opening the transaction: argon2 is slow on purpose and must not hold a connection.
    const [passwordHash, pinHash] = await Promise.all([
      passwordHasher.hash(input.password),
      input.pin === undefined ? null : passwordHasher.hash(input.pin),
    ]);
    const outcome = await this.db.tenant(ctx, async (tx): Promise<Outcome<TenantUser>> => {
      await assertStoresExist(tx, ctx, access.storeIds);
      assertMayManage(ctx, null, access);
      const probe = await checkEmailFree(tx, ctx, input.email);
      if (probe) return probe;
      const id = randomUUID();
      await rethrowEmailTaken(async () => {
        await insertUser(
          tx,
          {
            tenant_id: ctx.tenantId,
            id,
            email: input.email,
            name: input.name,
            role: input.role,
            password_hash: passwordHash,
            pin_hash: pinHash,
          },
          access.storeIds,
        );
        await claimEmail(tx, input.email, id);
      });
      const user = toUser(await this.reload(tx, ctx, id));
      await recordAudit(tx, ctx, {
        action: 'user.created',
        entityType: 'user',
        entityId: id,
        data: {
          email: user.email,
          name: user.name,
          role: user.role,
          storeIds: user.storeIds,
          hasPin: user.hasPin,
        },
      });
      return { kind: 'done', value: user };
    });
    return settle(outcome);
  }

  /**
   * Changing your own password, email or PIN needs your current password (a wrong one is counted like a
   * failed login). Changing another user's is an administrator's reset: every session of theirs ends.
   */
  async update(ctx: RequestContext, id: string, input: UpdateUserInput): Promise<TenantUser> {
    const own = id === ctx.userId;
    const changesSecrets =
      input.password !== undefined || input.email !== undefined || input.pin !== undefined;
    if (own && changesSecrets && input.currentPassword === undefined) {
      throw DomainError.validation('currentPassword', 'required to change your own password, email or PIN');
    }
    if (!own && input.currentPassword !== undefined) {
      throw DomainError.validation('currentPassword', 'only for changing your own account');
    }
    const [passwordHash, pinHash] = await Promise.all([
      input.password === undefined ? undefined : passwordHasher.hash(input.password),
      typeof input.pin === 'string' ? passwordHasher.hash(input.pin) : input.pin,
    ]);
    const outcome = await this.db.tenant(ctx, async (tx): Promise<Outcome<TenantUser>> => {
      if (input.currentPassword !== undefined) {
        const self = await findUserForUpdate(tx, ctx.tenantId, ctx.userId);
        if (!self) throw DomainError.notFound('user');
        const check = await checkSecret(tx, {
          target: passwordTarget(self.email, ctx.ip),
          storedHash: self.password_hash,
          given: input.currentPassword,
          audit: ctx,
        });
        if (check.kind !== 'ok') return check;
      }
      const mayRemoveOwner = input.role !== undefined || input.active === false;
      if (mayRemoveOwner) await lockOwnership(tx, ctx.tenantId);
      const current = await findUser(tx, ctx.tenantId, id, true);
      if (!current) throw DomainError.notFound('user');
      const next = { ...nextAccess(current, input), active: input.active ?? current.active };
      if (input.storeIds) await assertStoresExist(tx, ctx, input.storeIds);
      assertMayManage(ctx, current, next);
      if (removesActiveOwner(current, next) && (await countActiveOwners(tx, ctx.tenantId)) <= 1) {
        throw lastOwner();
      }

      const newEmail = input.email !== undefined && input.email !== current.email ? input.email : undefined;
      if (newEmail) {
        const probe = await checkEmailFree(tx, ctx, newEmail);
        if (probe) return probe;
      }
      const storesChanged = !sameSet(current.storeIds, next.storeIds);
      await rethrowEmailTaken(async () => {
        await updateUser(tx, ctx.tenantId, id, {
          email: newEmail,
          name: input.name,
          role: next.role,
          active: next.active,
          pin_hash: pinHash,
          ...(passwordHash && { password_hash: passwordHash, password_changed_at: new Date() }),
        });
        if (newEmail) await claimEmail(tx, newEmail, id);
      });
      if (storesChanged) await setUserStores(tx, ctx.tenantId, id, next.storeIds);

      const roleChanged = next.role !== current.role;
      const deactivated = current.active && !next.active;
      const secretsReset =
        !own && (passwordHash !== undefined || newEmail !== undefined || input.pin !== undefined);
      // Refresh tokens are revoked; access tokens end at their next request, as the session version moves
      // on (a trigger does it for role, active, password and stores; the rest here).
      if (deactivated || roleChanged || storesChanged || passwordHash || secretsReset) {
        await revokeRefreshTokens(tx, ctx.tenantId, id);
        await bumpSessionVersion(tx, ctx.tenantId, id);
      }
      // A new secret ends the failure series against the old one.
      if (passwordHash) await throttleForgetAccount(tx, 'password', newEmail ?? current.email);
      if (input.pin !== undefined) await throttleForgetAccount(tx, 'pin', id);

      const after = await this.reload(tx, ctx, id);
      await this.recordUpdate(tx, ctx, current, after, {
        roleChanged,
        passwordReset: passwordHash !== undefined,
        pin: input.pin,
      });
      return { kind: 'done', value: toUser(after) };
    });
    return settle(outcome);
  }

  private async recordUpdate(
    tx: Tx,
    ctx: RequestContext,
    before: UserRecord,
    after: UserRecord,
    how: { roleChanged: boolean; passwordReset: boolean; pin: string | null | undefined },
  ): Promise<void> {
    const entry = (action: string, data: Record<string, unknown> = {}) =>
      recordAudit(tx, ctx, { action, entityType: 'user', entityId: after.id, data });
    if (how.roleChanged) await entry('user.role_changed', { from: before.role, to: after.role });
    if (before.active !== after.active) await entry(after.active ? 'user.reactivated' : 'user.deactivated');
    if (how.passwordReset) await entry('user.password_reset');
    if (how.pin === null && before.has_pin) await entry('user.pin_removed');
    if (typeof how.pin === 'string') await entry('user.pin_set');
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    if (before.email !== after.email) changes.email = { from: before.email, to: after.email };
    if (before.name !== after.name) changes.name = { from: before.name, to: after.name };
    if (!sameSet(before.storeIds, after.storeIds)) {
      changes.storeIds = { from: before.storeIds, to: after.storeIds };
    }
    if (Object.keys(changes).length > 0) await entry('user.updated', { changes });
  }

  private async reload(tx: Tx, ctx: RequestContext, id: string): Promise<UserRecord> {
    const user = await findUser(tx, ctx.tenantId, id);
    if (!user) throw DomainError.notFound('user');
    return user;
  }
}

/**
 * Whether an email is free, as a throttled answer: EMAIL_TAKEN tells anyone who may create or edit users
 * that an address has an account (in any tenant), so those answers are counted per tenant and per source
 * and, past the budget, refused (429) before the lookup. Returns the refusal, or null when the email is free.
 */
async function checkEmailFree(tx: Tx, ctx: RequestContext, email: string): Promise<Outcome<never> | null> {
  const target = emailCheckTarget(ctx.tenantId, ctx.ip);
  const wait = await throttleWait(tx, target);
  if (wait > 0) return { kind: 'throttled', retryAfterSeconds: wait };
  if (!(await emailInUse(tx, email))) return null;
  await throttleFail(tx, target);
  return { kind: 'email_taken' };
}

function settle<T>(outcome: Outcome<T>): T {
  switch (outcome.kind) {
    case 'done':
      return outcome.value;
    case 'email_taken':
      throw emailTaken();
    default:
      throw checkRefusal(outcome, 'currentPassword');
  }
}

/** Every id must be a store of the tenant; another tenant's store is simply not found. */
async function assertStoresExist(tx: Tx, ctx: RequestContext, storeIds: readonly string[]): Promise<void> {
  const found = await existingStoreIds(tx, ctx.tenantId, storeIds);
  const missing = storeIds.filter((id) => !found.has(id));
  if (missing.length > 0) {
    throw new DomainError('NOT_FOUND', 'store not found', {
      storeIds: missing.map((id) => `store ${id} not found`),
    });
  }
}

async function rethrowEmailTaken(work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (e) {
    throw EMAIL_UNIQUE.some((c) => isUniqueViolation(e, c)) ? emailTaken() : e;
  }
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id) => b.includes(id));
}

function toUser(user: UserRecord): TenantUser {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    storeIds: user.role === 'owner' ? null : user.storeIds,
    active: user.active,
    hasPin: user.has_pin,
    passwordChangedAt: user.password_changed_at.toISOString(),
    createdAt: user.created_at.toISOString(),
  };
}
