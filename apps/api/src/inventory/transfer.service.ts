import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { CreateTransferInput, Transfer, TransferQuery } from '@zakpos/contracts';
import { postTransferReceivedEntry, postTransferSentEntry } from '../accounting/inventory-journal.js';
import { recordAudit } from '../common/audit/audit-log.js';
import type { RequestContext } from '../common/context/request-context.js';
import { Cursors, cursorKind, seqKey } from '../common/paging/cursor.js';
import { DomainError } from '../common/errors/domain-error.js';
import { Database, type Tx } from '../db/database.js';
import { recordEvents } from '../events/outbox.js';
import { stockMoved } from '../events/stock-changed.js';
import { checkQuantityLines } from './inventory-products.js';
import { transferNotInTransit } from './inventory.errors.js';
import { postMovements } from './stock-ledger.js';
import { loadStore } from '../tenancy/store-access.js';
import { assertStoreInScope, inStoreScope } from '../tenancy/store-scope.js';
import {
  findTransfer,
  insertTransfer,
  linesOf,
  listTransfers,
  markReceived,
  toTransfer,
  type TransferRow,
} from './transfer.repository.js';

const transferCursor = cursorKind('transfers', seqKey);

/**
 * Transfers between two stores of a tenant: sending takes the stock out of the source at once
 * (transfer_out, under the source's oversell policy) and leaves it in transit; receiving puts it
 * into the destination (transfer_in). Sending needs the source store, receiving the destination.
 */
@Injectable()
export class TransferService {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(Cursors) private readonly cursors: Cursors,
  ) {}

  send(ctx: RequestContext, input: CreateTransferInput): Promise<Transfer> {
    return this.db.tenant(ctx, async (tx) => {
      await loadStore(tx, ctx, input.fromStoreId, { field: 'fromStoreId' });
      await loadStore(tx, ctx, input.toStoreId, { scoped: false, field: 'toStoreId' });
      const lines = await checkQuantityLines(tx, ctx, input.lines);
      const id = randomUUID();
      const note = input.note ?? null;
      const row = await insertTransfer(
        tx,
        ctx.tenantId,
        {
          id,
          fromStoreId: input.fromStoreId,
          toStoreId: input.toStoreId,
          note,
          sentBy: ctx.userId,
        },
        input.lines,
      );
      const sent = await postMovements(
        tx,
        ctx,
        lines.map((l) => ({
          storeId: input.fromStoreId,
          productId: l.productId,
          quantity: -l.quantity,
          reason: 'transfer_out' as const,
          referenceType: 'transfer' as const,
          referenceId: id,
          field: l.field,
        })),
      );
      await postTransferSentEntry(tx, ctx, id, sent);
      await recordAudit(tx, ctx, {
        action: 'inventory.transfer.send',
        entityType: 'transfer',
        entityId: id,
        storeIds: [input.fromStoreId, input.toStoreId],
        data: { fromStoreId: input.fromStoreId, toStoreId: input.toStoreId, lines: input.lines },
      });
      await recordEvents(tx, ctx, [stockMoved(input.fromStoreId, 'transfer', id, sent)]);
      return this.withLines(tx, ctx.tenantId, row);
    });
  }

  receive(ctx: RequestContext, id: string): Promise<Transfer> {
    return this.db.tenant(ctx, async (tx) => {
      const found = await this.load(tx, ctx.tenantId, id);
      assertStoreInScope(ctx, found.to_store_id);
      // Conditional update: of two concurrent receives, exactly one finds the transfer in transit.
      const row = await markReceived(tx, ctx.tenantId, id, ctx.userId);
      if (!row) throw transferNotInTransit((await this.load(tx, ctx.tenantId, id)).status);
      const lines = (await linesOf(tx, ctx.tenantId, [id])).get(id) ?? [];
      const received = await postMovements(
        tx,
        ctx,
        lines.map((l) => ({
          storeId: row.to_store_id,
          productId: l.product_id,
          quantity: l.quantity,
          reason: 'transfer_in' as const,
          referenceType: 'transfer' as const,
          referenceId: id,
        })),
      );
      await postTransferReceivedEntry(tx, ctx, { id, toStoreId: row.to_store_id }, received);
      await recordAudit(tx, ctx, {
        action: 'inventory.transfer.receive',
        entityType: 'transfer',
        entityId: id,
        storeIds: [row.from_store_id, row.to_store_id],
        data: { fromStoreId: row.from_store_id, toStoreId: row.to_store_id },
      });
      await recordEvents(tx, ctx, [stockMoved(row.to_store_id, 'transfer', id, received)]);
      return toTransfer(row, lines);
    });
  }

  get(ctx: RequestContext, id: string): Promise<Transfer> {
    return this.db.tenant(ctx, async (tx) => {
      const row = await this.load(tx, ctx.tenantId, id);
      if (!inStoreScope(ctx, row.from_store_id) && !inStoreScope(ctx, row.to_store_id)) {
        throw new DomainError('FORBIDDEN', 'the transfer is between stores that are not yours');
      }
      return this.withLines(tx, ctx.tenantId, row);
    });
  }

  list(ctx: RequestContext, q: TransferQuery) {
    return this.db.tenant(ctx, async (tx) => {
      if (q.storeId) await loadStore(tx, ctx, q.storeId, { field: 'storeId' });
      const rows = await listTransfers(tx, ctx.tenantId, {
        status: q.status,
        storeIds: q.storeId ? [q.storeId] : (ctx.storeIds ?? undefined),
        beforeSeq:
          q.cursor === undefined ? undefined : this.cursors.decode(ctx.tenantId, transferCursor, q.cursor)[0],
        limit: q.limit + 1,
      });
      const kept = rows.slice(0, q.limit);
      const lines = await linesOf(
        tx,
        ctx.tenantId,
        kept.map((r) => r.id),
      );
      return this.cursors.page(
        ctx.tenantId,
        transferCursor,
        rows,
        q.limit,
        (r) => toTransfer(r, lines.get(r.id) ?? []),
        (r) => [r.seq],
      );
    });
  }

  private async load(tx: Tx, tenantId: string, id: string): Promise<TransferRow> {
    const row = await findTransfer(tx, tenantId, id);
    if (!row) throw DomainError.notFound('transfer');
    return row;
  }

  private async withLines(tx: Tx, tenantId: string, row: TransferRow): Promise<Transfer> {
    const lines = await linesOf(tx, tenantId, [row.id]);
    return toTransfer(row, lines.get(row.id) ?? []);
  }
}
