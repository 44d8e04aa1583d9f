import { sql } from 'kysely';
import type { Tx } from '../db/database.js';

/**
 * Throttling of failed attempts, kept in PostgreSQL so every API instance sees the same state
 * (migration 0008: the policies table, the state table and its SECURITY DEFINER functions).
 *
 * A failure counts in up to three scopes of its kind: the account from every source, the account from
 * this source, and this source for every account. After a scope's free failures, each further failure
 * blocks it for base · 2^k seconds (k = 0, 1, …), up to a cap; a series is forgotten after a quiet spell.
 * A blocked scope is answered 429 with Retry-After before any secret is checked, identically for known
 * and unknown accounts (the account of a password is the email given, known or not). There is no lock:
 * a failure only delays the scopes it counted in, and the account's own scope from its owner's source is
 * not the one a stranger fills.
 *
 * | kind        | scope            | free | delays               | forgotten after |
 * | ----------- | ---------------- | ---- | -------------------- | --------------- |
 * | password    | account + source | 4    | 30 s doubling, ≤15 m | 1 h             |
 * | password    | account          | 20   | 1 s doubling, ≤60 s  | 1 h             |
 * | password    | source           | 100  | 1 s doubling, ≤15 m  | 1 h             |
 * | pin         | account          | 4    | 30 s doubling, ≤1 h  | 24 h            |
 * | pin         | source           | 20   | 1 s doubling, ≤15 m  | 1 h             |
 * | email_check | account (tenant) | 10   | 60 s doubling, ≤1 h  | 1 h             |
 * | email_check | source           | 20   | 60 s doubling, ≤1 h  | 1 h             |
 *
 * OWASP ASVS 4.0.3 V2.2.1 (at most 100 failed attempts per hour on one account): the password account
 * scope allows at most 20 + 6 (the delays 1…32 s take 63 s) + 3537 / 60 ≈ 59, so ≤ 85 in any hour, from
 * any number of sources; a series restarts only after an hour without failures. NIST SP 800-63B 5.2.2
 * (at most 100 consecutive failures, rate limiting rather than lockout where it would deny service): the
 * same bound, with delays instead of a lock; a PIN (4–6 digits, an activation secret for a register) gets
 * far fewer: 4 free, then at most one per hour once the delays reach their cap (about 24 a day).
 */
export type ThrottleKind = 'password' | 'pin' | 'email_check';

export interface ThrottleTarget {
  kind: ThrottleKind;
  /** The account: a password's email (lower case), a PIN's user id, a tenant for email checks; '' = none. */
  account: string;
  /** The client's IP address; '' = unknown. */
  source: string;
}

export const passwordTarget = (email: string, ip: string): ThrottleTarget => ({
  kind: 'password',
  account: email.toLowerCase(),
  source: ip,
});

export const pinTarget = (userId: string, ip: string): ThrottleTarget => ({
  kind: 'pin',
  account: userId,
  source: ip,
});

/** Seconds until an attempt on `target` may be checked; 0 = now. */
export async function throttleWait(tx: Tx, t: ThrottleTarget): Promise<number> {
  const { rows } = await sql<{
    wait: number;
  }>`select auth_throttle_wait(${t.kind}, ${t.account}, ${t.source}) as wait`.execute(tx);
  return rows[0]?.wait ?? 0;
}

/** Counts a failure; returns the longest delay it imposed, in seconds. */
export async function throttleFail(tx: Tx, t: ThrottleTarget): Promise<number> {
  const { rows } = await sql<{
    delay: number;
  }>`select auth_throttle_fail(${t.kind}, ${t.account}, ${t.source}) as delay`.execute(tx);
  return rows[0]?.delay ?? 0;
}

/** A success: the account's series end (from every source and from this one); the source's own stays. */
export async function throttleClear(tx: Tx, t: ThrottleTarget): Promise<void> {
  await sql`select auth_throttle_clear(${t.kind}, ${t.account}, ${t.source})`.execute(tx);
}

/** The account's secret was replaced: every series against it ends. */
export async function throttleForgetAccount(tx: Tx, kind: ThrottleKind, account: string): Promise<void> {
  await sql`select auth_throttle_forget_account(${kind}, ${account})`.execute(tx);
}

/** Answers that tell whether an email is registered (EMAIL_TAKEN), per tenant (null at signup) and source. */
export const emailCheckTarget = (tenantId: string | null, ip: string): ThrottleTarget => ({
  kind: 'email_check',
  account: tenantId ?? '',
  source: ip,
});
