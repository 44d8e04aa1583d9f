import { sql } from 'kysely';
import type { Database } from '../../db/database.js';
import type { HealthCheck } from './health-check.js';

/** The database answers a query as the app role. */
export function databaseCheck(db: Database): HealthCheck {
  return {
    name: 'database',
    async run() {
      await db.anonymous((tx) => sql`select 1`.execute(tx));
      return { ok: true };
    },
  };
}
