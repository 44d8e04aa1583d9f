import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApp } from '../../app.factory.js';
import { loadEnv } from '../../config/env.js';
import { createTenant } from '../../test/fixtures.js';

interface LogLine {
  level: number;
  msg: string;
  reqId?: string;
  tenantId?: string;
  userId?: string;
  context?: string;
  req?: { method: string; url: string; route?: string };
  res?: { statusCode: number };
}

describe('request logs', () => {
  const raw: string[] = [];
  const lines = () => raw.map((l) => JSON.parse(l) as LogLine);
  let app: NestFastifyApplication;

  beforeAll(async () => {
    const env = loadEnv(
      {
        DATABASE_URL: inject('db').appUrl,
        JWT_SECRET: randomBytes(32).toString('base64url'),
        LOG_LEVEL: 'info',
        AUTH_RATE_LIMIT_PER_MINUTE: '10000',
      },
      {},
    );
    app = await createApp(env, { logStream: { write: (chunk: string) => void raw.push(chunk) } });
    await app.getHttpAdapter().getInstance().ready();
  });
  afterAll(() => app.close());

  it('writes only JSON lines, Nest’s own included', () => {
    expect(raw.length).toBeGreaterThan(0);
    expect(() => lines()).not.toThrow();
    expect(lines().some((l) => l.context === 'NestApplication')).toBe(true);
  });

  it('one completion line per request, with its request id and route', async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/health/ready',
      headers: { 'x-request-id': 'ready-probe-1' },
    });
    expect(res.statusCode).toBe(200);
    const line = lines().find((l) => l.reqId === 'ready-probe-1' && l.msg === 'request completed');
    expect(line).toMatchObject({
      req: { method: 'GET', url: '/health/ready', route: '/health/ready' },
      res: { statusCode: 200 },
    });
  });

  it('never carries passwords, emails or tokens of a login', async () => {
    const secrets = {
      email: 'someone.secret@shop.test',
      password: 'Sup3r-secret-passw0rd',
      bearer: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLXNlY3JldA',
      cookie: 'session=c00kie-secret',
    };
    const res = await app.inject({
      method: 'POST',
      url: '/auth/login?email=someone.secret%40shop.test',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${secrets.bearer}`,
        cookie: secrets.cookie,
        'x-request-id': 'login-attempt-1',
      },
      payload: { email: secrets.email, password: secrets.password },
    });
    expect(res.statusCode).toBeGreaterThanOrEqual(400); // unknown account or query refused: either way logged
    expect(lines().some((l) => l.reqId === 'login-attempt-1' && l.msg === 'request completed')).toBe(true);
    const text = raw.join('');
    for (const secret of [
      secrets.email,
      'someone.secret',
      secrets.password,
      secrets.bearer,
      'c00kie-secret',
    ]) {
      expect(text).not.toContain(secret);
    }
  });

  it('carries the tenant and user of an authenticated request', async () => {
    const t = await createTenant(app);
    const res = await app.inject({
      method: 'GET',
      url: '/auth/me',
      headers: { ...t.cashier.headers, 'x-request-id': 'whoami-1' },
    });
    expect(res.statusCode).toBe(200);
    const line = lines().find((l) => l.reqId === 'whoami-1' && l.msg === 'request completed');
    expect(line).toMatchObject({ tenantId: t.tenantId, userId: t.cashier.id, res: { statusCode: 200 } });
    expect(raw.join('')).not.toContain(t.cashier.token);
    expect(raw.join('')).not.toContain(t.cashier.email);
  });
});
