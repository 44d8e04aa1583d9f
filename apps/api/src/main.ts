import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';
import { type Env, EnvError, loadEnv } from './config/env.js';
import { endLogs } from './ops/logging/logger.js';
import { startTracing, type Tracing } from './telemetry/tracing.js';

/** How long exiting waits for the log to be written out when its destination does not take it. */
const LOG_DRAIN_MS = 2_000;

/**
 * On SIGTERM/SIGINT: stop accepting connections, let in-flight requests finish, close the database
 * pool, export the spans still buffered, log "shut down" as the last line, exit 0. Whatever is still
 * running after SHUTDOWN_GRACE_MS is cut off with exit code 1.
 */
function stopGracefully(app: NestFastifyApplication, env: Env, tracing: Tracing | undefined): void {
  const log = app.getHttpAdapter().getInstance().log;
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
    log.info({ signal, graceMs: env.SHUTDOWN_GRACE_MS }, 'shutting down');
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
    app
      .close()
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

let env: Env;
try {
  env = loadEnv();
} catch (err) {
  console.error(err instanceof EnvError ? err.message : err);
  process.exit(1);
}

try {
  // Tracing first: its instrumentations patch http and pg as the app's modules load them.
  const tracing = await startTracing(env);
  const { createApp } = await import('./app.factory.js');
  const app = await createApp(env);
  const log = app.getHttpAdapter().getInstance().log;
  if (tracing)
    log.info({ service: env.OTEL_SERVICE_NAME, sampleRatio: env.OTEL_TRACES_SAMPLER_ARG }, 'tracing on');
  else log.debug('tracing off: OTEL_EXPORTER_OTLP_ENDPOINT is not set');
  stopGracefully(app, env, tracing);
  await app.listen({ port: env.PORT, host: env.HOST });
} catch (err) {
  console.error(err);
  process.exit(1);
}
