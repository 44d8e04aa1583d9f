import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';
import { type Env, loadEnvOrExit } from './config/env.js';
import type { ShutdownState } from './ops/health/shutdown-state.js';
import { endLogs } from './ops/logging/logger.js';
import { startTracing, type Tracing } from './telemetry/tracing.js';

/** How long exiting waits for the log to be written out when its destination does not take it. */
const LOG_DRAIN_MS = 2_000;

/**
 * On SIGTERM/SIGINT: drain for SHUTDOWN_DRAIN_MS (keep serving, readiness 503, every response closes its
 * connection, so a proxy never reuses one as it closes), then stop accepting connections, let in-flight requests
 * finish, close the database pool, stay up SHUTDOWN_LINGER_MS more (connections refused at once, so a proxy
 * retries elsewhere and marks this replica failed before its address stops existing), export the spans still
 * buffered, log "shut down" as the last line, exit 0. Whatever is still running after SHUTDOWN_GRACE_MS is cut
 * off with exit code 1.
 */
function stopGracefully(
  app: NestFastifyApplication,
  shutdown: ShutdownState,
  env: Env,
  tracing: Tracing | undefined,
): void {
  const fastify = app.getHttpAdapter().getInstance();
  const log = fastify.log;
  let stopping = false;
  let exiting = false;
  const exit = (code: number) => {
    exiting = true;
    setTimeout(() => process.exit(code), LOG_DRAIN_MS).unref();
    // Fastify's `log` is the pino logger createApp made.
    void endLogs(log as Logger).then(() => process.exit(code));
  };
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    shutdown.draining = true;
    log.info({ signal, drainMs: env.SHUTDOWN_DRAIN_MS, graceMs: env.SHUTDOWN_GRACE_MS }, 'shutting down');
    setTimeout(() => {
      if (exiting) return;
      log.error(
        { graceMs: env.SHUTDOWN_GRACE_MS },
        'shutdown grace period over: exiting with requests still open',
      );
      exit(1);
    }, env.SHUTDOWN_GRACE_MS).unref();
    // app.close() resolves once the server has closed every connection, so each request's "request
    // completed" line (logged when its response finished, before its connection closes) comes first.
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    sleep(env.SHUTDOWN_DRAIN_MS)
      .then(() => app.close())
      .then(() => {
        if (env.SHUTDOWN_LINGER_MS > 0) log.info({ lingerMs: env.SHUTDOWN_LINGER_MS }, 'closed; lingering');
        return sleep(env.SHUTDOWN_LINGER_MS);
      })
      .then(() => tracing?.shutdown())
      .then(
        () => {
          if (exiting) return;
          log.info('shut down');
          exit(0);
        },
        (err: unknown) => {
          if (exiting) return;
          log.error({ err }, 'shutdown failed');
          exit(1);
        },
      );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

const env = loadEnvOrExit();

try {
  // Tracing first: its instrumentations patch http and pg as the app's modules load them.
  const tracing = await startTracing(env);
  const { createApp } = await import('./app.factory.js');
  const app = await createApp(env);
  const log = app.getHttpAdapter().getInstance().log;
  if (tracing)
    log.info({ service: env.OTEL_SERVICE_NAME, sampleRatio: env.OTEL_TRACES_SAMPLER_ARG }, 'tracing on');
  else log.debug('tracing off: OTEL_EXPORTER_OTLP_ENDPOINT is not set');
  const { ShutdownState } = await import('./ops/health/shutdown-state.js');
  stopGracefully(app, app.get(ShutdownState), env, tracing);
  await app.listen({ port: env.PORT, host: env.HOST });
} catch (err) {
  console.error(err);
  process.exit(1);
}
