import { type EventEnvelope, stockChangedPayloadSchema } from '@zakpos/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { afterCommit, Database, type Tx } from '../db/database.js';
import { applyEachOnce, type EventConsumer } from '../events/event-consumer.js';
import { LowStockEmailJob } from './low-stock-email.job.js';

/**
 * Raises a low-stock alert when a decrease of stock leaves a level at or below its threshold: one alert per
 * store, product and UTC day, however often the level falls that day (the table's key), and once per event
 * (applyEachOnce), however often the event is delivered. The alerts an event raised are emailed to the store's
 * managers and the owners (low-stock-email.job.ts).
 */
/** A stock.changed event that decreased stock: its store and the products that fell. */
interface Fall {
  event: EventEnvelope;
  storeId: string;
  fell: string[];
}

@Injectable()
export class LowStockConsumer implements EventConsumer {
  readonly name = 'low-stock';
  readonly types = ['stock.changed'] as const;

  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(LowStockEmailJob) private readonly email: LowStockEmailJob,
  ) {}

  handle(event: EventEnvelope): Promise<void> {
    return this.handleBatch([event]);
  }

  /** One unit of work for events of one tenant: what `handle` does with each in turn. */
  async handleBatch(events: readonly EventEnvelope[]): Promise<void> {
    const falls = new Map<string, Fall>();
    for (const event of events) {
      const { storeId, changes } = stockChangedPayloadSchema.parse(event.payload);
      const fell = [...new Set(changes.filter((c) => c.quantity < 0).map((c) => c.productId))];
      if (fell.length > 0) falls.set(event.id, { event, storeId, fell });
    }
    if (falls.size === 0) return;
    const tenantId = events[0]!.tenantId;
    const toApply = [...falls.values()].map((f) => f.event);
    await applyEachOnce(this.db, this.name, tenantId, toApply, (tx, fresh) =>
      this.raise(
        tx,
        tenantId,
        fresh.map((e) => falls.get(e.id)!),
      ),
    );
  }

  private async raise(tx: Tx, tenantId: string, falls: readonly Fall[]): Promise<void> {
    // Each (store, product, day) is raised by its first event, as one by one: a later one finds its alert.
    const first = new Map<string, { storeId: string; productId: string; day: string; eventId: string }>();
    for (const { event, storeId, fell } of falls) {
      const day = event.occurredAt.slice(0, 10);
      for (const productId of fell) {
        const key = `${storeId}/${productId}/${day}`;
        if (!first.has(key)) first.set(key, { storeId, productId, day, eventId: event.id });
      }
    }
    const candidates = [...first.values()];
    const low = await tx
      .selectFrom('stock_levels')
      .select(['store_id', 'product_id', 'on_hand', 'low_stock_threshold'])
      .where('tenant_id', '=', tenantId)
      .where('store_id', 'in', [...new Set(candidates.map((c) => c.storeId))])
      .where('product_id', 'in', [...new Set(candidates.map((c) => c.productId))])
      .where('low_stock_threshold', 'is not', null)
      .whereRef('on_hand', '<=', 'low_stock_threshold')
      .execute();
    const levels = new Map(low.map((l) => [`${l.store_id}/${l.product_id}`, l]));
    const alerts = candidates.flatMap((c) => {
      const level = levels.get(`${c.storeId}/${c.productId}`);
      if (!level) return [];
      const { on_hand, low_stock_threshold } = level;
      return [
        {
          tenant_id: tenantId,
          store_id: c.storeId,
          product_id: c.productId,
          day: c.day,
          on_hand,
          threshold: low_stock_threshold!,
          event_id: c.eventId,
        },
      ];
    });
    if (alerts.length === 0) return;
    const raised = await tx
      .insertInto('low_stock_alerts')
      .values(alerts)
      .onConflict((oc) => oc.columns(['tenant_id', 'store_id', 'product_id', 'day']).doNothing())
      .returning(['store_id', 'event_id'])
      .execute();
    // Emailed once the alerts are committed (a rolled-back delivery raises no email), one email per event:
    // the job sends the alerts that event raised (an event names one store).
    const emails = new Map(raised.map((r) => [r.event_id, r.store_id]));
    for (const [eventId, storeId] of emails)
      afterCommit(tx, () => this.email.queue({ tenantId, storeId, eventId }));
  }
}
