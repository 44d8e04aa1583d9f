import { randomBytes } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../../common/net/free-port.js';
import { readMigrations } from '../../db/migrator.js';
import { createTestApp } from '../../test/test-app.js';
import { checkedInject } from '../../test/contract-check.js';

describe('health probes', () => {
  let app: NestFastifyApplication;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(() => app.close());

  it('live answers 200 without a token', async () => {
    const res = await checkedInject(app, { method: 'GET', url: '/health/live' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('ready answers 200 when the database answers, every migration is applied and the role is not over-privileged', async () => {
    const res = await checkedInject(app, { method: 'GET', url: '/health/ready' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      status: 'ok',
      checks: {
        database: { ok: true },
        migrations: { ok: true, pending: [] },
        databaseRole: { ok: true },
        shutdown: { ok: true },
      },
    });
  });
});

describe('readiness when the database is unreachable', () => {
  let app: NestFastifyApplication;
  beforeAll(async () => {
    const closedPort = await freePort(); // nothing listens there
    app = await createTestApp({ DATABASE_URL: `postgres://zakpos_app:x@127.0.0.1:${closedPort}/zakpos` });
  });
  afterAll(() => app.close());

  it('answers 503 naming the failed checks, while live stays 200', async () => {
    const res = await checkedInject(app, { method: 'GET', url: '/health/ready' });
    expect(res.statusCode).toBe(503);
    const body = res.json();
    expect(body.status).toBe('unavailable');
    expect(body.checks.database.ok).toBe(false);
    expect(body.checks.database.error).toMatch(/ECONNREFUSED/);
    expect(body.checks.migrations.ok).toBe(false);
    expect((await checkedInject(app, { method: 'GET', url: '/health/live' })).statusCode).toBe(200);
  });
});

describe('readiness when migrations are pending', () => {
  const database = `zakpos_ready_${randomBytes(4).toString('hex')}`;
  let admin: pg.Client;
  let app: NestFastifyApplication;
  const inDatabase = (url: string) => {
    const u = new URL(url);
    u.pathname = `/${database}`;
    return u.toString();
  };

  beforeAll(async () => {
    admin = new pg.Client({ connectionString: inject('db').superuserUrl });
    await admin.connect();
    await admin.query(`create database ${database} owner zakpos_owner`);
    // As bootstrap.ts does: PostgreSQL gives PUBLIC TEMP on a new database, which readiness refuses.
    await admin.query(`revoke all on database ${database} from public`);
    await admin.query(`grant connect on database ${database} to zakpos_app`);
    app = await createTestApp({ DATABASE_URL: inDatabase(inject('db').appUrl) });
  });
  afterAll(async () => {
    await app?.close();
    // The pool's sockets close just after close() resolves; dropping under them would kill them mid-goodbye.
    for (let i = 0; i < 100; i++) {
      const { rows } = await admin.query(
        'select count(*)::int as n from pg_stat_activity where datname = $1',
        [database],
      );
      if (rows[0].n === 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    await admin.query(`drop database if exists ${database} with (force)`);
    await admin.end();
  });

  it('a database never migrated: every migration is pending', async () => {
    const res = await checkedInject(app, { method: 'GET', url: '/health/ready' });
    expect(res.statusCode).toBe(503);
    const all = (await readMigrations()).map((m) => m.name);
    expect(all.length).toBeGreaterThan(1);
    expect(res.json()).toEqual({
      status: 'unavailable',
      checks: {
        database: { ok: true },
        migrations: { ok: false, pending: all },
        databaseRole: { ok: true },
        shutdown: { ok: true },
      },
    });
  });

  it('a database behind the files on disk: the missing ones are listed', async () => {
    const [first, ...rest] = await readMigrations();
    const owner = new pg.Client({ connectionString: inDatabase(inject('db').superuserUrl) });
    await owner.connect();
    try {
      await owner.query(
        'create table schema_migrations (version text primary key, name text, checksum text)',
      );
      await owner.query('grant select on schema_migrations to zakpos_app');
      await owner.query('insert into schema_migrations values ($1, $2, $3)', [
        first!.version,
        first!.name,
        first!.checksum,
      ]);
    } finally {
      await owner.end();
    }
    const res = await checkedInject(app, { method: 'GET', url: '/health/ready' });
    expect(res.statusCode).toBe(503);
    expect(res.json().checks.migrations).toEqual({ ok: false, pending: rest.map((m) => m.name) });
    expect(res.json().checks.database).toEqual({ ok: true });
  });
});
