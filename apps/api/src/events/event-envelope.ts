import { EVENT_ENVELOPE_VERSION, type EventEnvelope, type EventType } from '@zakpos/contracts';

/** An outbox row as app_outbox_ready returns it (0021_outbox_relay.sql). */
export interface ReadyOutboxRow {
  tenant_id: string;
  /** int8, as the driver returns it */
  seq: string | number;
  id: string;
  type: string;
  aggregate_type: string;
  aggregate_id: string;
  payload: Record<string, unknown>;
  created_at: Date;
}

/** The published form of an outbox row: the contract's versioned envelope. */
export function toEnvelope(row: ReadyOutboxRow): EventEnvelope {
  return {
    version: EVENT_ENVELOPE_VERSION,
    id: row.id,
    type: row.type as EventType,
    tenantId: row.tenant_id,
    occurredAt: row.created_at.toISOString(),
    sequence: Number(row.seq),
    aggregate: { type: row.aggregate_type, id: row.aggregate_id },
    payload: row.payload,
  };
}
