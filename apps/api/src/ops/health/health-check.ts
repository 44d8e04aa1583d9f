import type { HealthCheckResult } from '@zakpos/contracts';

/** One named dependency the readiness probe checks (database, migrations; later Redis, Kafka…). */
export interface HealthCheck {
  readonly name: string;
  /** The API works on without it (Kafka, Redis): failing, it makes the API degraded, not unavailable. */
  readonly optional?: boolean;
  run(): Promise<HealthCheckResult>;
}
