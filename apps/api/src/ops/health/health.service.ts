import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { HealthCheckResult, Readiness } from '@zakpos/contracts';
import { Database } from '../../db/database.js';
import { databaseCheck } from './database.check.js';
import { databaseRoleCheck } from './database-role.check.js';
import type { HealthCheck } from './health-check.js';
import { databaseMigrationsCheck } from './migrations.check.js';
import { ShutdownState } from './shutdown-state.js';

/** A check that has not answered by then counts as failed, so the probe itself never hangs. */
export const CHECK_TIMEOUT_MS = 3_000;

/**
 * Runs the readiness checks. The database, its migrations and the API role's privileges are always
 * checked; a module that adds a dependency (Redis, Kafka) registers its own check with `register()` when
 * that dependency is configured. An over-privileged role is also logged as an error at start-up.
 */
@Injectable()
export class HealthService implements OnApplicationBootstrap {
  private readonly checks: HealthCheck[];
  private readonly roleCheck: HealthCheck;

  constructor(
    @Inject(Database) db: Database,
    @Inject(ShutdownState) shutdown: ShutdownState = new ShutdownState(),
  ) {
    this.roleCheck = databaseRoleCheck(db);
    this.checks = [databaseCheck(db), databaseMigrationsCheck(db), this.roleCheck, shutdownCheck(shutdown)];
  }

  /** Not awaited: start-up does not wait on the database; readiness reports it either way. */
  onApplicationBootstrap(): void {
    void runCheck(this.roleCheck).then((result) => {
      if (!result.ok && result.refused) new Logger('Health').error(`not ready: ${result.error}`);
    });
  }

  register(check: HealthCheck): void {
    if (this.checks.some((c) => c.name === check.name))
      throw new Error(`health check ${check.name} registered twice`);
    this.checks.push(check);
  }

  async readiness(): Promise<Readiness> {
    const results = await Promise.all(
      this.checks.map(async (check) => {
        const result = await runCheck(check);
        return result.ok || !check.optional ? result : { ...result, degraded: true };
      }),
    );
    const checks = Object.fromEntries(this.checks.map((check, i) => [check.name, results[i]!]));
    const failing = results.filter((r) => !r.ok);
    const status =
      failing.length === 0 ? 'ok' : failing.every((r) => r.degraded) ? 'degraded' : 'unavailable';
    return { status, checks };
  }
}

async function runCheck(check: HealthCheck): Promise<HealthCheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([check.run(), timeout]);
  } catch (err) {
    return { ok: false, error: (err as Error).message || String(err) };
  } finally {
    clearTimeout(timer);
  }
}

/** Not ready once the process drains before shutting down. */
function shutdownCheck(state: ShutdownState): HealthCheck {
  return {
    name: 'shutdown',
    run: async () => (state.draining ? { ok: false, error: 'shutting down' } : { ok: true }),
  };
}
