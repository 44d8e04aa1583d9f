import { Inject, Injectable } from '@nestjs/common';
import type { BarcodeResolution } from '@zakpos/contracts';
import type { RequestContext } from '../common/context/request-context.js';
import { Database } from '../db/database.js';
import { resolveBarcode } from './barcode-resolution.js';

/** The scanner lookup of every till, as its own unit of work. */
@Injectable()
export class BarcodeResolverService {
  constructor(@Inject(Database) private readonly db: Database) {}

  resolve(ctx: RequestContext, code: string): Promise<BarcodeResolution> {
    return this.db.tenant(ctx, (tx) => resolveBarcode(tx, ctx, code));
  }
}
