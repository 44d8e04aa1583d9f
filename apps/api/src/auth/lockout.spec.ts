import { describe, expect, it } from 'vitest';
import { lockedUntil, lockoutSeconds, lockRemainingSeconds } from './lockout.js';

describe('account lockout', () => {
  it('does not lock before five consecutive failures', () => {
    expect([0, 1, 2, 3, 4].map(lockoutSeconds)).toEqual([0, 0, 0, 0, 0]);
  });

  it('locks 30 s at the fifth failure and doubles with each further one', () => {
    expect([5, 6, 7, 8, 9, 10, 11].map(lockoutSeconds)).toEqual([30, 60, 120, 240, 480, 960, 1920]);
  });

  it('never locks longer than an hour, however many failures', () => {
    expect(lockoutSeconds(12)).toBe(3600);
    expect(lockoutSeconds(13)).toBe(3600);
    expect(lockoutSeconds(10_000)).toBe(3600);
    expect(lockoutSeconds(Number.MAX_SAFE_INTEGER)).toBe(3600);
  });

  it('computes the end of the lock from now', () => {
    const now = new Date('2030-01-01T00:00:00Z');
    expect(lockedUntil(4, now)).toBeNull();
    expect(lockedUntil(5, now)).toEqual(new Date('2030-01-01T00:00:30Z'));
    expect(lockedUntil(6, now)).toEqual(new Date('2030-01-01T00:01:00Z'));
  });

  it('reports the whole seconds left, at least 1, and 0 once the lock has passed', () => {
    const now = new Date('2030-01-01T00:00:00Z');
    expect(lockRemainingSeconds(null, now)).toBe(0);
    expect(lockRemainingSeconds(new Date('2030-01-01T00:00:29.200Z'), now)).toBe(30);
    expect(lockRemainingSeconds(new Date('2030-01-01T00:00:00.001Z'), now)).toBe(1);
    expect(lockRemainingSeconds(now, now)).toBe(0);
    expect(lockRemainingSeconds(new Date('2029-12-31T23:59:59Z'), now)).toBe(0);
  });
});
