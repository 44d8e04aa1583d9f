import type { HealthCheckResult } from '@zakpos/contracts';

/** One named dependency the readiness probe checks (database, migrations; later Redis, Kafka…). */
export interface HealthCheck {
  readonly name: string;
  run(): Promise<HealthCheckResult>;
}
