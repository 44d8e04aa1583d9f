import { randomUUID } from 'node:crypto';
import type { EventType } from '@zakpos/contracts';
import { sql } from 'kysely';
import type { TenantScope } from '../common/context/request-context.js';
import type { Tx } from '../db/database.js';

export interface NewEvent {
  /** One of the contract's types (EVENT_TYPE_TOPICS): it names the event's topic. */
  type: EventType;
  aggregateType: string;
  aggregateId: string;
  payload: Record<string, unknown>;
}

/**
 * Writes events to the outbox in the caller's transaction, so they exist exactly when what they report
 * committed (and never when it rolled back). Each row takes the next seq of the tenant's own sequence
 * (app_next_event_seq, migration 0020), with its transaction's xid drawn first (the outbox_number trigger, 0021),
 * for the relay's ordering; no lock is taken, so the tenant's sales commit side by side.
 */
export async function recordEvents(tx: Tx, scope: TenantScope, events: readonly NewEvent[]): Promise<void> {
  if (events.length === 0) return;
  await tx
    .insertInto('outbox')
    .values(
      events.map((e) => ({
        tenant_id: scope.tenantId,
        id: randomUUID(),
        type: e.type,
        aggregate_type: e.aggregateType,
        aggregate_id: e.aggregateId,
        payload: sql`${JSON.stringify(e.payload)}::jsonb`,
      })),
    )
    .execute();
}
