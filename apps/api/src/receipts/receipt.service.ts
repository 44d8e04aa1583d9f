import { Inject, Injectable } from '@nestjs/common';
import type { ReceiptQuery } from '@zakpos/contracts';
import {
  buildReceipt,
  buildZReport,
  renderEscPos,
  renderHtml,
  renderText,
  renderZReportEscPos,
  renderZReportHtml,
  renderZReportText,
  type ReceiptSale,
  type ZReport,
} from '@zakpos/receipt';
import { loadSession } from '../cash/cash-access.js';
import { findZReport } from '../cash/z-report.repository.js';
import type { RequestContext } from '../common/context/request-context.js';
import { DomainError } from '../common/errors/domain-error.js';
import { Database, type Tx } from '../db/database.js';
import { findRefund, loadRefundRecords } from '../refunds/refund.repository.js';
import { refundView } from '../refunds/refund-view.js';
import { findSale, loadSaleRecords } from '../sales/sale.repository.js';
import { saleView } from '../sales/sale-view.js';
import { assertStoreInScope } from '../tenancy/store-scope.js';
import { receiptOfRefund } from './receipt-of-refund.js';
import { receiptOfSale } from './receipt-of-sale.js';
import { receiptOfZReport } from './receipt-of-z-report.js';
import { printedReceiptNumber } from './receipt-number.js';
import type { DocumentReceiptContext } from './receipt-parts.js';
import {
  firstPrintedNumber,
  paymentMethodNames,
  productUnits,
  receiptSetting,
  recordPrint,
  registerSetting,
} from './receipt.repository.js';
import type { ReceiptDocumentType } from './receipts.tables.js';

/** A rendered receipt: text and HTML as strings, ESC/POS as bytes. */
export type RenderedReceipt = string | Uint8Array;

/** A recorded document's row fields that its receipt is printed from. */
interface PrintedDocument {
  type: ReceiptDocumentType;
  id: string;
  storeId: string;
  registerId: string;
  cashierId: string;
  /** The register's document number. */
  number: number;
  payments: readonly { methodCode: string | null }[];
  lines: readonly { productId: string }[];
}

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
      const print = await printContext(tx, ctx.tenantId, options, {
        type: 'sale',
        id: row.id,
        storeId: row.store_id,
        registerId: row.register_id,
        cashierId: row.cashier_id,
        number: row.receipt_number,
        payments: sale.payments,
        lines: sale.lines,
      });
      return render(receiptOfSale(sale, print), q);
    });
  }

  /** A refund's receipt, numbered and counted like a sale's; it names the refunded sale's receipt. */
  refundReceipt(
    ctx: RequestContext,
    id: string,
    q: ReceiptQuery,
    options: { count: boolean },
  ): Promise<RenderedReceipt> {
    return this.db.tenant(ctx, async (tx) => {
      const row = await findRefund(tx, ctx.tenantId, id);
      if (!row) throw DomainError.notFound('refund');
      assertStoreInScope(ctx, row.store_id);
      const [record] = await loadRefundRecords(tx, ctx.tenantId, [row]);
      const refund = refundView(record!);
      const print = await printContext(tx, ctx.tenantId, options, {
        type: 'refund',
        id: row.id,
        storeId: row.store_id,
        registerId: row.register_id,
        cashierId: row.cashier_id,
        number: refund.receiptNumber,
        payments: refund.payments,
        lines: refund.lines,
      });
      const originalReceiptNumber =
        refund.saleId === null ? null : await saleReceiptNumber(tx, ctx.tenantId, refund.saleId);
      return render(receiptOfRefund(refund, { ...print, originalReceiptNumber }), q);
    });
  }

  /** The stored Z report of a closed session, printed; 404 while the session is open. */
  zReportReceipt(ctx: RequestContext, sessionId: string, q: ReceiptQuery): Promise<RenderedReceipt> {
    return this.db.tenant(ctx, async (tx) => {
      const session = await loadSession(tx, ctx, sessionId);
      const report = await findZReport(tx, ctx.tenantId, sessionId);
      if (!report || report.number === null || report.closedAt === null) {
        throw DomainError.notFound('Z report (the session is still open)');
      }
      const setting = await registerSetting(tx, ctx.tenantId, {
        storeId: session.store_id,
        registerId: session.register_id,
      });
      const methods = [...report.salesByTender, ...report.refundsByTender].flatMap((t) =>
        t.methodCode === null ? [] : [t.methodCode],
      );
      const z = receiptOfZReport(
        { ...report, number: report.number, closedAt: report.closedAt },
        { setting, paymentMethodNames: await paymentMethodNames(tx, ctx.tenantId, methods) },
      );
      return renderZ(z, q);
    });
  }
}

/**
 * Counts one more print of the document (unless `count` is false) and reads what its receipt prints
 * beside the document: where and by whom, the number as first printed, payment method names, units.
 */
async function printContext(
  tx: Tx,
  tenantId: string,
  options: { count: boolean },
  doc: PrintedDocument,
): Promise<DocumentReceiptContext> {
  const setting = await receiptSetting(tx, tenantId, doc);
  const receiptNumber = printedReceiptNumber(setting.storeCode, setting.registerPosition, doc.number);
  const print = options.count
    ? await recordPrint(tx, tenantId, { type: doc.type, id: doc.id, receiptNumber })
    : { count: 1, receiptNumber: (await firstPrintedNumber(tx, tenantId, doc)) ?? receiptNumber };
  return {
    setting,
    receiptNumber: print.receiptNumber,
    printNumber: print.count,
    paymentMethodNames: await paymentMethodNames(
      tx,
      tenantId,
      doc.payments.flatMap((p) => (p.methodCode === null ? [] : [p.methodCode])),
    ),
    productUnits: await productUnits(
      tx,
      tenantId,
      doc.lines.map((l) => l.productId),
    ),
  };
}

/** A sale's receipt number as its first print showed it, or as it would print now when never printed. */
async function saleReceiptNumber(tx: Tx, tenantId: string, saleId: string): Promise<string> {
  const printed = await firstPrintedNumber(tx, tenantId, { type: 'sale', id: saleId });
  if (printed !== undefined) return printed;
  const sale = await findSale(tx, tenantId, saleId);
  const setting = await registerSetting(tx, tenantId, {
    storeId: sale!.store_id,
    registerId: sale!.register_id,
  });
  return printedReceiptNumber(setting.storeCode, setting.registerPosition, sale!.receipt_number);
}

const columnsOf = (q: ReceiptQuery) => (q.paper === '58mm' ? 32 : 48);

function render(receipt: ReceiptSale, q: ReceiptQuery): RenderedReceipt {
  const model = buildReceipt(receipt);
  switch (q.format) {
    case 'text':
      return renderText(model, { columns: columnsOf(q) });
    case 'escpos':
      return renderEscPos(model, { columns: columnsOf(q) });
    case 'html':
      return renderHtml(model);
  }
}

function renderZ(z: ZReport, q: ReceiptQuery): RenderedReceipt {
  const model = buildZReport(z);
  switch (q.format) {
    case 'text':
      return renderZReportText(model, { columns: columnsOf(q) });
    case 'escpos':
      return renderZReportEscPos(model, { columns: columnsOf(q) });
    case 'html':
      return renderZReportHtml(model);
  }
}
