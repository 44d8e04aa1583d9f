import type { Redis } from 'ioredis';
import type { RateLimitDecision, RateLimiter } from './rate-limiter.js';

// One round trip, atomic: the window's first request creates the key and starts its expiry, as the
// in-memory limiter opens a window on a key's first request.
const CONSUME = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {n, ttl}
`;

/**
 * The same fixed windows as InMemoryRateLimiter, counted in Redis, so every API replica spends one budget
 * per key. While Redis cannot answer, the replica counts in its own memory (`fallback`) rather than
 * refusing logins or letting them through unbounded: each replica then allows the limit on its own until
 * Redis is back.
 */
export class RedisRateLimiter implements RateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly limit: number,
    private readonly fallback: RateLimiter,
    private readonly windowMs = 60_000,
    private readonly prefix = 'zakpos:ratelimit:',
  ) {
    redis.defineCommand('zakposRateLimit', { numberOfKeys: 1, lua: CONSUME });
  }

  async consume(key: string): Promise<RateLimitDecision> {
    let reply: [number, number];
    try {
      const run = (this.redis as unknown as RateLimitCommand).zakposRateLimit;
      reply = await run.call(this.redis, `${this.prefix}${key}`, this.windowMs);
    } catch {
      return this.fallback.consume(key);
    }
    const [count, ttlMs] = reply;
    return {
      allowed: count <= this.limit,
      remaining: Math.max(0, this.limit - count),
      retryAfterSeconds: Math.max(1, Math.ceil(ttlMs / 1000)),
    };
  }
}

interface RateLimitCommand {
  zakposRateLimit(key: string, windowMs: number): Promise<[number, number]>;
}
