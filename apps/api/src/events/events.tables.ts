import type { Generated } from 'kysely';

/** Kysely row types of the outbox (0014_sales.sql, 0020_outbox_sequences.sql, 0021_outbox_relay.sql). */

export interface OutboxTable {
  tenant_id: string;
  /** From the tenant's own sequence: increasing in the order the events were written. */
  seq: Generated<number>;
  id: string;
  type: string;
  aggregate_type: string;
  aggregate_id: string;
  payload: unknown;
  /** The writing transaction (xid8, as text); set by the outbox_number trigger (0021). */
  xid: Generated<string>;
  created_at: Generated<Date>;
  published_at: Date | null;
}

/** What each consumer applied, by event id (0021). */
export interface ProcessedEventsTable {
  tenant_id: string;
  consumer: string;
  event_id: string;
  processed_at: Generated<Date>;
}

export interface EventsTables {
  outbox: OutboxTable;
  processed_events: ProcessedEventsTable;
}
