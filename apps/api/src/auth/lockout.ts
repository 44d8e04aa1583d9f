/** Consecutive failures allowed before the account locks. */
export const LOCKOUT_THRESHOLD = 5;
/** The first lock's length; each further failure doubles it. */
export const LOCKOUT_BASE_SECONDS = 30;
/** No lock lasts longer than this. */
export const LOCKOUT_MAX_SECONDS = 3600;

/** How long to lock an account that has just reached `failedCount` consecutive failures (0 = no lock). */
export function lockoutSeconds(failedCount: number): number {
  if (failedCount < LOCKOUT_THRESHOLD) return 0;
  const doublings = failedCount - LOCKOUT_THRESHOLD;
  // 30 s · 2^7 already exceeds the cap; stop before the exponent can overflow.
  if (doublings >= 7) return LOCKOUT_MAX_SECONDS;
  return Math.min(LOCKOUT_BASE_SECONDS * 2 ** doublings, LOCKOUT_MAX_SECONDS);
}

/** When a lock set now for `failedCount` failures ends, or null when there is none. */
export function lockedUntil(failedCount: number, now: Date): Date | null {
  const seconds = lockoutSeconds(failedCount);
  return seconds === 0 ? null : new Date(now.getTime() + seconds * 1000);
}

/** Whole seconds (at least 1) left on a lock, or 0 when the account is not locked at `now`. */
export function lockRemainingSeconds(until: Date | null, now: Date): number {
  if (!until || until.getTime() <= now.getTime()) return 0;
  return Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
}
