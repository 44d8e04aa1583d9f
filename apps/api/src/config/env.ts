import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * The one place that reads the environment. Every setting is validated once at boot;
 * a missing or invalid one stops the process with a message naming the variable.
 * A variable X may instead be given as X_FILE, the path of a file holding the value (Docker secrets).
 */
const csv = z.string().transform((s) =>
  s
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean),
);

/** `key=value` pairs separated by commas, values percent-encoded (the OTLP exporter header format). */
const OTLP_HEADERS = /^\s*[!#$%&'*+.^_`|~0-9A-Za-z-]+\s*=[^,]*(,\s*[!#$%&'*+.^_`|~0-9A-Za-z-]+\s*=[^,]*)*$/;
const otlpHeaders = z
  .string()
  .regex(OTLP_HEADERS, 'must be key=value pairs separated by commas')
  .transform((s, ctx) => {
    const headers: Record<string, string> = {};
    for (const pair of s.split(',')) {
      const at = pair.indexOf('=');
      try {
        headers[pair.slice(0, at).trim()] = decodeURIComponent(pair.slice(at + 1).trim());
      } catch {
        ctx.issues.push({ code: 'custom', message: 'has a malformed percent-encoding', input: s });
        return z.NEVER;
      }
    }
    return headers;
  });

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Connection string of the application role (not owner, not superuser, NOBYPASSRLS). */
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }),
  /** Connection string of the owner role; only the migrate step uses it. */
  MIGRATION_DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  /** HMAC secret for access tokens: at least 32 bytes. */
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters'),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(86_400).default(900),
  REFRESH_TOKEN_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(300)
    .max(90 * 86_400)
    .default(30 * 86_400),
  CORS_ORIGINS: csv.default([]),
  BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(50 * 1024 * 1024)
    .default(1024 * 1024),
  TRUST_PROXY: z.stringbool().default(false),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Per-IP budget of each public auth route (signup, login, PIN login, refresh), per minute. */
  AUTH_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(20),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(120_000).default(10_000),
  /**
   * How long the one-shot migrate step waits for a PostgreSQL that does not accept connections yet:
   * `docker compose restart` starts it beside the database, not after it is healthy.
   */
  MIGRATE_WAIT_MS: z.coerce.number().int().min(0).max(600_000).default(90_000),
  /**
   * On SIGTERM, how long the API keeps serving (readiness 503, every response `Connection: close`) before it stops
   * listening, so a proxy's kept-alive connections end after a response and never race its close. Behind nginx:
   * more than its upstream keepalive_timeout (docker/nginx/conf.d/api.conf). Counts within SHUTDOWN_GRACE_MS.
   */
  SHUTDOWN_DRAIN_MS: z.coerce.number().int().min(0).max(60_000).default(0),
  /**
   * After it stops listening, how long the process stays up (its connections refused at once) before it exits.
   * In Docker a replica's address leaves the DNS only when its container stops, and nginx keeps the answer
   * for a while: refused connections make it retry another replica and mark this one failed, where a gone
   * address would cost a connect timeout. Counts within SHUTDOWN_GRACE_MS.
   */
  SHUTDOWN_LINGER_MS: z.coerce.number().int().min(0).max(60_000).default(0),
  /**
   * Kafka brokers (host:port, comma-separated). Set: the outbox relay publishes every event to Kafka and the
   * consumers read them there. Unset (the embedded default): the relay hands them to the same consumers
   * in this process.
   */
  KAFKA_BROKERS: csv
    .pipe(z.array(z.string().regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, 'must be host:port[,host:port…]')).min(1))
    .optional(),
  /**
   * Redis (redis://[:password@]host:port[/db]). Set: jobs go to BullMQ queues served by the worker, lookups
   * are cached there, the auth limits and the Socket.IO adapter are shared by every replica. Unset (the
   * embedded default): jobs run in this process, nothing is cached, limits and sockets are per process.
   */
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  /** Where this process runs the outbox relay and the event consumers: `api` (default) or `worker` only. */
  EVENTS_RUN_IN: z.enum(['api', 'worker']).default('api'),
  /**
   * The SMTP server emailed receipts and alerts go through (smtp://[user:password@]host:port, smtps:// for
   * TLS). Unset: emailing a receipt answers 503 and low-stock alerts are recorded but not emailed.
   */
  SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
  MAIL_FROM: z.string().min(3).max(200).default('ZakPOS <receipts@zakpos.invalid>'),
  /** The worker process's port for its probes and metrics (worker.main.ts). */
  WORKER_PORT: z.coerce.number().int().min(0).max(65535).default(3001),
  /** How often the relay looks for new outbox rows when it found none, and how many it publishes at once. */
  OUTBOX_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(100),
  OUTBOX_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(500),
  /**
   * The folder finished report exports are kept in (one machine: the embedded default sets <data>/exports).
   * Unset, with no S3_BUCKET either: exporting a report answers 503.
   */
  EXPORTS_DIR: z.string().min(1).optional(),
  /**
   * An S3-compatible bucket for report exports, shared by every replica and the worker (MinIO in the stack);
   * it wins over EXPORTS_DIR. S3_ENDPOINT for anything but AWS (path-style requests then), and its keys.
   */
  S3_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name')
    .optional(),
  S3_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  S3_REGION: z.string().min(1).max(50).default('us-east-1'),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  /** OTLP/HTTP base URL of the trace collector (`/v1/traces` is appended). Unset: tracing off, the SDK never loads. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  OTEL_SERVICE_NAME: z.string().min(1).max(200).default('zakpos-api'),
  /** Headers sent with every export, e.g. the collector's API key. */
  OTEL_EXPORTER_OTLP_HEADERS: otlpHeaders.optional(),
  /** Share of new traces recorded, 0..1; a traced caller's decision (traceparent) is followed. */
  OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).default(1),
});

export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {}

/**
 * Validates the environment. `fallbacks` fill only variables the environment leaves unset
 * (the embedded default uses them for its generated database URLs and secrets).
 */
export function loadEnv(
  fallbacks: Record<string, string | undefined> = {},
  source: Record<string, string | undefined> = process.env,
): Env {
  const resolved: Record<string, string | undefined> = { ...fallbacks };
  for (const [key, value] of Object.entries(source))
    if (value !== undefined && value !== '') resolved[key] = value;
  for (const key of Object.keys(envSchema.shape)) {
    const file = source[`${key}_FILE`];
    if (source[key] === undefined && file) {
      try {
        resolved[key] = readFileSync(file, 'utf8').trim();
      } catch (err) {
        throw new EnvError(`${key}_FILE: cannot read ${file}: ${(err as Error).message}`);
      }
    }
  }
  const parsed = envSchema.safeParse(resolved);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new EnvError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const { SHUTDOWN_DRAIN_MS: drain, SHUTDOWN_LINGER_MS: linger, SHUTDOWN_GRACE_MS: grace } = parsed.data;
  if (drain + linger > 0 && drain + linger >= grace)
    throw new EnvError(
      `Invalid configuration:\n  SHUTDOWN_DRAIN_MS: with SHUTDOWN_LINGER_MS must stay below SHUTDOWN_GRACE_MS (${grace}), they count within it`,
    );
  if (parsed.data.S3_BUCKET) {
    const missing = (['S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const).filter((k) => !parsed.data[k]);
    if (missing.length)
      throw new EnvError(
        `Invalid configuration:\n${missing.map((k) => `  ${k}: is needed with S3_BUCKET`).join('\n')}`,
      );
  }
  return parsed.data;
}

/** The environment of a process's entry point (main.ts, worker.main.ts): an invalid one is printed, exit 1. */
export function loadEnvOrExit(): Env {
  try {
    return loadEnv();
  } catch (err) {
    console.error(err instanceof EnvError ? err.message : err);
    process.exit(1);
  }
}

/** Nest injection token for the validated configuration. */
export const ENV = Symbol('ENV');
