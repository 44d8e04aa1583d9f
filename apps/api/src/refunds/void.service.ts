import { Inject, Injectable } from '@nestjs/common';
import type { SaleVoid, VoidInput } from '@zakpos/contracts';
import { levelValueChanges } from '../accounting/inventory-journal.js';
import { postedBalance, postJournalEntry, postReversal } from '../accounting/journal-posting.js';
import { can } from '../auth/permission-matrix.js';
import { approvalRequired, checkManagerPin } from '../carts/cart-approval.js';
import { noOpenCashSession } from '../cash/cash.errors.js';
import { findOpenCashSession } from '../cash/cash-session.repository.js';
import type { RequestContext } from '../common/context/request-context.js';
import { DomainError } from '../common/errors/domain-error.js';
import { Database, type Tx } from '../db/database.js';
import { recordEvents } from '../events/outbox.js';
import { stockChanged } from '../events/stock-changed.js';
import { postMovements } from '../inventory/stock-ledger.js';
import { requestHash } from '../sales/request-hash.js';
import { findSale, loadSaleRecords } from '../sales/sale.repository.js';
import { saleView } from '../sales/sale-view.js';
import { assertStoreInScope } from '../tenancy/store-scope.js';
import {
  findVoid,
  insertVoid,
  lockSale,
  markSaleVoided,
  refundsOfSale,
  type SaleVoidRow,
} from './refund.repository.js';

export interface VoidResponse {
  /** 201 for the void this request recorded, 200 for one recorded before under the same id. */
  status: 201 | 200;
  void: SaleVoid;
}

/**
 * Voids, exactly once: a sale of its register's open cash session cancelled as a whole, keyed by the void's
 * client-minted id. One unit of work: the void row, the sale marked voided, the reversal of the sale's
 * journal entry, its stock moved back, the outbox events.
 */
@Injectable()
export class VoidService {
  constructor(@Inject(Database) private readonly db: Database) {}

  async voidSale(ctx: RequestContext, saleId: string, input: VoidInput): Promise<VoidResponse> {
    const body = { ...input, saleId };
    const hash = requestHash(body);
    const approverId = await this.approver(ctx, body);
    try {
      return await this.db.tenant(ctx, async (tx) => {
        const prior = await this.replay(tx, ctx, input.id, hash);
        if (prior) return prior;
        return { status: 201, void: await this.record(tx, ctx, body, hash, approverId) };
      });
    } catch (e) {
      const prior = await this.db.tenant(ctx, (tx) => this.replay(tx, ctx, input.id, hash));
      if (prior) return prior;
      throw e;
    }
  }

  private async replay(tx: Tx, ctx: RequestContext, id: string, hash: string): Promise<VoidResponse | null> {
    const prior = await findVoid(tx, ctx.tenantId, id);
    if (!prior) return null;
    if (prior.request_hash !== hash) {
      throw new DomainError('IDEMPOTENCY_MISMATCH', 'this void id was used by a different request', {
        id: ['was used by a different request; mint a new id for a new void'],
      });
    }
    return { status: 200, void: await this.view(tx, ctx, prior) };
  }

  /** A manager's PIN, checked in its own unit of work so a wrong one is counted. */
  private async approver(ctx: RequestContext, body: VoidInput & { saleId: string }): Promise<string | null> {
    const { managerId, managerPin } = body;
    if (managerId === undefined || managerPin === undefined) return null;
    const outcome = await this.db.tenant(ctx, async (tx) => {
      const sale = await findSale(tx, ctx.tenantId, body.saleId);
      if (!sale) return { kind: 'refused' as const, error: DomainError.notFound('sale') };
      return checkManagerPin(tx, ctx, sale.store_id, managerId, managerPin);
    });
    if (outcome.kind === 'refused') throw outcome.error;
    return outcome.approverId;
  }

  private async record(
    tx: Tx,
    ctx: RequestContext,
    body: VoidInput & { saleId: string },
    hash: string,
    approverId: string | null,
  ): Promise<SaleVoid> {
    const sale = await lockSale(tx, ctx.tenantId, body.saleId);
    if (!sale) throw DomainError.notFound('sale');
    assertStoreInScope(ctx, sale.store_id);
    if (sale.status === 'voided') throw new DomainError('INVALID_STATE', 'the sale is already voided');
    let approvedBy: string | null = null;
    if (!can(ctx.role, ctx.sessionKind, 'sales.void')) {
      if (approverId === null) {
        throw approvalRequired('managerId', "a cashier voids with a manager's managerId and managerPin");
      }
      approvedBy = approverId;
    }
    if ((await refundsOfSale(tx, ctx.tenantId, sale.id)).length > 0) {
      throw new DomainError('INVALID_STATE', 'the sale has refunds: it can no longer be voided');
    }
    // Locked FOR SHARE: the session cannot close while its sale is being voided.
    const session = await findOpenCashSession(tx, ctx.tenantId, sale.register_id, 'share');
    if (!session) throw noOpenCashSession();
    if (session.id !== sale.cash_session_id) {
      throw new DomainError(
        'INVALID_STATE',
        "only a sale of its register's open cash session can be voided; refund it instead",
      );
    }

    const at = new Date();
    const row = await insertVoid(tx, {
      tenant_id: ctx.tenantId,
      id: body.id,
      sale_id: sale.id,
      cash_session_id: session.id,
      voided_by: ctx.userId,
      approved_by: approvedBy,
      reason: body.reason,
      request_hash: hash,
      created_at: at,
    });
    await markSaleVoided(tx, ctx.tenantId, sale.id, ctx.userId, at);
    await postReversal(
      tx,
      ctx,
      { sourceType: 'sale', sourceId: sale.id },
      { sourceType: 'sale_void', sourceId: body.id, memo: `Void of sale ${sale.receipt_number}` },
    );
    const [record] = await loadSaleRecords(tx, ctx.tenantId, [sale]);
    // The sale's own movements turned round (reason and reference stay the sale's: the stock it took, given back).
    const movements = await postMovements(
      tx,
      ctx,
      record!.lines.map((l) => ({
        storeId: sale.store_id,
        productId: l.product_id,
        quantity: l.quantity,
        reason: 'sale' as const,
        referenceType: 'sale' as const,
        referenceId: sale.id,
        note: 'void',
      })),
    );
    // The reversal gives back the sale's COGS as its entry booked it (the levels' value change then, which for
    // weighed goods need not be the lines' own cost, sale.cost); the levels take the goods back at what they
    // are worth now (a weighed product's rounding differs once its level has moved since the sale). The
    // difference goes between inventory and COGS, so inventory stays equal to Σ on hand × cost.
    const booked = await postedBalance(tx, ctx, { sourceType: 'sale', sourceId: sale.id }, 'cogs');
    const restocked = (await levelValueChanges(tx, ctx, movements)).reduce((s, c) => s + c.value, 0);
    const difference = restocked - booked;
    if (difference !== 0) {
      const amount = Math.abs(difference);
      await postJournalEntry(tx, ctx, {
        sourceType: 'sale_void_stock',
        sourceId: body.id,
        memo: `Void of sale ${sale.receipt_number}: stock value difference`,
        lines: [
          {
            purpose: 'inventory',
            storeId: sale.store_id,
            ...(difference > 0 ? { debit: amount } : { credit: amount }),
          },
          {
            purpose: 'cogs',
            storeId: sale.store_id,
            ...(difference > 0 ? { credit: amount } : { debit: amount }),
          },
        ],
      });
    }
    await recordEvents(tx, ctx, [
      {
        type: 'sale.voided',
        aggregateType: 'sale',
        aggregateId: sale.id,
        payload: {
          saleId: sale.id,
          voidId: body.id,
          storeId: sale.store_id,
          registerId: sale.register_id,
          receiptNumber: sale.receipt_number,
          currency: sale.currency,
          gross: sale.gross,
        },
      },
      stockChanged(
        sale.store_id,
        'void',
        sale.id,
        movements.map((m) => ({ productId: m.product_id, quantity: m.quantity })),
      ),
    ]);
    return this.view(tx, ctx, row);
  }

  private async view(tx: Tx, ctx: RequestContext, row: SaleVoidRow): Promise<SaleVoid> {
    const sale = (await findSale(tx, ctx.tenantId, row.sale_id))!;
    assertStoreInScope(ctx, sale.store_id);
    const [record] = await loadSaleRecords(tx, ctx.tenantId, [sale]);
    return {
      id: row.id,
      saleId: row.sale_id,
      cashSessionId: row.cash_session_id,
      voidedBy: row.voided_by,
      approvedBy: row.approved_by,
      reason: row.reason,
      createdAt: row.created_at.toISOString(),
      sale: saleView(record!),
    };
  }
}
