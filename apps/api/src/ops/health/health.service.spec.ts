import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Database } from '../../db/database.js';
import { CHECK_TIMEOUT_MS, HealthService } from './health.service.js';
import { ShutdownState } from './shutdown-state.js';

/** A Database whose every transaction succeeds and reads every migration as applied. */
const healthyDb = (versions: string[]) =>
  ({ anonymous: async () => versions.map((version) => ({ version })) }) as unknown as Database;

describe('HealthService', () => {
  afterEach(() => vi.useRealTimers());

  it('runs registered checks by name and reports the failed one', async () => {
    const health = new HealthService(healthyDb([]));
    health.register({ name: 'redis', run: async () => ({ ok: true }) });
    health.register({
      name: 'kafka',
      run: async () => {
        throw new Error('broker down');
      },
    });
    const readiness = await health.readiness();
    expect(readiness.status).toBe('unavailable');
    expect(readiness.checks.redis).toEqual({ ok: true });
    expect(readiness.checks.kafka).toEqual({ ok: false, error: 'broker down' });
    expect(Object.keys(readiness.checks)).toEqual([
      'database',
      'migrations',
      'databaseRole',
      'shutdown',
      'redis',
      'kafka',
    ]);
  });

  it('is not ready once the process drains before shutting down', async () => {
    const shutdown = new ShutdownState();
    const health = new HealthService(healthyDb([]), shutdown);
    expect((await health.readiness()).checks.shutdown).toEqual({ ok: true });
    shutdown.draining = true;
    expect(await health.readiness()).toMatchObject({
      status: 'unavailable',
      checks: { shutdown: { ok: false, error: 'shutting down' } },
    });
  });

  it('refuses a second check of the same name', () => {
    const health = new HealthService(healthyDb([]));
    expect(() => health.register({ name: 'database', run: async () => ({ ok: true }) })).toThrow(/twice/);
  });

  it('counts a check that never answers as failed once the timeout passes', async () => {
    vi.useFakeTimers();
    const health = new HealthService(healthyDb([]));
    health.register({ name: 'stuck', run: () => new Promise(() => {}) });
    const pending = health.readiness();
    await vi.advanceTimersByTimeAsync(CHECK_TIMEOUT_MS);
    const readiness = await pending;
    expect(readiness.checks.stuck).toEqual({ ok: false, error: `no answer within ${CHECK_TIMEOUT_MS} ms` });
  });
});
