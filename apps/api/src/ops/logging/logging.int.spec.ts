import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
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
        EVENTS_RUN_IN: 'worker', // no relay on the shared test database (see test-app.ts)
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

  it('logs every field of a completed request, in order', async () => {
    const t = await createTenant(app);
    const res = await app.inject({
      method: 'GET',
      url: '/auth/me?limit=1',
      headers: { ...t.cashier.headers, 'x-request-id': 'fields-1', 'user-agent': 'till/7' },
    });
    expect(res.statusCode).toBe(200);
    const line = lines().find(
      (l) => l.reqId === 'fields-1' && l.msg === 'request completed',
    ) as unknown as Record<string, unknown>;
    expect(Object.keys(line)).toEqual([
      'level',
      'time',
      'pid',
      'hostname',
      'reqId',
      'tenantId',
      'userId',
      'req',
      'res',
      'responseTime',
      'msg',
    ]);
    expect(line).toMatchObject({
      level: 30,
      pid: process.pid,
      tenantId: t.tenantId,
      userId: t.cashier.id,
      req: {
        method: 'GET',
        url: '/auth/me?limit=1',
        route: '/auth/me',
        remoteAddress: '127.0.0.1',
        userAgent: 'till/7',
      },
      res: { statusCode: 200 },
    });
    expect(Object.keys(line.req as object)).toEqual(['method', 'url', 'route', 'remoteAddress', 'userAgent']);
    expect(new Date(line.time as string).toISOString()).toBe(line.time);
    expect(line.responseTime).toBeTypeOf('number');
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

describe('request logs on stdout', () => {
  const logger = fileURLToPath(new URL('./logger.ts', import.meta.url));

  /** A process that logs to stdout as the API does, runs `body`, and whose stdout is read back. */
  function run(body: string): {
    lines: { msg: string; n?: number }[];
    status: number | null;
    stderr: string;
  } {
    const script = `
      const { createLogger, endLogs } = await import(${JSON.stringify(logger)});
      const log = createLogger({ level: 'info' });
      ${body}`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    const lines = child.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { msg: string; n?: number });
    return { lines, status: child.status, stderr: child.stderr };
  }

  it('loses no line when the process exits with a batch not yet written', () => {
    const { lines, status, stderr } = run(`
      log.info('request completed');
      log.info('shut down');
      process.exit(0);`);
    expect(status, stderr).toBe(0);
    expect(lines.map((l) => l.msg)).toEqual(['request completed', 'shut down']);
  });

  it('endLogs writes out every line, in order, before the process exits', () => {
    const { lines, status, stderr } = run(`
      for (let n = 0; n < 20000; n++) log.info({ n }, 'request completed');
      log.info('shut down');
      await endLogs(log);
      process.exit(0);`);
    expect(status, stderr).toBe(0);
    expect(lines).toHaveLength(20001);
    expect(lines.slice(0, -1).every((l, i) => l.n === i && l.msg === 'request completed')).toBe(true);
    expect(lines.at(-1)!.msg).toBe('shut down');
  });
});
