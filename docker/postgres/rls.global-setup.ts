import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startPostgres } from './system-postgres.js';

/**
 * Global setup of the infra-rls project: the API's row-level security tests, run against the database of the
 * container stack (docker/postgres config, init.sql roles, the migrations) instead of the embedded default.
 */
export default async function setup(project: TestProject) {
  const dir = await mkdtemp(join(tmpdir(), 'zakpos-rls-'));
  const pg = await startPostgres(dir, { superuserPassword: randomBytes(18).toString('base64url') });
  project.provide('db', { superuserUrl: pg.superuserUrl!, ownerUrl: pg.url('owner'), appUrl: pg.url('app') });
  return async () => {
    pg.stop();
    await rm(dir, { recursive: true, force: true });
  };
}
