import type { IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';
import helmet from '@fastify/helmet';
import cors from '@fastify/cors';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { DestinationStream, Logger } from 'pino';
import { AppModule } from './app.module.js';
import { sendError } from './common/errors/error.filter.js';
import { fromFrameworkError } from './common/errors/error-mapping.js';
import { installUnroutedAnswer } from './common/http/unrouted.js';
import type { Env } from './config/env.js';
import { answerClientError } from './common/http/client-error.js';
import { createLogger } from './ops/logging/logger.js';
import { NestPinoLogger } from './ops/logging/nest-logger.js';
import { RequestLogController } from './ops/logging/request-log.controller.js';
import { setupOps } from './ops/ops.setup.js';
import { ShutdownState } from './ops/health/shutdown-state.js';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

export interface AppOptions {
  /** Where the JSON log lines go (stdout when absent); the tests read them back from here. */
  logStream?: DestinationStream;
}

/**
 * Nest installs the one Fastify error handler, which hands every error to the exception filters. It
 * wraps Fastify's own 4xx errors (bad JSON, oversized body) in an HttpException first, hiding their
 * code; here the ones the API knows become the DomainError the ErrorFilter turns into the error shape.
 */
class ApiFastifyAdapter extends FastifyAdapter {
  override mapException(error: unknown): unknown {
    return fromFrameworkError(error) ?? super.mapException(error);
  }
}

/** Builds the configured API (not yet listening). Used by main.ts and by the tests. */
export async function createApp(env: Env, options: AppOptions = {}): Promise<NestFastifyApplication> {
  const logger: Logger = createLogger({ level: env.LOG_LEVEL, stream: options.logStream });
  const adapter = new ApiFastifyAdapter({
    bodyLimit: env.BODY_LIMIT_BYTES,
    trustProxy: env.TRUST_PROXY,
    // Keep the caller's X-Request-Id when it is sane (nginx sets one), otherwise mint one.
    genReqId: (req: IncomingMessage) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    loggerInstance: logger,
    logController: new RequestLogController(),
    // What Node's parser refuses before routing (431 for a request line and headers over 16 KiB), in our shape.
    clientErrorHandler: answerClientError,
    // Errors of the router itself (a path parameter over maxParamLength: 414; bad percent-encoding).
    frameworkErrors: (error: Error, request: FastifyRequest, reply: FastifyReply) =>
      sendError(request, reply, error),
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.register(env), adapter, {
    logger: new NestPinoLogger(logger),
    // JSON only: Nest's parsers would add form-urlencoded, Fastify's own text/plain. Any other body is a 415.
    bodyParser: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  fastify.removeContentTypeParser('text/plain');
  const shutdown = app.get(ShutdownState);
  fastify.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
    if (shutdown.draining) reply.header('connection', 'close');
  });
  // HSTS is set by nginx, which terminates TLS. The API serves JSON only, and the docs page needs its inline script.
  await app.register(helmet, {
    contentSecurityPolicy: false,
    hsts: false,
    referrerPolicy: { policy: 'no-referrer' },
  });
  await app.register(cors, {
    origin: env.CORS_ORIGINS,
    credentials: false,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    exposedHeaders: ['x-request-id', 'retry-after'],
    maxAge: 600,
  });
  installUnroutedAnswer(fastify);
  await setupOps(app);
  await app.init();
  return app;
}
