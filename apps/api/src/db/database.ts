import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import pg from 'pg';
import type { TenantScope } from '../common/context/request-context.js';
import type { DB } from './schema.js';

export type Tx = Transaction<DB>;

// bigint (int8) and numeric come back as strings by default; our amounts fit in a double's safe range,
// and the schema's CHECKs keep them there.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

/**
 * The only door to the database. Tenant data is reachable only inside `tenant()`, which runs the
 * work in a transaction that first sets `app.tenant_id`; row-level security does the rest.
 * `anonymous()` runs with no tenant set: tenant tables are then empty and read-only to it, so it
 * is only useful for the SECURITY DEFINER functions (login by email) and health checks.
 */
export class Database {
  private readonly kysely: Kysely<DB>;
  readonly pool: pg.Pool;

  constructor(
    connectionString: string,
    options: { poolMax: number; applicationName?: string; onConnectionError?: (err: Error) => void },
  ) {
    const onError = options.onConnectionError ?? (() => {});
    this.pool = new pg.Pool({
      connectionString,
      max: options.poolMax,
      application_name: options.applicationName ?? 'zakpos-api',
    });
    // A connection dropped by the server (restart, admin kill), idle or mid-query, must not crash the
    // process: its query fails, the pool discards it, and the next checkout reconnects.
    this.pool.on('connect', (client) => client.on('error', onError));
    this.pool.on('error', () => {}); // idle clients: already reported by their own listener above
    this.kysely = new Kysely<DB>({ dialect: new PostgresDialect({ pool: this.pool }) });
  }

  tenant<T>(scope: TenantScope, work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.kysely.transaction().execute(async (tx) => {
      await setTenant(tx, scope);
      return work(tx);
    });
  }

  anonymous<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.kysely.transaction().execute(work);
  }

  poolStats(): { total: number; idle: number; waiting: number } {
    return { total: this.pool.totalCount, idle: this.pool.idleCount, waiting: this.pool.waitingCount };
  }

  async close(): Promise<void> {
    await this.kysely.destroy();
  }
}

/** Switch an open transaction to a tenant (used once by signup, after the tenant's id is minted). */
export async function setTenant(tx: Tx, scope: TenantScope): Promise<void> {
  await sql`select set_config('app.tenant_id', ${scope.tenantId}, true), set_config('app.user_id', ${scope.userId ?? ''}, true)`.execute(
    tx,
  );
}
