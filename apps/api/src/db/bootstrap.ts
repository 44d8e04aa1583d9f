import pg from 'pg';

export interface BootstrapOptions {
  /** Connection string of a superuser (postgres) on the server, any database. */
  superuserUrl: string;
  database: string;
  ownerPassword: string;
  appPassword: string;
}

const quoteLiteral = (s: string) => `'${s.replace(/'/g, "''")}'`;

/**
 * Creates the roles and the database of the RLS model, idempotently:
 * zakpos_owner owns the schema and runs migrations; zakpos_app is what the API logs in as
 * (no superuser, not owner, NOBYPASSRLS). The Docker image does the same in docker/postgres/init.sql.
 */
export async function bootstrapDatabase(o: BootstrapOptions): Promise<void> {
  const admin = new pg.Client({ connectionString: o.superuserUrl });
  await admin.connect();
  try {
    for (const [role, password] of [
      ['zakpos_owner', o.ownerPassword],
      ['zakpos_app', o.appPassword],
    ] as const) {
      const exists = await admin.query('select 1 from pg_roles where rolname = $1', [role]);
      const verb = exists.rowCount ? 'alter' : 'create';
      await admin.query(
        `${verb} role ${role} login nosuperuser nocreatedb nocreaterole nobypassrls password ${quoteLiteral(password)}`,
      );
    }
    const db = await admin.query('select 1 from pg_database where datname = $1', [o.database]);
    if (!db.rowCount)
      await admin.query(`create database ${pg.escapeIdentifier(o.database)} owner zakpos_owner`);
  } finally {
    await admin.end();
  }
  const url = new URL(o.superuserUrl);
  url.pathname = `/${o.database}`;
  const inDb = new pg.Client({ connectionString: url.toString() });
  await inDb.connect();
  try {
    await inDb.query(`
      revoke create on schema public from public;
      alter schema public owner to zakpos_owner;
      grant usage on schema public to zakpos_app;
      revoke all on database ${pg.escapeIdentifier(o.database)} from public;
      grant connect on database ${pg.escapeIdentifier(o.database)} to zakpos_app;
    `);
  } finally {
    await inDb.end();
  }
}
