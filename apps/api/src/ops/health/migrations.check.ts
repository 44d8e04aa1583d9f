import { sql } from 'kysely';
import type { Database } from '../../db/database.js';
import { pendingMigrations } from '../../db/migrator.js';
import { hasSqlState, SqlState } from '../../db/pg-error.js';
import type { HealthCheck } from './health-check.js';

type VersionQuery = (text: string) => Promise<{ version: string }[]>;

/** Every migration on disk is applied. A database never migrated has no schema_migrations: all are pending. */
export function migrationsCheck(query: VersionQuery): HealthCheck {
  return {
    name: 'migrations',
    async run() {
      const pending = await pendingMigrations(async (text) => {
        try {
          return await query(text);
        } catch (err) {
          if (hasSqlState(err, SqlState.UNDEFINED_TABLE)) return [];
          throw err;
        }
      });
      return { ok: pending.length === 0, pending };
    },
  };
}

/** The migrations check on the app's database. */
export function databaseMigrationsCheck(db: Database): HealthCheck {
  return migrationsCheck((text) =>
    db.anonymous(async (tx) => (await sql.raw<{ version: string }>(text).execute(tx)).rows),
  );
}
