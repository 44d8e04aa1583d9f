import type { Generated } from 'kysely';

/** Kysely row types of the outbox (0014_sales.sql). */

export interface TenantCountersTable {
  tenant_id: string;
  last_event_seq: Generated<number>;
}

export interface OutboxTable {
  tenant_id: string;
  seq: number;
  id: string;
  type: string;
  aggregate_type: string;
  aggregate_id: string;
  payload: unknown;
  created_at: Generated<Date>;
  published_at: Date | null;
}

export interface EventsTables {
  tenant_counters: TenantCountersTable;
  outbox: OutboxTable;
}
