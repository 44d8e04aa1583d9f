import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApp } from '../../app.factory.js';
import { loadEnv } from '../../config/env.js';
import { checkedInject } from '../../test/contract-check.js';

const ROLE = 'zakpos_app_overprivileged';

/**
 * The API refuses to be ready on a database role that may do more than the API needs: TEMP or CREATE on
 * the database, CREATE on schema public, BYPASSRLS or superuser. The role here is the API role (a member
 * of zakpos_app, so zakpos_app itself stays as the other test files expect) plus one privilege at a time.
 */
describe('readiness on an over-privileged database role', () => {
  let su: pg.Client;
  let app: NestFastifyApplication;
  const log: string[] = [];
  const database = new URL(inject('db').appUrl).pathname.slice(1);

  const ready = async () => {
    const res = await checkedInject(app, { method: 'GET', url: '/health/ready' });
    return { status: res.statusCode, body: res.json() };
  };

  beforeAll(async () => {
    su = new pg.Client({ connectionString: inject('db').superuserUrl });
    await su.connect();
    const appUrl = new URL(inject('db').appUrl);
    const password = randomBytes(18).toString('base64url');
    await su.query(`drop role if exists ${ROLE}`);
    await su.query(`create role ${ROLE} login password '${password}' in role ${appUrl.username}`);
    await su.query(`grant temporary on database ${database} to ${ROLE}`);
    const url = new URL(appUrl);
    url.username = ROLE;
    url.password = password;
    const env = loadEnv(
      {
        DATABASE_URL: url.toString(),
        JWT_SECRET: randomBytes(32).toString('base64url'),
        LOG_LEVEL: 'info',
        EVENTS_RUN_IN: 'worker', // no relay on the shared test database (see test-app.ts)
      },
      {},
    );
    app = await createApp(env, { logStream: { write: (chunk: string) => void log.push(chunk) } });
    await app.getHttpAdapter().getInstance().ready();
  });
  afterAll(async () => {
    await app?.close();
    await su?.query(`revoke all on database ${database} from ${ROLE}`);
    await su?.query(`revoke all on schema public from ${ROLE}`);
    await su?.query(`drop role if exists ${ROLE}`);
    await su?.end();
  });

  it('logs at start-up that the role may create temporary objects, naming the fix', async () => {
    let line: { level: number; msg: string } | undefined;
    for (let i = 0; i < 200 && !line; i++) {
      line = log.map((l) => JSON.parse(l)).find((l) => /TEMP/.test(l.msg));
      if (!line) await new Promise((r) => setTimeout(r, 25));
    }
    expect(line?.level).toBe(50); // error
    expect(line?.msg).toContain(`REVOKE TEMPORARY ON DATABASE ${database} FROM PUBLIC, ${ROLE}`);
  });

  it('TEMP on the database: not ready, the message names the privilege and the REVOKE', async () => {
    const { status, body } = await ready();
    expect(status).toBe(503);
    expect(body.checks.database).toEqual({ ok: true });
    expect(body.checks.databaseRole.ok).toBe(false);
    expect(body.checks.databaseRole.refused).toEqual(['TEMP']);
    expect(body.checks.databaseRole.error).toContain(
      `role ${ROLE} has TEMP on database ${database}: REVOKE TEMPORARY ON DATABASE ${database} FROM PUBLIC, ${ROLE}`,
    );
  });

  it('CREATE on the database, then on schema public: each is named with its REVOKE', async () => {
    await su.query(`revoke temporary on database ${database} from ${ROLE}`);
    await su.query(`grant create on database ${database} to ${ROLE}`);
    let { body } = await ready();
    expect(body.checks.databaseRole.refused).toEqual(['CREATE']);
    expect(body.checks.databaseRole.error).toContain(
      `REVOKE CREATE ON DATABASE ${database} FROM PUBLIC, ${ROLE}`,
    );
    await su.query(`revoke create on database ${database} from ${ROLE}`);
    await su.query(`grant create on schema public to ${ROLE}`);
    ({ body } = await ready());
    expect(body.checks.databaseRole.refused).toEqual(['CREATE ON SCHEMA public']);
    expect(body.checks.databaseRole.error).toContain(`REVOKE CREATE ON SCHEMA public FROM PUBLIC, ${ROLE}`);
    await su.query(`revoke create on schema public from ${ROLE}`);
  });

  it('BYPASSRLS, then superuser: not ready, naming the ALTER ROLE', async () => {
    await su.query(`alter role ${ROLE} bypassrls`);
    let { status, body } = await ready();
    expect(status).toBe(503);
    expect(body.checks.databaseRole.refused).toEqual(['BYPASSRLS']);
    expect(body.checks.databaseRole.error).toContain(`ALTER ROLE ${ROLE} NOBYPASSRLS`);
    await su.query(`alter role ${ROLE} nobypassrls superuser`);
    ({ status, body } = await ready());
    expect(status).toBe(503);
    expect(body.checks.databaseRole.refused).toContain('SUPERUSER');
    expect(body.checks.databaseRole.error).toContain(`ALTER ROLE ${ROLE} NOSUPERUSER`);
    await su.query(`alter role ${ROLE} nosuperuser`);
  });

  it('ready again once the role has only what the API needs', async () => {
    const { status, body } = await ready();
    expect(body.checks.databaseRole).toEqual({ ok: true });
    expect(status).toBe(200);
  });
});
