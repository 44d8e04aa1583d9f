import { type EventEnvelope, stockChangedPayloadSchema } from '@zakpos/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { afterCommit, Database } from '../db/database.js';
import { applyOnce, type EventConsumer } from '../events/event-consumer.js';
import { LowStockEmailJob } from './low-stock-email.job.js';

/**
 * Raises a low-stock alert when a decrease of stock leaves a level at or below its threshold: one alert per
 * store, product and UTC day, however often the level falls that day (the table's key), and once per event
 * (applyOnce), however often the event is delivered. The alerts an event raised are emailed to the store's
 * managers and the owners (low-stock-email.job.ts).
 */
@Injectable()
export class LowStockConsumer implements EventConsumer {
  readonly name = 'low-stock';
  readonly types = ['stock.changed'] as const;

  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(LowStockEmailJob) private readonly email: LowStockEmailJob,
  ) {}

  async handle(event: EventEnvelope): Promise<void> {
    const payload = stockChangedPayloadSchema.parse(event.payload);
    const fell = [...new Set(payload.changes.filter((c) => c.quantity < 0).map((c) => c.productId))];
    if (fell.length === 0) return;
    await applyOnce(this.db, this.name, event, async (tx) => {
      const low = await tx
        .selectFrom('stock_levels')
        .select(['product_id', 'on_hand', 'low_stock_threshold'])
        .where('tenant_id', '=', event.tenantId)
        .where('store_id', '=', payload.storeId)
        .where('product_id', 'in', fell)
        .where('low_stock_threshold', 'is not', null)
        .whereRef('on_hand', '<=', 'low_stock_threshold')
        .execute();
      if (low.length === 0) return;
      const raised = await tx
        .insertInto('low_stock_alerts')
        .values(
          low.map((l) => ({
            tenant_id: event.tenantId,
            store_id: payload.storeId,
            product_id: l.product_id,
            day: event.occurredAt.slice(0, 10),
            on_hand: l.on_hand,
            threshold: l.low_stock_threshold!,
            event_id: event.id,
          })),
        )
        .onConflict((oc) => oc.columns(['tenant_id', 'store_id', 'product_id', 'day']).doNothing())
        .returning('product_id')
        .execute();
      if (raised.length === 0) return;
      // Emailed once the alerts are committed: a rolled-back delivery raises no email.
      afterCommit(tx, () =>
        this.email.queue({ tenantId: event.tenantId, storeId: payload.storeId, eventId: event.id }),
      );
    });
  }
}
