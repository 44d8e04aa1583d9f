import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, inject } from 'vitest';
import { readMigrations } from '../db/migrator.js';

export interface MigrationDatabase {
  /** The database's name. */
  readonly name: string;
  /** The schema owner, connected to the database; only inside tests and hooks. */
  readonly owner: pg.Client;
  /** Runs `sql` as the owner in one transaction, as the migrator applies a migration. */
  apply(sql: string): Promise<void>;
  /** Applies every migration before `version`. */
  migrateBefore(version: string): Promise<void>;
  /** Applies the migration `version`. */
  migrate(version: string): Promise<void>;
}

/**
 * A database of its own for a migration's test, made in `beforeAll` and dropped in `afterAll`: the test
 * migrates it up to the migration it checks, writes the rows that migration meets, then applies it.
 */
export function useMigrationDatabase(prefix: string): MigrationDatabase {
  const database = `${prefix}_${randomUUID().slice(0, 8)}`;
  let admin: pg.Client | undefined;
  let owner: pg.Client | undefined;

  beforeAll(async () => {
    admin = new pg.Client({ connectionString: inject('db').superuserUrl });
    await admin.connect();
    await admin.query(`create database ${database} owner zakpos_owner`);
    const url = new URL(inject('db').ownerUrl);
    url.pathname = `/${database}`;
    owner = new pg.Client({ connectionString: url.toString() });
    await owner.connect();
  });
  afterAll(async () => {
    await owner?.end();
    await admin?.query(`drop database if exists ${database} with (force)`);
    await admin?.end();
  });

  const db: MigrationDatabase = {
    name: database,
    get owner() {
      if (!owner)
        throw new Error('useMigrationDatabase: the database is only available inside tests and hooks');
      return owner;
    },
    async apply(sql) {
      await db.owner.query('begin');
      await db.owner.query(sql);
      await db.owner.query('commit');
    },
    async migrateBefore(version) {
      for (const m of (await readMigrations()).filter((m) => m.version < version)) await db.apply(m.sql);
    },
    async migrate(version) {
      const m = (await readMigrations()).find((m) => m.version === version);
      if (!m) throw new Error(`no migration ${version}`);
      await db.apply(m.sql);
    },
  };
  return db;
}
