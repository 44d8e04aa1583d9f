import type { Generated } from 'kysely';

/** Kysely row types of the outbox (0014_sales.sql, 0020_outbox_sequences.sql). */

export interface OutboxTable {
  tenant_id: string;
  /** From the tenant's own sequence: increasing in the order the events were written. */
  seq: Generated<number>;
  id: string;
  type: string;
  aggregate_type: string;
  aggregate_id: string;
  payload: unknown;
  /** The writing transaction (xid8, as text). */
  xid: Generated<string>;
  created_at: Generated<Date>;
  published_at: Date | null;
}

export interface EventsTables {
  outbox: OutboxTable;
}
