import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type {
  CreateAdjustmentInput,
  LowStockQuery,
  MovementQuery,
  SetThresholdInput,
  StockAdjustment,
  StockLevel,
  StockLevelQuery,
} from '@zakpos/contracts';
import { postStockAdjustmentEntry } from '../accounting/inventory-journal.js';
import { recordAudit } from '../common/audit/audit-log.js';
import type { RequestContext } from '../common/context/request-context.js';
import { Cursors, cursorKind, seqKey, skuKey } from '../common/paging/cursor.js';
import { Database, type Tx } from '../db/database.js';
import { recordEvents } from '../events/outbox.js';
import { stockMoved } from '../events/stock-changed.js';
import { checkQuantityLines, loadProducts } from './inventory-products.js';
import { postMovements } from './stock-ledger.js';
import {
  incomingInTransit,
  type LevelRow,
  listLevels,
  listLowLevels,
  listMovements,
  toMovement,
  toStockLevel,
  upsertThreshold,
} from './stock.repository.js';
import { loadStore } from '../tenancy/store-access.js';

const levelCursor = cursorKind('stock-levels', skuKey);
const lowLevelCursor = cursorKind('low-stock-levels', skuKey);
const movementCursor = cursorKind('stock-movements', seqKey);

/** Stock levels, the movement history, adjustments and low-stock thresholds of one store. */
@Injectable()
export class StockService {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(Cursors) private readonly cursors: Cursors,
  ) {}

  listLevels(ctx: RequestContext, storeId: string, q: StockLevelQuery) {
    return this.db.tenant(ctx, async (tx) => {
      await loadStore(tx, ctx, storeId);
      if (q.productId) await loadProducts(tx, ctx, [{ productId: q.productId, field: 'productId' }]);
      const afterSku =
        q.cursor === undefined ? undefined : this.cursors.decode(ctx.tenantId, levelCursor, q.cursor)[0];
      const rows = await listLevels(tx, ctx.tenantId, storeId, {
        afterSku,
        productId: q.productId,
        limit: q.limit + 1,
      });
      return this.levelPage(tx, ctx.tenantId, storeId, rows, q.limit, levelCursor);
    });
  }

  listLow(ctx: RequestContext, storeId: string, q: LowStockQuery) {
    return this.db.tenant(ctx, async (tx) => {
      await loadStore(tx, ctx, storeId);
      const afterSku =
        q.cursor === undefined ? undefined : this.cursors.decode(ctx.tenantId, lowLevelCursor, q.cursor)[0];
      const rows = await listLowLevels(tx, ctx.tenantId, storeId, { afterSku, limit: q.limit + 1 });
      return this.levelPage(tx, ctx.tenantId, storeId, rows, q.limit, lowLevelCursor);
    });
  }

  listMovements(ctx: RequestContext, storeId: string, q: MovementQuery) {
    return this.db.tenant(ctx, async (tx) => {
      await loadStore(tx, ctx, storeId);
      if (q.productId) await loadProducts(tx, ctx, [{ productId: q.productId, field: 'productId' }]);
      const beforeSeq =
        q.cursor === undefined ? undefined : this.cursors.decode(ctx.tenantId, movementCursor, q.cursor)[0];
      const rows = await listMovements(tx, ctx.tenantId, storeId, {
        beforeSeq,
        productId: q.productId,
        reason: q.reason,
        limit: q.limit + 1,
      });
      return this.cursors.page(ctx.tenantId, movementCursor, rows, q.limit, toMovement, (r) => [r.seq]);
    });
  }

  adjust(ctx: RequestContext, storeId: string, input: CreateAdjustmentInput): Promise<StockAdjustment> {
    return this.db.tenant(ctx, async (tx) => {
      await loadStore(tx, ctx, storeId);
      const lines = await checkQuantityLines(tx, ctx, input.lines);
      const id = randomUUID();
      const note = input.note ?? null;
      const movements = await postMovements(
        tx,
        ctx,
        lines.map((l) => ({
          storeId,
          productId: l.productId,
          quantity: l.quantity,
          reason: 'adjustment' as const,
          reasonCode: input.reasonCode,
          referenceType: 'adjustment' as const,
          referenceId: id,
          note,
          field: l.field,
        })),
      );
      await postStockAdjustmentEntry(
        tx,
        ctx,
        { sourceType: 'stock_adjustment', sourceId: id, memo: `Stock adjustment (${input.reasonCode})` },
        movements,
      );
      await recordAudit(tx, ctx, {
        action: 'inventory.adjustment',
        entityType: 'stock_adjustment',
        entityId: id,
        storeIds: [storeId],
        data: { storeId, reasonCode: input.reasonCode, note, lines: input.lines },
      });
      await recordEvents(tx, ctx, [stockMoved(storeId, 'adjustment', id, movements)]);
      return { id, storeId, reasonCode: input.reasonCode, note, movements: movements.map(toMovement) };
    });
  }

  setThreshold(
    ctx: RequestContext,
    storeId: string,
    productId: string,
    input: SetThresholdInput,
  ): Promise<StockLevel> {
    return this.db.tenant(ctx, async (tx) => {
      await loadStore(tx, ctx, storeId);
      await loadProducts(tx, ctx, [{ productId, field: 'productId' }]);
      await upsertThreshold(tx, ctx.tenantId, storeId, productId, input.lowStockThreshold);
      const rows = await listLevels(tx, ctx.tenantId, storeId, { productId, limit: 1 });
      const page = await this.levelPage(tx, ctx.tenantId, storeId, rows, 1, levelCursor);
      return page.items[0]!;
    });
  }

  private async levelPage(
    tx: Tx,
    tenantId: string,
    storeId: string,
    rows: LevelRow[],
    limit: number,
    kind: typeof levelCursor,
  ) {
    const kept = rows.slice(0, limit);
    const inTransit = await incomingInTransit(
      tx,
      tenantId,
      storeId,
      kept.map((r) => r.product_id),
    );
    return this.cursors.page(
      tenantId,
      kind,
      rows,
      limit,
      (r) => toStockLevel(r, inTransit.get(r.product_id) ?? 0),
      (r) => [r.sku],
    );
  }
}
