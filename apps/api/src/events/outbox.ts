import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { TenantScope } from '../common/context/request-context.js';
import type { Tx } from '../db/database.js';

export interface NewEvent {
  /** e.g. 'sale.completed', 'stock.changed' */
  type: string;
  aggregateType: string;
  aggregateId: string;
  payload: Record<string, unknown>;
}

/**
 * Writes events to the outbox in the caller's transaction, so they exist exactly when what they report
 * committed. Call it as the LAST step of the unit of work: the tenant's counter row stays locked from here
 * to the commit, which makes the per-tenant seq increase in commit order (a relay reading seq > n never
 * misses a row that commits later with a smaller seq), while holding that lock as briefly as possible.
 * One statement: the counter's upsert and the rows numbered from it.
 */
export async function recordEvents(tx: Tx, scope: TenantScope, events: readonly NewEvent[]): Promise<void> {
  if (events.length === 0) return;
  const rows = events.map((e, i) => ({
    i: i + 1,
    id: randomUUID(),
    type: e.type,
    aggregate_type: e.aggregateType,
    aggregate_id: e.aggregateId,
    payload: e.payload,
  }));
  await sql`
    with counter as (
      insert into tenant_counters (tenant_id, last_event_seq) values (${scope.tenantId}, ${events.length})
      on conflict (tenant_id) do update set last_event_seq = tenant_counters.last_event_seq + ${events.length}
      returning last_event_seq
    )
    insert into outbox (tenant_id, seq, id, type, aggregate_type, aggregate_id, payload)
    select ${scope.tenantId}, counter.last_event_seq - ${events.length} + e.i, e.id, e.type, e.aggregate_type,
           e.aggregate_id, e.payload
      from counter,
           jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
             as e (i int, id uuid, type text, aggregate_type text, aggregate_id uuid, payload jsonb)`.execute(
    tx,
  );
}
