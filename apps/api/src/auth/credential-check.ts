import { recordAudit } from '../common/audit/audit-log.js';
import type { RequestContext } from '../common/context/request-context.js';
import { DomainError } from '../common/errors/domain-error.js';
import type { Tx } from '../db/database.js';
import { DUMMY_HASH_INPUT, passwordHasher } from './password-hasher.js';
import { throttleClear, throttleFail, type ThrottleTarget, throttleWait } from './throttle.repository.js';

export type Actor = Pick<RequestContext, 'tenantId' | 'userId' | 'ip' | 'userAgent'>;

/** The result of checking a secret. Failures are returned, not thrown, so their counting commits. */
export type Check = { kind: 'ok' } | { kind: 'wrong' } | { kind: 'throttled'; retryAfterSeconds: number };

export interface Attempt {
  target: ThrottleTarget;
  /** The stored hash, or null when there is no account or no secret: then a dummy check of equal cost. */
  storedHash: string | null;
  given: string;
  /** The account's tenant and user, for the audit log of a failure; null when there is no such account. */
  audit: Actor | null;
}

let dummyHash: Promise<string> | undefined;

/** Costs what a real verification costs, and always fails (no timing difference for unknown accounts). */
export async function spendVerification(secret: string): Promise<false> {
  await passwordHasher.verify(await (dummyHash ??= passwordHasher.hash(DUMMY_HASH_INPUT)), secret);
  return false;
}

/**
 * Every check of a password or PIN: refused unchecked while the target is throttled, otherwise verified
 * (or a dummy of the same cost), and the failure counted or the account's series cleared, in `tx`. For an
 * account, `tx` must hold its user row (`findUserForUpdate`) so concurrent attempts are checked one
 * after another.
 */
export async function checkSecret(tx: Tx, attempt: Attempt): Promise<Check> {
  const wait = await throttleWait(tx, attempt.target);
  if (wait > 0) return { kind: 'throttled', retryAfterSeconds: wait };

  const valid = attempt.storedHash
    ? await passwordHasher.verify(attempt.storedHash, attempt.given)
    : await spendVerification(attempt.given);
  if (valid) {
    await throttleClear(tx, attempt.target);
    return { kind: 'ok' };
  }
  const delaySeconds = await throttleFail(tx, attempt.target);
  if (attempt.audit) {
    await recordAudit(tx, attempt.audit, {
      action: 'auth.login_failed',
      entityType: 'user',
      entityId: attempt.audit.userId,
      data: { method: attempt.target.kind, delaySeconds },
    });
  }
  return { kind: 'wrong' };
}

/** The refusal of a failed check (the same for every account, known or not). */
export function checkRefusal(check: Exclude<Check, { kind: 'ok' }>, secretField?: string): DomainError {
  if (check.kind === 'throttled') {
    return new DomainError(
      'TOO_MANY_ATTEMPTS',
      'too many failed attempts; retry after the delay',
      undefined,
      check.retryAfterSeconds,
    );
  }
  return new DomainError(
    'INVALID_CREDENTIALS',
    'invalid credentials',
    secretField ? { [secretField]: ['is incorrect'] } : undefined,
  );
}
