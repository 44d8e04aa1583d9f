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
 * is only useful for the SECURITY DEFINER functions (login by email, PIN login lookups).
 */
export class Database {
  private readonly kysely: Kysely<DB>;
  readonly pool: pg.Pool;

  constructor(connectionString: string, poolMax: number, onIdleClientError: (err: Error) => void = () => {}) {
    this.pool = new pg.Pool({ connectionString, max: poolMax, application_name: 'zakpos-api' });
    // An idle client dropped by the server (restart, admin kill) must not crash the process: the pool
    // discards it, and the next query reconnects or fails into /health/ready.
    this.pool.on('error', onIdleClientError);
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
