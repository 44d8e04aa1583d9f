import { Inject, Injectable } from '@nestjs/common';
import type { ReceiptQuery } from '@zakpos/contracts';
import { buildReceipt, renderEscPos, renderHtml, renderText } from '@zakpos/receipt';
import type { RequestContext } from '../common/context/request-context.js';
import { DomainError } from '../common/errors/domain-error.js';
import { Database } from '../db/database.js';
import { findSale, loadSaleRecords } from '../sales/sale.repository.js';
import { saleView } from '../sales/sale-view.js';
import { assertStoreInScope } from '../tenancy/store-scope.js';
import { receiptOfSale } from './receipt-of-sale.js';
import { printedReceiptNumber } from './receipt-number.js';
import { paymentMethodNames, productUnits, receiptSetting, recordPrint } from './receipt.repository.js';

/** A rendered receipt: text and HTML as strings, ESC/POS as bytes. */
export type RenderedReceipt = string | Uint8Array;

/** Receipts of recorded documents, rendered by @zakpos/receipt; each print is counted. */
@Injectable()
export class ReceiptService {
  constructor(@Inject(Database) private readonly db: Database) {}

  /** `count`: false for a HEAD request, whose body nobody prints. */
  saleReceipt(
    ctx: RequestContext,
    id: string,
    q: ReceiptQuery,
    options: { count: boolean },
  ): Promise<RenderedReceipt> {
    return this.db.tenant(ctx, async (tx) => {
      const row = await findSale(tx, ctx.tenantId, id);
      if (!row) throw DomainError.notFound('sale');
      assertStoreInScope(ctx, row.store_id);
      const [record] = await loadSaleRecords(tx, ctx.tenantId, [row]);
      const sale = saleView(record!);
      const setting = await receiptSetting(tx, ctx.tenantId, {
        storeId: row.store_id,
        registerId: row.register_id,
        cashierId: row.cashier_id,
      });
      const receiptNumber = printedReceiptNumber(
        setting.storeCode,
        setting.registerPosition,
        row.receipt_number,
      );
      const print = options.count
        ? await recordPrint(tx, ctx.tenantId, { type: 'sale', id: row.id, receiptNumber })
        : { count: 1, receiptNumber };
      const receipt = receiptOfSale(sale, {
        setting,
        receiptNumber: print.receiptNumber,
        printNumber: print.count,
        paymentMethodNames: await paymentMethodNames(
          tx,
          ctx.tenantId,
          sale.payments.flatMap((p) => (p.methodCode === null ? [] : [p.methodCode])),
        ),
        productUnits: await productUnits(
          tx,
          ctx.tenantId,
          sale.lines.map((l) => l.productId),
        ),
      });
      return render(receipt, q);
    });
  }
}

function render(receipt: Parameters<typeof buildReceipt>[0], q: ReceiptQuery): RenderedReceipt {
  const model = buildReceipt(receipt);
  const columns = q.paper === '58mm' ? 32 : 48;
  switch (q.format) {
    case 'text':
      return renderText(model, { columns });
    case 'escpos':
      return renderEscPos(model, { columns });
    case 'html':
      return renderHtml(model);
  }
}
