import type { ProductChangedPayload } from '@zakpos/contracts';
import type { NewEvent } from './outbox.js';

/** What the catalog events need of a product, before or after a change. */
export interface ProductSnapshot {
  id: string;
  price: number;
  barcodes: readonly { code: string }[];
}

type ProductEventType = 'product.created' | 'product.updated' | 'product.price_changed';

function productEvent(type: ProductEventType, payload: ProductChangedPayload): NewEvent {
  return { type, aggregateType: 'product', aggregateId: payload.productId, payload };
}

/** Every code of either snapshot, once each: a cache keyed by barcode drops all of them. */
function barcodesOf(...snapshots: readonly ProductSnapshot[]): string[] {
  return [...new Set(snapshots.flatMap((p) => p.barcodes.map((b) => b.code)))].sort();
}

/** `product.created`, with the new product's barcodes. */
export function productCreated(product: ProductSnapshot): NewEvent {
  return productEvent('product.created', { productId: product.id, barcodes: barcodesOf(product) });
}

/**
 * The events of an update from `before` to `after`: `product.updated`, and `product.price_changed` too
 * when the price moved. Both name every barcode the product had before or has after.
 */
export function productChanged(before: ProductSnapshot, after: ProductSnapshot): NewEvent[] {
  const productId = after.id;
  const barcodes = barcodesOf(before, after);
  const events = [productEvent('product.updated', { productId, barcodes })];
  if (after.price !== before.price) {
    events.push(
      productEvent('product.price_changed', {
        productId,
        barcodes,
        price: after.price,
        previousPrice: before.price,
      }),
    );
  }
  return events;
}
