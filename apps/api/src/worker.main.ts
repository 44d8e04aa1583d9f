import 'reflect-metadata';
import { createServer } from 'node:http';
import { loadEnvOrExit } from './config/env.js';
import { startTracing } from './telemetry/tracing.js';

/**
 * The worker: the same image and settings as the API, started as `node dist/worker.main.js`. It runs the
 * outbox relay and the event consumers (the API then runs them only with EVENTS_RUN_IN=api), and serves
 * its own probes and metrics on WORKER_PORT: /health/live, /health/ready, /metrics. SIGTERM stops the
 * relay after the batch in flight and exits 0.
 */
const env = loadEnvOrExit();

try {
  const tracing = await startTracing(env);
  const { NestFactory } = await import('@nestjs/core');
  const { WorkerModule } = await import('./worker.module.js');
  const { createLogger } = await import('./ops/logging/logger.js');
  const { NestPinoLogger } = await import('./ops/logging/nest-logger.js');
  const { HealthService } = await import('./ops/health/health.service.js');
  const { MetricsService } = await import('./ops/metrics/metrics.service.js');
  const log = createLogger({ level: env.LOG_LEVEL });
  const app = await NestFactory.createApplicationContext(WorkerModule.register(env), {
    logger: new NestPinoLogger(log),
  });
  await app.init();
  const health = app.get(HealthService);
  const metrics = app.get(MetricsService);
  const server = createServer((req, res) => {
    const send = (status: number, body: string, type = 'application/json') => {
      res.writeHead(status, { 'content-type': type }).end(body);
    };
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET') return send(405, JSON.stringify({ error: 'method not allowed' }));
    if (path === '/health/live') return send(200, JSON.stringify({ status: 'ok' }));
    if (path === '/health/ready') {
      void health.readiness().then((r) => send(r.status === 'unavailable' ? 503 : 200, JSON.stringify(r)));
      return;
    }
    if (path === '/metrics') {
      void metrics.render().then((text) => send(200, text, 'text/plain; version=0.0.4'));
      return;
    }
    send(404, JSON.stringify({ error: 'not found' }));
  });
  server.listen(env.WORKER_PORT, env.HOST, () => log.info({ port: env.WORKER_PORT }, 'worker started'));
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'worker stopping');
    setTimeout(() => process.exit(1), env.SHUTDOWN_GRACE_MS).unref();
    server.close();
    app
      .close()
      .then(() => tracing?.shutdown())
      .then(
        () => {
          log.info('worker stopped');
          process.exit(0);
        },
        (err: unknown) => {
          log.error({ err }, 'worker shutdown failed');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
} catch (err) {
  console.error(err);
  process.exit(1);
}
