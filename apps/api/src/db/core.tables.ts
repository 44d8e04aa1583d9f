import type { ColumnType, Generated } from 'kysely';

/** Kysely row types of 0001_core.sql. */
export type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface TenantsTable {
  id: string;
  name: string;
  currency: string;
  locale: Generated<string>;
  prices_include_tax: Generated<boolean>;
  cash_rounding_increment: Generated<number>;
  max_cashier_discount_bp: Generated<number>;
  weighted_barcode_prefixes: ColumnType<WeightedPrefix[], string | undefined, string>;
  created_at: Generated<Date>;
}

export interface WeightedPrefix {
  prefix: string;
  kind: 'weight' | 'price';
}

export interface StoresTable {
  tenant_id: string;
  id: string;
  code: string;
  name: string;
  time_zone: Generated<string>;
  address: string | null;
  oversell_policy: Generated<'allow_negative' | 'refuse'>;
  active: Generated<boolean>;
  created_at: Generated<Date>;
}

export interface RegistersTable {
  tenant_id: string;
  id: string;
  store_id: string;
  name: string;
  active: Generated<boolean>;
  created_at: Generated<Date>;
}

export interface UsersTable {
  tenant_id: string;
  id: string;
  email: string;
  name: string;
  role: 'owner' | 'manager' | 'cashier';
  password_hash: string;
  pin_hash: string | null;
  active: Generated<boolean>;
  /** Bumped when the user's access tokens must stop working (0008_auth_sessions_throttles.sql). */
  session_version: Generated<number>;
  password_changed_at: Generated<Date>;
  created_at: Generated<Date>;
}

export interface UserStoresTable {
  tenant_id: string;
  user_id: string;
  store_id: string;
}

export interface AuditLogTable {
  tenant_id: string;
  /** Ordering only: from a sequence every tenant shares, never shown (public_id is the entry's id). */
  id: Generated<number>;
  public_id: Generated<string>;
  /** The stores the entry concerns; null: a tenant-wide entry. */
  store_ids: string[] | null;
  at: Generated<Date>;
  actor_user_id: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  ip: string | null;
  user_agent: string | null;
  data: ColumnType<Record<string, unknown>, string | undefined, string>;
}

export interface SchemaMigrationsTable {
  version: string;
  name: string;
  checksum: string;
  applied_at: Generated<Date>;
}

export interface CoreTables {
  tenants: TenantsTable;
  stores: StoresTable;
  registers: RegistersTable;
  users: UsersTable;
  user_stores: UserStoresTable;
  audit_log: AuditLogTable;
  schema_migrations: SchemaMigrationsTable;
}
