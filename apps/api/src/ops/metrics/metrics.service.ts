import { Inject, Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { Database } from '../../db/database.js';

/** Label of requests no route matched: the raw URL would make one series per scanner probe. */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * The Prometheus metrics of one app instance, in a registry of its own (not prom-client's global
 * one), so several apps in one process (the tests) never clash.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly httpDuration: Histogram<'method' | 'route' | 'status_code'>;

  constructor(@Inject(Database) db: Database) {
    collectDefaultMetrics({ register: this.registry });
    this.httpDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration by method, route template and status code',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
    const poolGauge = (name: string, help: string, pick: (s: ReturnType<Database['poolStats']>) => number) =>
      new Gauge({
        name,
        help,
        registers: [this.registry],
        collect() {
          this.set(pick(db.poolStats()));
        },
      });
    poolGauge('db_pool_connections', 'Connections open in the database pool', (s) => s.total);
    poolGauge('db_pool_idle_connections', 'Idle connections in the database pool', (s) => s.idle);
    poolGauge('db_pool_waiting_clients', 'Queries waiting for a free database connection', (s) => s.waiting);

    // The backlog is the database's, so every replica reports the same figure (the alert takes the max).
    const backlog = () =>
      db.anonymous(
        async (tx) =>
          (
            await sql<{ pending: number; oldest: Date | null }>`select * from app_outbox_backlog()`.execute(
              tx,
            )
          ).rows[0]!,
      );
    new Gauge({
      name: 'zakpos_outbox_pending',
      help: 'Outbox events not yet published (to Kafka, or to the in-process consumers)',
      registers: [this.registry],
      async collect() {
        this.set((await backlog()).pending);
      },
    });
    new Gauge({
      name: 'zakpos_outbox_oldest_pending_age_seconds',
      help: 'Age of the oldest outbox event not yet published; 0 when none is pending',
      registers: [this.registry],
      async collect() {
        const { oldest } = await backlog();
        this.set(oldest ? Math.max(0, (Date.now() - oldest.getTime()) / 1000) : 0);
      },
    });
  }

  /** `route` is the route template (/products/:id), or undefined when no route matched. */
  observeRequest(method: string, route: string | undefined, statusCode: number, seconds: number): void {
    this.httpDuration.observe(
      { method, route: route ?? UNMATCHED_ROUTE, status_code: String(statusCode) },
      seconds,
    );
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}
