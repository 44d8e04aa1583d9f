import { Inject, Injectable } from '@nestjs/common';
import type { BarcodeResolution } from '@zakpos/contracts';
import type { RequestContext } from '../common/context/request-context.js';
import { Database } from '../db/database.js';
import { resolveBarcode } from './barcode-resolution.js';
import { LookupCache } from './lookup-cache.js';

/** The scanner lookup of every till, as its own unit of work. */
@Injectable()
export class BarcodeResolverService {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(LookupCache) private readonly cache: LookupCache,
  ) {}

  async resolve(ctx: RequestContext, code: string): Promise<BarcodeResolution> {
    const cached = await this.cache.get(ctx.tenantId, code);
    if (cached) {
      // A revoked till stops at once, hit or miss: one round trip instead of an empty unit's two.
      await this.db.checkSession(ctx);
      return cached;
    }
    const resolution = await this.db.tenant(ctx, (tx) => resolveBarcode(tx, ctx, code));
    await this.cache.set(ctx.tenantId, code, resolution);
    return resolution;
  }
}
