import { z } from 'zod';
import { endpoint } from './endpoint.js';

/** The result of one named readiness check. Checks may add details (the migrations check lists `pending`). */
export const healthCheckResult = z.looseObject({
  ok: z.boolean(),
  error: z.string().optional(),
  /** A failing check of a part the API works on without (Kafka, Redis): the API is degraded, not down. */
  degraded: z.boolean().optional(),
});
export type HealthCheckResult = z.infer<typeof healthCheckResult>;

export const liveness = z.object({ status: z.literal('ok') });
export type Liveness = z.infer<typeof liveness>;

/**
 * 200 with status 'ok' when every check passes, or 'degraded' when only checks of optional parts (Kafka,
 * Redis) fail: it still serves, with events waiting in the outbox or jobs run in process. Otherwise 503 with
 * status 'unavailable' (same shape).
 */
export const readiness = z.object({
  status: z.enum(['ok', 'degraded', 'unavailable']),
  checks: z.record(z.string(), healthCheckResult),
});
export type Readiness = z.infer<typeof readiness>;

/** An OpenAPI document (its shape is the OpenAPI 3.1 specification's). */
export const openApiDocument = z.looseObject({ openapi: z.string() });

export const opsEndpoints = {
  live: endpoint({
    method: 'GET',
    path: '/health/live',
    summary: 'Liveness: 200 while the process runs',
    tag: 'ops',
    access: 'public',
    response: liveness,
  }),
  ready: endpoint({
    method: 'GET',
    path: '/health/ready',
    summary:
      'Readiness: 200 when the database is reachable, migrations are current and the API role has no TEMP, CREATE, BYPASSRLS or superuser, else 503',
    tag: 'ops',
    access: 'public',
    response: readiness,
    otherStatuses: [503],
  }),
  metrics: endpoint({
    method: 'GET',
    path: '/metrics',
    summary: 'Prometheus metrics (text exposition format 0.0.4)',
    tag: 'ops',
    access: 'public',
    response: z.string(),
  }),
  openApi: endpoint({
    method: 'GET',
    path: '/docs/openapi.json',
    summary: 'This OpenAPI 3.1 document, generated from the contracts',
    tag: 'ops',
    access: 'public',
    response: openApiDocument,
  }),
};
