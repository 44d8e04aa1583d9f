import { type EventEnvelope, productChangedPayloadSchema } from '@zakpos/contracts';
import { Inject, Injectable } from '@nestjs/common';
import type { EventConsumer } from '../events/event-consumer.js';
import { LookupCache } from './lookup-cache.js';

/**
 * Drops a product's cached lookups on each of its catalog events: whatever wrote the change and whether or
 * not its own after-commit drop reached Redis. Idempotent, so it needs no dedupe.
 */
@Injectable()
export class LookupCacheConsumer implements EventConsumer {
  readonly name = 'lookup-cache';
  readonly types = ['product.created', 'product.updated', 'product.price_changed'] as const;

  constructor(@Inject(LookupCache) private readonly cache: LookupCache) {}

  async handle(event: EventEnvelope): Promise<void> {
    const { productId } = productChangedPayloadSchema.parse(event.payload);
    if (!(await this.cache.invalidate(event.tenantId, [productId]))) {
      throw new Error('redis unreachable: the cached lookups could not be dropped');
    }
  }
}
