import type { NewEvent } from './outbox.js';

/** What moved a store's stock, for `stock.changed`. */
export type StockChangeReason = 'sale' | 'refund' | 'void';

/** The `stock.changed` event of a sale, refund or void: the store's products and their signed quantities. */
export function stockChanged(
  storeId: string,
  reason: StockChangeReason,
  referenceId: string,
  changes: readonly { productId: string; quantity: number }[],
): NewEvent {
  return {
    type: 'stock.changed',
    aggregateType: 'store',
    aggregateId: storeId,
    payload: { storeId, reason, referenceId, changes },
  };
}
