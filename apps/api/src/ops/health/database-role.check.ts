import { sql } from 'kysely';
import type { HealthCheckResult } from '@zakpos/contracts';
import type { Database } from '../../db/database.js';
import type { HealthCheck } from './health-check.js';

/** What the API's role may do, as PostgreSQL answers it (membership included); names already quoted. */
export interface RolePrivileges {
  role: string;
  database: string;
  superuser: boolean;
  bypassrls: boolean;
  temp: boolean;
  create: boolean;
  createInPublic: boolean;
}

/**
 * Each privilege the API's role must not have: why, and the statement that takes it away. TEMP would let
 * a temporary table or type shadow a name a SECURITY DEFINER function resolves; CREATE (database or schema
 * public) lets the role add schemas and objects next to ours; BYPASSRLS and superuser skip row-level security.
 * The privilege may come from PUBLIC (PostgreSQL's default for TEMP on a new database), hence both in the fix.
 */
const REFUSED: readonly {
  name: string;
  has: (p: RolePrivileges) => boolean;
  message: (p: RolePrivileges) => string;
}[] = [
  {
    name: 'SUPERUSER',
    has: (p) => p.superuser,
    message: (p) =>
      `role ${p.role} is a superuser (bypasses row-level security): ALTER ROLE ${p.role} NOSUPERUSER`,
  },
  {
    name: 'BYPASSRLS',
    has: (p) => p.bypassrls,
    message: (p) => `role ${p.role} has BYPASSRLS: ALTER ROLE ${p.role} NOBYPASSRLS`,
  },
  {
    name: 'TEMP',
    has: (p) => p.temp,
    message: (p) =>
      `role ${p.role} has TEMP on database ${p.database}: REVOKE TEMPORARY ON DATABASE ${p.database} FROM PUBLIC, ${p.role}`,
  },
  {
    name: 'CREATE',
    has: (p) => p.create,
    message: (p) =>
      `role ${p.role} has CREATE on database ${p.database}: REVOKE CREATE ON DATABASE ${p.database} FROM PUBLIC, ${p.role}`,
  },
  {
    name: 'CREATE ON SCHEMA public',
    has: (p) => p.createInPublic,
    message: (p) =>
      `role ${p.role} has CREATE on schema public: REVOKE CREATE ON SCHEMA public FROM PUBLIC, ${p.role}`,
  },
];

/** The readiness result for these privileges: ok, or every refused one named with its fix. */
export function judgeRolePrivileges(p: RolePrivileges): HealthCheckResult {
  const refused = REFUSED.filter((r) => r.has(p));
  if (refused.length === 0) return { ok: true };
  return {
    ok: false,
    refused: refused.map((r) => r.name),
    error:
      `the API's database role may do more than the API needs; ${refused.map((r) => r.message(p)).join('; ')}` +
      ' (a privilege held through membership of another role is revoked from that role)',
  };
}

/** The API's own role on its database: no TEMP, CREATE, BYPASSRLS or superuser (see REFUSED). */
export function databaseRoleCheck(db: Database): HealthCheck {
  return {
    name: 'databaseRole',
    async run() {
      const { rows } = await db.anonymous((tx) =>
        sql<RolePrivileges>`
          select quote_ident(current_user) as role,
                 quote_ident(current_database()) as database,
                 r.rolsuper as superuser,
                 r.rolbypassrls as bypassrls,
                 has_database_privilege(current_database(), 'TEMP') as temp,
                 has_database_privilege(current_database(), 'CREATE') as create,
                 has_schema_privilege('public', 'CREATE') as "createInPublic"
            from pg_catalog.pg_roles r
           where r.rolname = current_user`.execute(tx),
      );
      const privileges = rows[0];
      if (!privileges) throw new Error('the API role is not in pg_roles');
      return judgeRolePrivileges(privileges);
    },
  };
}
