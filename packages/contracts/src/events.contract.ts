import { z } from 'zod';
import { signedMinorUnits, uuid } from './common.schema.js';

/**
 * The domain events ZakPOS publishes (the outbox relay → Kafka, or the in-process bus of the embedded
 * default), each on the topic of its aggregate. Every message is one envelope; a consumer dedupes by `id`.
 */
export const EVENT_TOPICS = ['sales', 'inventory', 'catalog', 'cash'] as const;
export type EventTopic = (typeof EVENT_TOPICS)[number];

/** Every event type and its topic. A type not listed here is refused by the outbox writer. */
export const EVENT_TYPE_TOPICS = {
  'sale.completed': 'sales',
  'sale.voided': 'sales',
  'refund.completed': 'sales',
  'stock.changed': 'inventory',
  'product.created': 'catalog',
  'product.updated': 'catalog',
  'product.price_changed': 'catalog',
  'session.opened': 'cash',
  'session.closed': 'cash',
} as const satisfies Record<string, EventTopic>;
export type EventType = keyof typeof EVENT_TYPE_TOPICS;
export const EVENT_TYPES = Object.keys(EVENT_TYPE_TOPICS) as [EventType, ...EventType[]];

/** The Kafka topic of a type: `zakpos.<aggregate topic>`. */
export function kafkaTopicOf(type: EventType): `zakpos.${EventTopic}` {
  return `zakpos.${EVENT_TYPE_TOPICS[type]}`;
}

/** The envelope's version: a consumer refuses (and parks) a version it does not know. */
export const EVENT_ENVELOPE_VERSION = 1;

export const eventEnvelopeSchema = z.object({
  version: z.literal(EVENT_ENVELOPE_VERSION),
  /** Unique per event: the dedupe key of every consumer. */
  id: uuid,
  type: z.enum(EVENT_TYPES),
  tenantId: uuid,
  /** When what it reports committed its business time (the outbox row's creation). */
  occurredAt: z.iso.datetime({ offset: true }),
  /** Per tenant, increasing in the order the events were written; gaps are rolled-back events. */
  sequence: z.number().int().min(1),
  aggregate: z.object({ type: z.string().regex(/^[a-z_]+$/), id: uuid }),
  payload: z.record(z.string(), z.unknown()),
});
export type EventEnvelope = z.infer<typeof eventEnvelopeSchema>;

/** `stock.changed`: a store's products and their signed quantities (milli-units), and what moved them. */
export const stockChangedPayloadSchema = z.object({
  storeId: uuid,
  reason: z.enum(['sale', 'refund', 'void', 'adjustment', 'transfer', 'count']),
  referenceId: uuid,
  changes: z.array(z.object({ productId: uuid, quantity: signedMinorUnits })),
});
export type StockChangedPayload = z.infer<typeof stockChangedPayloadSchema>;

/** `sale.completed`. */
export const saleCompletedPayloadSchema = z.object({
  saleId: uuid,
  storeId: uuid,
  registerId: uuid,
  receiptNumber: z.string(),
  currency: z.string(),
  gross: signedMinorUnits,
  customerId: uuid.nullable(),
});
export type SaleCompletedPayload = z.infer<typeof saleCompletedPayloadSchema>;

/** `product.created`, `product.updated`, `product.price_changed`: which product, and its barcodes. */
export const productChangedPayloadSchema = z.object({
  productId: uuid,
  /** Every barcode the product had before or has after the change, for cache invalidation. */
  barcodes: z.array(z.string()),
  price: signedMinorUnits.optional(),
  previousPrice: signedMinorUnits.optional(),
});
export type ProductChangedPayload = z.infer<typeof productChangedPayloadSchema>;

/** `session.opened`, `session.closed`. */
export const sessionChangedPayloadSchema = z.object({
  sessionId: uuid,
  storeId: uuid,
  registerId: uuid,
});
export type SessionChangedPayload = z.infer<typeof sessionChangedPayloadSchema>;
