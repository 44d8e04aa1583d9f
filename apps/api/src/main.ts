import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from './app.factory.js';
import { type Env, EnvError, loadEnv } from './config/env.js';

/**
 * On SIGTERM/SIGINT: stop accepting connections, let in-flight requests finish, close the database
 * pool, exit 0. Whatever is still running after SHUTDOWN_GRACE_MS is cut off with exit code 1.
 */
function stopGracefully(app: NestFastifyApplication, env: Env): void {
  const log = app.getHttpAdapter().getInstance().log;
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal, graceMs: env.SHUTDOWN_GRACE_MS }, 'shutting down');
    setTimeout(() => {
      log.error(
        { graceMs: env.SHUTDOWN_GRACE_MS },
        'shutdown grace period over: exiting with requests still open',
      );
      process.exit(1);
    }, env.SHUTDOWN_GRACE_MS).unref();
    app.close().then(
      () => {
        log.info('shut down');
        process.exit(0);
      },
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
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
  const app = await createApp(env);
  stopGracefully(app, env);
  await app.listen({ port: env.PORT, host: env.HOST });
} catch (err) {
  console.error(err);
  process.exit(1);
}
