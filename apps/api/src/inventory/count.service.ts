import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { CountQuery, OpenCountInput, RecordCountLinesInput, StockCount } from '@zakpos/contracts';
import { postStockAdjustmentEntry } from '../accounting/inventory-journal.js';
import { recordAudit } from '../common/audit/audit-log.js';
import type { RequestContext } from '../common/context/request-context.js';
import { Cursors, cursorKind, seqKey } from '../common/paging/cursor.js';
import { DomainError } from '../common/errors/domain-error.js';
import { Database, type Tx } from '../db/database.js';
import { recordEvents } from '../events/outbox.js';
import { stockMoved } from '../events/stock-changed.js';
import {
  type CountRow,
  findCount,
  fixVariances,
  insertCount,
  linesOfCount,
  listCounts,
  lockCount,
  markCompleted,
  recordCounted,
  snapshotLines,
  toCount,
  toCountSummary,
} from './count.repository.js';
import { assertWholeUnits, loadProducts } from './inventory-products.js';
import { countNotOpen } from './inventory.errors.js';
import { postMovements } from './stock-ledger.js';
import { assertStoreInScope } from '../tenancy/store-scope.js';
import { loadStore } from '../tenancy/store-access.js';

const countCursor = cursorKind('stock-counts', seqKey);

/**
 * Stock counts: open a sheet (expected quantities snapshotted), record counted quantities, then
 * complete it. Completion posts, per counted line, an adjustment with reason code 'count' of
 * counted − on hand AT COMPLETION (not − expected): after completion the level equals what was
 * counted, whatever moved in between. Count when the shelf is quiet, or the movements during the
 * count are overwritten. Uncounted lines post nothing.
 */
@Injectable()
export class CountService {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(Cursors) private readonly cursors: Cursors,
  ) {}

  open(ctx: RequestContext, storeId: string, input: OpenCountInput): Promise<StockCount> {
    return this.db.tenant(ctx, async (tx) => {
      await loadStore(tx, ctx, storeId);
      if (input.productIds) {
        await loadProducts(
          tx,
          ctx,
          input.productIds.map((productId, i) => ({ productId, field: `productIds.${i}` })),
        );
      }
      const id = randomUUID();
      const row = await insertCount(tx, ctx.tenantId, {
        id,
        storeId,
        note: input.note ?? null,
        openedBy: ctx.userId,
      });
      await snapshotLines(tx, ctx.tenantId, { countId: id, storeId }, input.productIds);
      return toCount(row, await linesOfCount(tx, ctx.tenantId, row));
    });
  }

  list(ctx: RequestContext, storeId: string, q: CountQuery) {
    return this.db.tenant(ctx, async (tx) => {
      await loadStore(tx, ctx, storeId);
      const rows = await listCounts(tx, ctx.tenantId, storeId, {
        status: q.status,
        beforeSeq:
          q.cursor === undefined ? undefined : this.cursors.decode(ctx.tenantId, countCursor, q.cursor)[0],
        limit: q.limit + 1,
      });
      return this.cursors.page(ctx.tenantId, countCursor, rows, q.limit, toCountSummary, (r) => [r.seq]);
    });
  }

  get(ctx: RequestContext, id: string): Promise<StockCount> {
    return this.db.tenant(ctx, async (tx) => {
      const row = await findCount(tx, ctx.tenantId, id);
      if (!row) throw DomainError.notFound('count');
      assertStoreInScope(ctx, row.store_id);
      return toCount(row, await linesOfCount(tx, ctx.tenantId, row));
    });
  }

  recordLines(ctx: RequestContext, id: string, input: RecordCountLinesInput): Promise<StockCount> {
    return this.db.tenant(ctx, async (tx) => {
      const row = await this.lockOpen(tx, ctx, id);
      const products = await loadProducts(
        tx,
        ctx,
        input.lines.map((l, i) => ({ productId: l.productId, field: `lines.${i}.productId` })),
      );
      assertWholeUnits(
        products,
        input.lines.map((l, i) => ({
          productId: l.productId,
          quantity: l.counted,
          field: `lines.${i}.counted`,
        })),
      );
      await recordCounted(tx, ctx.tenantId, { countId: id, storeId: row.store_id }, input.lines);
      return toCount(row, await linesOfCount(tx, ctx.tenantId, row));
    });
  }

  complete(ctx: RequestContext, id: string): Promise<StockCount> {
    return this.db.tenant(ctx, async (tx) => {
      const open = await this.lockOpen(tx, ctx, id);
      const variances = await fixVariances(tx, ctx.tenantId, { countId: id, storeId: open.store_id });
      const changed = variances.filter((v) => v.variance !== 0);
      const movements = await postMovements(
        tx,
        ctx,
        changed.map((v) => ({
          storeId: open.store_id,
          productId: v.product_id,
          quantity: v.variance,
          reason: 'adjustment' as const,
          reasonCode: 'count' as const,
          referenceType: 'count' as const,
          referenceId: id,
        })),
      );
      await postStockAdjustmentEntry(
        tx,
        ctx,
        { sourceType: 'stock_count', sourceId: id, memo: 'Stock count variance' },
        movements,
      );
      const row = await markCompleted(tx, ctx.tenantId, id, ctx.userId);
      await recordAudit(tx, ctx, {
        action: 'inventory.count.complete',
        entityType: 'stock_count',
        entityId: id,
        storeIds: [open.store_id],
        data: {
          storeId: open.store_id,
          countedLines: variances.length,
          variances: changed.map((v) => ({ productId: v.product_id, variance: v.variance })),
        },
      });
      // Only the products whose level moved; a count that matched the shelf moved nothing.
      if (movements.length > 0) {
        await recordEvents(tx, ctx, [stockMoved(open.store_id, 'count', id, movements)]);
      }
      return toCount(row, await linesOfCount(tx, ctx.tenantId, row));
    });
  }

  /** The count locked for this transaction, in the caller's store and still open. */
  private async lockOpen(tx: Tx, ctx: RequestContext, id: string): Promise<CountRow> {
    const row = await lockCount(tx, ctx.tenantId, id);
    if (!row) throw DomainError.notFound('count');
    assertStoreInScope(ctx, row.store_id);
    if (row.status !== 'open') throw countNotOpen();
    return row;
  }
}
