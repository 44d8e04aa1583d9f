import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { bootstrapDatabase } from '../db/bootstrap.js';
import { roleUrls } from '../db/connection-urls.js';
import { startEmbeddedPostgres } from '../db/embedded-postgres.js';
import { migrate } from '../db/migrator.js';
import { freePort } from '../common/net/free-port.js';

export interface TestDatabase {
  superuserUrl: string;
  ownerUrl: string;
  appUrl: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    db: TestDatabase;
  }
}

/** One real PostgreSQL for the integration run: started here, migrated, removed afterwards. */
export default async function setup(project: TestProject) {
  const dir = await mkdtemp(join(tmpdir(), 'zakpos-pg-'));
  await chmod(dir, 0o755); // the server runs as the postgres user, which must reach its data folder
  const port = await freePort();
  const password = randomBytes(18).toString('base64url');
  const pg = await startEmbeddedPostgres({
    dataDir: join(dir, 'data'),
    port,
    superuserPassword: password,
    settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off', max_connections: '200' },
  });
  const secrets = {
    ownerPassword: randomBytes(18).toString('base64url'),
    appPassword: randomBytes(18).toString('base64url'),
  };
  await bootstrapDatabase({ superuserUrl: pg.superuserUrl(), database: 'zakpos_test', ...secrets });
  const { ownerUrl, appUrl } = roleUrls({ host: '127.0.0.1', port, database: 'zakpos_test', ...secrets });
  await migrate(ownerUrl);
  project.provide('db', { superuserUrl: pg.superuserUrl('zakpos_test'), ownerUrl, appUrl });
  return async () => {
    await pg.stop();
    await rm(dir, { recursive: true, force: true });
  };
}
