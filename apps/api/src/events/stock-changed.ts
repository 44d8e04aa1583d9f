import type { StockChangedPayload } from '@zakpos/contracts';
import type { NewEvent } from './outbox.js';

/** What moved a store's stock, for `stock.changed`. */
export type StockChangeReason = 'sale' | 'refund' | 'void' | 'adjustment' | 'transfer' | 'count';

/**
 * The `stock.changed` event of a sale, refund, void, adjustment, transfer or count: the store's products
 * and their signed quantities.
 */
export function stockChanged(
  storeId: string,
  reason: StockChangeReason,
  referenceId: string,
  changes: readonly { productId: string; quantity: number }[],
): NewEvent {
  const payload: StockChangedPayload = { storeId, reason, referenceId, changes: [...changes] };
  return { type: 'stock.changed', aggregateType: 'store', aggregateId: storeId, payload };
}

/** The `stock.changed` event of movements posted to the ledger in one store, with their quantities. */
export function stockMoved(
  storeId: string,
  reason: StockChangeReason,
  referenceId: string,
  movements: readonly { product_id: string; quantity: number }[],
): NewEvent {
  return stockChanged(
    storeId,
    reason,
    referenceId,
    movements.map((m) => ({ productId: m.product_id, quantity: m.quantity })),
  );
}
