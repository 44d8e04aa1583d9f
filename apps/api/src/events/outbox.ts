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
 */
export async function recordEvents(tx: Tx, scope: TenantScope, events: readonly NewEvent[]): Promise<void> {
  if (events.length === 0) return;
  const { rows } = await sql<{ last: number }>`
    insert into tenant_counters (tenant_id, last_event_seq) values (${scope.tenantId}, ${events.length})
    on conflict (tenant_id) do update set last_event_seq = tenant_counters.last_event_seq + ${events.length}
    returning last_event_seq::int8 as last`.execute(tx);
  const first = rows[0]!.last - events.length + 1;
  await tx
    .insertInto('outbox')
    .values(
      events.map((e, i) => ({
        tenant_id: scope.tenantId,
        seq: first + i,
        id: randomUUID(),
        type: e.type,
        aggregate_type: e.aggregateType,
        aggregate_id: e.aggregateId,
        payload: JSON.stringify(e.payload),
      })),
    )
    .execute();
}
