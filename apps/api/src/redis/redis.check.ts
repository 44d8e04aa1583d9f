import type { Redis } from 'ioredis';
import type { HealthCheck } from '../ops/health/health-check.js';

/** Redis answers a PING. Optional: without it the API sells on, uncached, with jobs run in process. */
export function redisCheck(redis: Redis): HealthCheck {
  return {
    name: 'redis',
    optional: true,
    async run() {
      const reply = await redis.ping();
      return reply === 'PONG' ? { ok: true } : { ok: false, error: `unexpected reply ${reply}` };
    },
  };
}
