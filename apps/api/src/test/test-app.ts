import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { inject } from 'vitest';
import { createApp } from '../app.factory.js';
import { loadEnv } from '../config/env.js';

/**
 * The real API on the integration run's PostgreSQL, reached with `app.inject` (no port needed).
 * Settings come only from `overrides` and the test database: the tests never read the shell's env.
 */
export async function createTestApp(overrides: Record<string, string> = {}): Promise<NestFastifyApplication> {
  const env = loadEnv(
    {
      NODE_ENV: 'test',
      DATABASE_URL: inject('db').appUrl,
      JWT_SECRET: randomBytes(32).toString('base64url'),
      LOG_LEVEL: 'silent',
      AUTH_RATE_LIMIT_PER_MINUTE: '10000',
      // The relay and consumers run only where a test starts them (events/*.int.spec.ts): one relay
      // per test app would publish the other test files' events under their feet.
      EVENTS_RUN_IN: 'worker',
      ...overrides,
    },
    {},
  );
  const app = await createApp(env);
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

/** A unique email for a test user. */
export const uniqueEmail = (prefix = 'user') => `${prefix}-${randomUUID().slice(0, 8)}@test.zakpos.dev`;
