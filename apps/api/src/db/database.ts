import { AsyncLocalStorage } from 'node:async_hooks';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  PostgresDialect,
  type PostgresDialectConfig,
  PostgresDriver,
  sql,
  type Transaction,
  type TransactionSettings,
} from 'kysely';
import pg from 'pg';
import type { TenantScope } from '../common/context/request-context.js';
import { isRetryable } from './pg-error.js';
import type { DB } from './schema.js';
import { StatementReusingClient } from './statement-reuse.js';

export type Tx = Transaction<DB>;

/** Attempts of one unit of work when PostgreSQL reports a retryable conflict (40001, 40P01). */
export const UNIT_ATTEMPTS = 4;

type AfterCommit = () => unknown;

interface Unit {
  /** What opens the transaction: BEGIN and the tenant settings, in one round trip. */
  readonly begin: string;
  afterCommit: AfterCommit[];
}

const openUnit = new AsyncLocalStorage<Unit>();
const unitOfTx = new WeakMap<Tx, Unit>();

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function beginFor(scope: TenantScope): string {
  return `begin; ${scopeStatements(scope)}`;
}

/** The settings of a unit's scope and, for a request's unit, its session check. */
function scopeStatements(scope: TenantScope): string {
  const userId = scope.userId ?? '';
  // Inlined so BEGIN and both settings travel as one simple-protocol query; only UUIDs get here.
  if (!UUID.test(scope.tenantId) || (userId !== '' && !UUID.test(userId))) {
    throw new Error('a tenant unit of work needs UUID tenant and user ids');
  }
  if (scope.at !== undefined && Number.isNaN(scope.at.getTime())) throw new Error('an invalid business time');
  const at = scope.at === undefined ? '' : `, set_config('app.now', '${scope.at.toISOString()}', true)`;
  const settings = `select set_config('app.tenant_id', '${scope.tenantId}', true), set_config('app.user_id', '${userId}', true)${at}`;
  if (scope.sessionVersion === undefined) return settings;
  // A request's unit: its token must still be current (one primary-key lookup, in the same round trip).
  if (userId === '' || !Number.isSafeInteger(scope.sessionVersion)) {
    throw new Error('a session check needs a user id and an integer session version');
  }
  return `${settings}; select app_session_check('${userId}', ${scope.sessionVersion})`;
}

/** int8 columns as numbers: our amounts and quantities fit in a double's safe range (the schema's CHECKs). */
function parseInt8(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new Error(`int8 value ${value} is outside the safe integer range`);
  return n;
}

/** date columns as their yyyy-mm-dd text: a calendar day, which a JS Date would shift by the process's zone. */
const asText = (value: string) => value;

const typeParsers = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (format === 'binary') return pg.types.getTypeParser(oid, format);
    if (oid === pg.types.builtins.INT8) return parseInt8;
    if (oid === pg.types.builtins.DATE) return asText;
    return pg.types.getTypeParser(oid, format);
  }) as typeof pg.types.getTypeParser,
};

/** PostgreSQL's driver, except that a unit's BEGIN also sets its tenant (one round trip instead of two). */
class UnitDriver extends PostgresDriver {
  override async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings) {
    const unit = openUnit.getStore();
    if (!unit || settings.isolationLevel || settings.accessMode) {
      return super.beginTransaction(connection, settings);
    }
    try {
      await connection.executeQuery(CompiledQuery.raw(unit.begin));
    } catch (err) {
      // A statement after BEGIN failed (the session check): Kysely rolls back only a transaction whose
      // begin succeeded, so end this one here before the connection goes back to the pool.
      await connection.executeQuery(CompiledQuery.raw('rollback'));
      throw err;
    }
  }
}

class UnitDialect extends PostgresDialect {
  constructor(private readonly config: PostgresDialectConfig) {
    super(config);
  }
  override createDriver(): Driver {
    return new UnitDriver(this.config);
  }
}

export interface DatabaseOptions {
  poolMax: number;
  applicationName?: string;
  onConnectionError?: (err: Error) => void;
  /** An after-commit hook threw: the work is committed, so this is reported, never rethrown. */
  onAfterCommitError?: (err: unknown) => void;
}

/**
 * The only door to the database. Tenant data is reachable only inside `tenant()`, a unit of work: one
 * transaction that first sets `app.tenant_id`; row-level security does the rest. Everything below the
 * public service method that opened the unit takes its `tx` first; opening a second unit inside one is
 * an error (it would take a second connection and see another snapshot). `anonymous()` runs with no
 * tenant set: tenant tables are then empty and read-only to it, so it serves only the SECURITY DEFINER
 * functions (login by email) and health checks.
 */
export class Database {
  private readonly kysely: Kysely<DB>;
  readonly pool: pg.Pool;

  constructor(
    connectionString: string,
    private readonly options: DatabaseOptions,
  ) {
    const onError = options.onConnectionError ?? (() => {});
    this.pool = new pg.Pool({
      connectionString,
      max: options.poolMax,
      application_name: options.applicationName ?? 'zakpos-api',
      types: typeParsers,
      Client: StatementReusingClient,
    });
    // A connection dropped by the server (restart, admin kill), idle or mid-query, must not crash the
    // process: its query fails, the pool discards it, and the next checkout reconnects.
    this.pool.on('connect', (client) => client.on('error', onError));
    this.pool.on('error', () => {}); // idle clients: already reported by their own listener above
    this.kysely = new Kysely<DB>({ dialect: new UnitDialect({ pool: this.pool }) });
  }

  async tenant<T>(scope: TenantScope, work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.unit(beginFor(scope), work);
  }

  /**
   * A request's session check alone, in one round trip: what a request answers from a cache still runs it,
   * so a revoked token stops at once. The two statements of one simple query run as one implicit
   * transaction, so the tenant settings end with it and a failed check leaves nothing open.
   */
  async checkSession(scope: TenantScope): Promise<void> {
    if (scope.sessionVersion === undefined) throw new Error('checkSession needs a request scope');
    await this.pool.query(scopeStatements(scope));
  }

  anonymous<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.unit('begin', work);
  }

  poolStats(): { total: number; idle: number; waiting: number } {
    return { total: this.pool.totalCount, idle: this.pool.idleCount, waiting: this.pool.waitingCount };
  }

  async close(): Promise<void> {
    await this.kysely.destroy();
  }

  private async unit<T>(begin: string, work: (tx: Tx) => Promise<T>): Promise<T> {
    if (openUnit.getStore()) {
      throw new Error(
        'a unit of work was opened inside another one: pass its tx down instead of calling Database.tenant() again',
      );
    }
    for (let attempt = 1; ; attempt++) {
      const unit: Unit = { begin, afterCommit: [] };
      try {
        const result = await openUnit.run(unit, () =>
          this.kysely.transaction().execute((tx) => {
            unitOfTx.set(tx, unit);
            return work(tx);
          }),
        );
        await this.runAfterCommit(unit.afterCommit);
        return result;
      } catch (err) {
        if (attempt >= UNIT_ATTEMPTS || !isRetryable(err)) throw err;
        // Both writers were rolled back: wait a little, differently each time, so they do not meet again.
        await new Promise((r) => setTimeout(r, Math.random() * 10 * 2 ** attempt));
      }
    }
  }

  private async runAfterCommit(hooks: AfterCommit[]): Promise<void> {
    for (const hook of hooks) {
      try {
        await hook();
      } catch (err) {
        (this.options.onAfterCommitError ?? (() => {}))(err);
      }
    }
  }
}

/**
 * Runs `hook` once the unit that owns `tx` has committed, outside it (a hook may open units of its own).
 * A unit that rolls back, or is retried, drops the hooks its failed attempt registered.
 */
export function afterCommit(tx: Tx, hook: AfterCommit): void {
  const unit = unitOfTx.get(tx);
  if (!unit) throw new Error('afterCommit() needs the tx of an open unit of work');
  unit.afterCommit.push(hook);
}

/** Switch an open transaction to a tenant (used once by signup, after the tenant's id is minted). */
export async function setTenant(tx: Tx, scope: TenantScope): Promise<void> {
  await sql`select set_config('app.tenant_id', ${scope.tenantId}, true), set_config('app.user_id', ${scope.userId ?? ''}, true)`.execute(
    tx,
  );
}

/**
 * `sum()` over an int8 column, as an int8: PostgreSQL widens the sum of bigints to numeric (a string
 * here), so every sum goes through this, which also turns "no rows" into 0.
 */
export const sumInt8 = (column: string) => sql<number>`coalesce(sum(${sql.ref(column)}), 0)::int8`;
