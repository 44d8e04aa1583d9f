import { describe, expect, it } from 'vitest';
import { InMemoryRateLimiter } from './rate-limiter.js';

const clock = (start = 1_000_000) => {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
};

describe('InMemoryRateLimiter', () => {
  it('allows up to the limit in a window, then refuses with the seconds left in the window', async () => {
    const time = clock();
    const limiter = new InMemoryRateLimiter(3, 60_000, time.now);
    const decisions = [];
    for (let i = 0; i < 3; i++) decisions.push(await limiter.consume('ip'));
    time.advance(15_000);
    decisions.push(await limiter.consume('ip'));
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false]);
    expect(decisions.map((d) => d.remaining)).toEqual([2, 1, 0, 0]);
    expect(decisions[3]!.retryAfterSeconds).toBe(45);
  });

  it('rounds the retry delay up and never answers 0', async () => {
    const time = clock();
    const limiter = new InMemoryRateLimiter(1, 60_000, time.now);
    await limiter.consume('a');
    time.advance(100);
    await limiter.consume('b');
    expect(await limiter.consume('b')).toMatchObject({ allowed: false, retryAfterSeconds: 60 });
    time.advance(59_899);
    expect(await limiter.consume('a')).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
  });

  it('opens a fresh window once the old one has ended', async () => {
    const time = clock();
    const limiter = new InMemoryRateLimiter(2, 60_000, time.now);
    await limiter.consume('ip');
    await limiter.consume('ip');
    time.advance(59_999);
    expect((await limiter.consume('ip')).allowed).toBe(false);
    time.advance(1);
    expect(await limiter.consume('ip')).toMatchObject({ allowed: true, remaining: 1, retryAfterSeconds: 60 });
  });

  it('keeps separate budgets per key', async () => {
    const limiter = new InMemoryRateLimiter(1, 60_000, () => 0);
    expect((await limiter.consume('a')).allowed).toBe(true);
    expect((await limiter.consume('a')).allowed).toBe(false);
    expect((await limiter.consume('b')).allowed).toBe(true);
  });

  it('forgets keys whose window has ended', async () => {
    const time = clock();
    const limiter = new InMemoryRateLimiter(5, 60_000, time.now);
    for (let i = 0; i < 100; i++) await limiter.consume(`ip-${i}`);
    expect(limiter.size).toBe(100);
    time.advance(60_000);
    await limiter.consume('fresh');
    expect(limiter.size).toBe(1);
  });
});
