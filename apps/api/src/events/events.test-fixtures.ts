import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { beforeAll, inject } from 'vitest';
import { migrate } from '../db/migrator.js';
import { type MigrationDatabase, useMigrationDatabase } from '../test/migration-database.js';

export interface EventsDatabase {
  db: MigrationDatabase;
  /** The API role's URL for the private database. */
  appUrl(): string;
  /**
   * A tenant of its own (its tenants row), with its event sequence made: a tenant's first event creates it
   * (0020), and two open transactions both writing a first event would wait on each other in these tests.
   */
  addTenant(): Promise<string>;
  /** A connection as the API role. */
  appClient(): Promise<AppConnection>;
  /** The schema owner's URL for the private database (a test's own locks). */
  ownerUrl(): string;
  /** Backends of the private database waiting for a lock on `table` (a fault test's held-up statement). */
  lockWaiters(table: string): Promise<number>;
}

export interface AppConnection {
  client: pg.Client;
  /** BEGIN (read committed unless told) with the unit's tenant set. */
  begin(tenantId: string, isolation?: string): Promise<void>;
  /** Writes one event of the tenant in the open transaction; its seq. */
  event(tenantId: string, type?: string): Promise<number>;
  end(): Promise<void>;
}

/**
 * A database of the relay tests' own, with every migration: the relay reads every tenant's outbox rows
 * and takes a lease held across the whole database, so it must not meet the other test files' events.
 */
export function useEventsDatabase(prefix: string): EventsDatabase {
  const db = useMigrationDatabase(prefix);
  beforeAll(async () => {
    // As the real migrator does it (recorded in schema_migrations), on a database as strict as bootstrap
    // makes it: readiness then reports only what a test breaks on purpose.
    const owner = new URL(inject('db').ownerUrl);
    owner.pathname = `/${db.name}`;
    await migrate(owner.toString());
    await db.owner.query(`revoke temporary on database ${db.name} from public`);
  }, 120_000);
  const appUrl = () => {
    const url = new URL(inject('db').appUrl);
    url.pathname = `/${db.name}`;
    return url.toString();
  };
  return {
    db,
    appUrl,
    ownerUrl() {
      const url = new URL(inject('db').ownerUrl);
      url.pathname = `/${db.name}`;
      return url.toString();
    },
    async lockWaiters(table) {
      const { rows } = await db.owner.query<{ n: number }>(
        `select count(*)::int as n from pg_locks
          where not granted and database = (select oid from pg_database where datname = current_database())
            and relation = $1::regclass`,
        [table],
      );
      return rows[0]!.n;
    },
    async addTenant() {
      const id = randomUUID();
      await db.apply(`select set_config('app.tenant_id', '${id}', true);
        insert into tenants (id, name, currency) values ('${id}', 'Events ${id.slice(0, 8)}', 'EUR');
        select app_next_event_seq();`);
      return id;
    },
    async appClient() {
      const client = new pg.Client({ connectionString: appUrl() });
      await client.connect();
      return {
        client,
        async begin(tenantId, isolation = 'read committed') {
          await client.query(`begin isolation level ${isolation}`);
          await client.query(`select set_config('app.tenant_id', $1, true)`, [tenantId]);
        },
        async event(tenantId, type = 'stock.changed') {
          const r = await client.query<{ seq: string }>(
            `insert into outbox (tenant_id, id, type, aggregate_type, aggregate_id, payload)
             values ($1, $2, $3, 'store', $4, '{}'::jsonb) returning seq`,
            [tenantId, randomUUID(), type, randomUUID()],
          );
          return Number(r.rows[0]!.seq);
        },
        end: () => client.end(),
      };
    },
  };
}
