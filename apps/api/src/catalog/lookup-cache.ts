import { Inject, Injectable } from '@nestjs/common';
import type { BarcodeResolution } from '@zakpos/contracts';
import { Counter } from 'prom-client';
import { MetricsService } from '../ops/metrics/metrics.service.js';
import { REDIS, type RedisOrNone } from '../redis/redis.module.js';

/** A cached lookup lives this long at most: the bound on a stale entry a racing read may have written. */
export const LOOKUP_TTL_SECONDS = 300;

/**
 * The scanner's barcode lookups, cached in Redis per tenant (nothing is cached without REDIS_URL). Only exact
 * barcode matches are kept: a weighed label carries its weight and depends on the tenant's prefixes, and a
 * miss must see a product created a moment later. Each product keeps the set of its entries, so a change of
 * the product drops them all, whichever spelling of a code was scanned (UPC-A or EAN-13). Redis failing
 * is a miss, never an error: the till reads the database.
 */
@Injectable()
export class LookupCache {
  private readonly lookups: Counter<'result'>;

  constructor(
    @Inject(REDIS) private readonly redis: RedisOrNone,
    @Inject(MetricsService) metrics: MetricsService,
  ) {
    this.lookups = new Counter({
      name: 'zakpos_lookup_cache_total',
      help: 'Barcode lookups by cache result (hit, miss, error: Redis unreachable)',
      labelNames: ['result'],
      registers: [metrics.registry],
    });
  }

  async get(tenantId: string, code: string): Promise<BarcodeResolution | undefined> {
    if (!this.redis) return undefined;
    try {
      const hit = await this.redis.get(barcodeKey(tenantId, code));
      this.lookups.inc({ result: hit ? 'hit' : 'miss' });
      return hit ? (JSON.parse(hit) as BarcodeResolution) : undefined;
    } catch {
      this.lookups.inc({ result: 'error' });
      return undefined;
    }
  }

  async set(tenantId: string, code: string, resolution: BarcodeResolution): Promise<void> {
    if (!this.redis || resolution.source !== 'barcode') return;
    const key = barcodeKey(tenantId, code);
    const index = productKey(tenantId, resolution.product.id);
    try {
      await this.redis
        .multi()
        .set(key, JSON.stringify(resolution), 'EX', LOOKUP_TTL_SECONDS)
        .sadd(index, key)
        .expire(index, LOOKUP_TTL_SECONDS)
        .exec();
    } catch {
      // Not cached this time.
    }
  }

  /** Drops every cached lookup of these products. False when Redis could not be reached. */
  async invalidate(tenantId: string, productIds: readonly string[]): Promise<boolean> {
    if (!this.redis || productIds.length === 0) return true;
    try {
      for (const id of productIds) {
        const index = productKey(tenantId, id);
        const keys = await this.redis.smembers(index);
        await this.redis.del(index, ...keys);
      }
      return true;
    } catch {
      return false;
    }
  }
}

const barcodeKey = (tenantId: string, code: string) => `zakpos:t:${tenantId}:barcode:${code}`;
const productKey = (tenantId: string, productId: string) =>
  `zakpos:t:${tenantId}:product:${productId}:lookups`;
