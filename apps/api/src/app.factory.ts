import type { IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';
import helmet from '@fastify/helmet';
import cors from '@fastify/cors';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';
import { sendError } from './common/errors/error.filter.js';
import type { Env } from './config/env.js';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** Builds the configured API (not yet listening). Used by main.ts and by the tests. */
export async function createApp(env: Env): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: env.BODY_LIMIT_BYTES,
    trustProxy: env.TRUST_PROXY,
    // Keep the caller's X-Request-Id when it is sane (nginx sets one), otherwise mint one.
    genReqId: (req: IncomingMessage) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    logger: { level: env.LOG_LEVEL },
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.register(env), adapter, {
    logger: env.LOG_LEVEL === 'silent' ? false : ['error', 'warn'],
  });
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  // Errors raised before Nest sees the request (bad JSON, oversized body) get the same shape.
  fastify.setErrorHandler((error, request, reply) => sendError(request, reply, error));
  await app.register(helmet, { contentSecurityPolicy: false });
  await app.register(cors, { origin: env.CORS_ORIGINS, credentials: false });
  app.enableShutdownHooks();
  await app.init();
  return app;
}
