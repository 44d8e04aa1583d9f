import { Inject, Injectable } from '@nestjs/common';
import type { Sale, SalesQuery } from '@zakpos/contracts';
import { z } from 'zod';
import { findCustomer } from '../customers/customer.repository.js';
import type { RequestContext } from '../common/context/request-context.js';
import { DomainError } from '../common/errors/domain-error.js';
import { Cursors, cursorKind } from '../common/paging/cursor.js';
import { Database } from '../db/database.js';
import { assertStoreInScope } from '../tenancy/store-scope.js';
import { findSale, listSales, loadSaleRecords, type SaleFilter } from './sale.repository.js';
import { saleView } from './sale-view.js';

const salesCursor = cursorKind('sales', z.tuple([z.number().int()]));
const customerSalesCursor = cursorKind('customer-sales', z.tuple([z.number().int()]));

type Page = { items: Sale[]; nextCursor: string | null };

/** Reading recorded sales: one, a filtered listing, a customer's purchases. */
@Injectable()
export class SaleQueryService {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(Cursors) private readonly cursors: Cursors,
  ) {}

  get(ctx: RequestContext, id: string): Promise<Sale> {
    return this.db.tenant(ctx, async (tx) => {
      const sale = await findSale(tx, ctx.tenantId, id);
      if (!sale) throw DomainError.notFound('sale');
      assertStoreInScope(ctx, sale.store_id);
      const [record] = await loadSaleRecords(tx, ctx.tenantId, [sale]);
      return saleView(record!);
    });
  }

  list(ctx: RequestContext, q: SalesQuery): Promise<Page> {
    if (q.storeId !== undefined) assertStoreInScope(ctx, q.storeId);
    const before =
      q.cursor === undefined ? undefined : this.cursors.decode(ctx.tenantId, salesCursor, q.cursor)[0];
    return this.page(ctx, salesCursor, q.limit, {
      storeIds: ctx.storeIds,
      storeId: q.storeId,
      registerId: q.registerId,
      cashSessionId: q.cashSessionId,
      from: q.from === undefined ? undefined : new Date(q.from),
      to: q.to === undefined ? undefined : new Date(q.to),
      beforeSeq: before,
      limit: q.limit + 1,
    });
  }

  async customerSales(
    ctx: RequestContext,
    customerId: string,
    q: { cursor?: string | undefined; limit: number },
  ): Promise<Page> {
    const before =
      q.cursor === undefined
        ? undefined
        : this.cursors.decode(ctx.tenantId, customerSalesCursor, q.cursor)[0];
    return this.page(
      ctx,
      customerSalesCursor,
      q.limit,
      { storeIds: ctx.storeIds, customerId, beforeSeq: before, limit: q.limit + 1 },
      async (tx) => {
        if (!(await findCustomer(tx, ctx.tenantId, customerId))) throw DomainError.notFound('customer');
      },
    );
  }

  private page(
    ctx: RequestContext,
    kind: typeof salesCursor,
    limit: number,
    filter: SaleFilter,
    check?: (tx: Parameters<Parameters<Database['tenant']>[1]>[0]) => Promise<void>,
  ): Promise<Page> {
    return this.db.tenant(ctx, async (tx) => {
      await check?.(tx);
      const rows = await listSales(tx, ctx.tenantId, filter);
      const records = await loadSaleRecords(tx, ctx.tenantId, rows.slice(0, limit));
      const views = new Map(records.map((r) => [r.sale.id, saleView(r)]));
      return this.cursors.page(
        ctx.tenantId,
        kind,
        rows,
        limit,
        (r) => views.get(r.id)!,
        (r) => [r.seq],
      );
    });
  }
}
