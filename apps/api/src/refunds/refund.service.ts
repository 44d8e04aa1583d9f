import { Inject, Injectable } from '@nestjs/common';
import type { ReceiptlessRefundInput, Refund, RefundPayment, SaleRefundInput } from '@zakpos/contracts';
import {
  computeRefund,
  type PricedCart,
  PricingError,
  priceCart,
  type RefundResult,
  type Settlement,
  settlePayment,
} from '@zakpos/pricing';
import { levelValueChanges } from '../accounting/inventory-journal.js';
import { postJournalEntry } from '../accounting/journal-posting.js';
import { findRegister } from '../auth/auth.repository.js';
import { can } from '../auth/permission-matrix.js';
import { approvalRequired, checkManagerPin } from '../carts/cart-approval.js';
import { noOpenCashSession } from '../cash/cash.errors.js';
import { findOpenCashSession } from '../cash/cash-session.repository.js';
import { productsByIds, taxRatesByCategory } from '../catalog/catalog-read.port.js';
import type { RequestContext } from '../common/context/request-context.js';
import { DomainError } from '../common/errors/domain-error.js';
import { Database, type Tx } from '../db/database.js';
import { recordEvents } from '../events/outbox.js';
import { stockChanged } from '../events/stock-changed.js';
import { postMovements } from '../inventory/stock-ledger.js';
import { findActivePaymentMethods } from '../payment-methods/payment-method-read.js';
import { requestHash } from '../sales/request-hash.js';
import type { SaleTenders } from '../sales/sale-journal.js';
import {
  type CheckoutSetting,
  checkoutSetting,
  loadSaleRecords,
  type SaleRecord,
  takeDocumentNumber,
} from '../sales/sale.repository.js';
import { assertStoreInScope } from '../tenancy/store-scope.js';
import { refundJournalLines } from './refund-journal.js';
import {
  findRefund,
  findRefundHash,
  insertRefund,
  loadRefundRecords,
  lockSale,
  type RefundPaymentRow,
  refundsOfSale,
} from './refund.repository.js';
import { refundView } from './refund-view.js';

export interface RefundResponse {
  /** 201 for the refund this request recorded, 200 for one recorded before under the same id. */
  status: 201 | 200;
  refund: Refund;
}

/** What a refund hands back, line by line, before it is recorded. */
interface RefundDraft {
  saleId: string | null;
  currency: string;
  pricing: 'inclusive' | 'exclusive';
  figures: RefundResult;
  lines: {
    saleLineNo: number | null;
    productId: string;
    name: string;
    sku: string | null;
    unitPrice: number;
    restock: boolean;
  }[];
}

type Common = { id: string; registerId: string; reason: string; payments: RefundPayment[] };

/**
 * Refunds, exactly once: the refund id is the register's idempotency key, like a sale's. The first request
 * records the refund in ONE unit of work (refund, lines, taxes, payments, receipt number, stock, journal,
 * outbox); the same id again is answered from what was recorded.
 */
@Injectable()
export class RefundService {
  constructor(@Inject(Database) private readonly db: Database) {}

  /** A refund of lines of a sale: 'sales.refund', or a cashier with a manager's PIN. */
  refundSale(ctx: RequestContext, saleId: string, input: SaleRefundInput): Promise<RefundResponse> {
    const body = { ...input, saleId, registerId: this.registerOf(ctx, input.registerId) };
    return this.once(ctx, body, async (tx, hash, approverId) => {
      const sale = await lockSale(tx, ctx.tenantId, saleId);
      if (!sale) throw DomainError.notFound('sale');
      assertStoreInScope(ctx, sale.store_id);
      if (sale.status === 'voided') throw new DomainError('INVALID_STATE', 'the sale is voided');
      let approvedBy: string | null = null;
      if (!can(ctx.role, ctx.sessionKind, 'sales.refund')) {
        if (approverId === null) {
          throw approvalRequired('managerId', "a cashier refunds with a manager's managerId and managerPin");
        }
        approvedBy = approverId;
      }
      const [record] = await loadSaleRecords(tx, ctx.tenantId, [sale]);
      const draft = await this.saleDraft(tx, ctx, record!, body.lines);
      return this.record(tx, ctx, body, hash, approvedBy, draft);
    });
  }

  /** A refund without a receipt, at the products' current price and tax (the route is manager-only). */
  refundWithoutReceipt(ctx: RequestContext, input: ReceiptlessRefundInput): Promise<RefundResponse> {
    const body = { ...input, registerId: this.registerOf(ctx, input.registerId) };
    return this.once(ctx, body, async (tx, hash) => {
      const draft = await this.receiptlessDraft(tx, ctx, body.lines);
      return this.record(tx, ctx, body, hash, null, draft);
    });
  }

  get(ctx: RequestContext, id: string): Promise<Refund> {
    return this.db.tenant(ctx, async (tx) => {
      const refund = await findRefund(tx, ctx.tenantId, id);
      if (!refund) throw DomainError.notFound('refund');
      assertStoreInScope(ctx, refund.store_id);
      const [record] = await loadRefundRecords(tx, ctx.tenantId, [refund]);
      return refundView(record!);
    });
  }

  ofSale(ctx: RequestContext, saleId: string): Promise<{ items: Refund[] }> {
    return this.db.tenant(ctx, async (tx) => {
      const sale = await tx
        .selectFrom('sales')
        .select('store_id')
        .where('tenant_id', '=', ctx.tenantId)
        .where('id', '=', saleId)
        .executeTakeFirst();
      if (!sale) throw DomainError.notFound('sale');
      assertStoreInScope(ctx, sale.store_id);
      const records = await loadRefundRecords(
        tx,
        ctx.tenantId,
        await refundsOfSale(tx, ctx.tenantId, saleId),
      );
      return { items: records.map(refundView) };
    });
  }

  private registerOf(ctx: RequestContext, given: string | undefined): string {
    const registerId = ctx.registerId ?? given;
    if (registerId === undefined) throw DomainError.validation('registerId', 'name the register');
    if (ctx.registerId !== null && given !== undefined && given !== ctx.registerId) {
      throw DomainError.validation('registerId', 'a register session refunds on its own register');
    }
    return registerId;
  }

  /**
   * The idempotency frame (as checkout's): a manager's PIN checked first in its own unit of work (so a wrong
   * PIN is counted), then the refund recorded, or the one recorded before under the id replayed; whatever
   * stopped an attempt, a refund recorded under the id meanwhile (a concurrent duplicate) is the answer.
   */
  private async once(
    ctx: RequestContext,
    body: Common & { managerId?: string | undefined; managerPin?: string | undefined },
    record: (tx: Tx, hash: string, approverId: string | null) => Promise<Refund>,
  ): Promise<RefundResponse> {
    const hash = requestHash(body);
    const approverId = await this.approver(ctx, body);
    const replayed = (tx: Tx) => this.replay(tx, ctx, body.id, hash);
    try {
      return await this.db.tenant(ctx, async (tx) => {
        const prior = await replayed(tx);
        if (prior) return prior;
        return { status: 201, refund: await record(tx, hash, approverId) };
      });
    } catch (e) {
      const prior = await this.db.tenant(ctx, replayed);
      if (prior) return prior;
      throw e;
    }
  }

  private async replay(
    tx: Tx,
    ctx: RequestContext,
    id: string,
    hash: string,
  ): Promise<RefundResponse | null> {
    const prior = await findRefundHash(tx, ctx.tenantId, id);
    if (!prior) return null;
    if (prior.request_hash !== hash) {
      throw new DomainError('IDEMPOTENCY_MISMATCH', 'this refund id was used by a different request', {
        id: ['was used by a different request; mint a new id for a new refund'],
      });
    }
    const refund = (await findRefund(tx, ctx.tenantId, id))!;
    assertStoreInScope(ctx, refund.store_id);
    const [record] = await loadRefundRecords(tx, ctx.tenantId, [refund]);
    return { status: 200, refund: refundView(record!) };
  }

  private async approver(
    ctx: RequestContext,
    body: { registerId: string; managerId?: string | undefined; managerPin?: string | undefined },
  ): Promise<string | null> {
    const { managerId, managerPin } = body;
    if (managerId === undefined || managerPin === undefined) return null;
    const outcome = await this.db.tenant(ctx, async (tx) => {
      const register = await findRegister(tx, ctx.tenantId, body.registerId);
      if (!register) return { kind: 'refused' as const, error: DomainError.notFound('register') };
      return checkManagerPin(tx, ctx, register.store_id, managerId, managerPin);
    });
    if (outcome.kind === 'refused') throw outcome.error;
    return outcome.approverId;
  }

  /** The sale's lines refunded, each figure from computeRefund over the sale's earlier refunds. */
  private async saleDraft(
    tx: Tx,
    ctx: RequestContext,
    record: SaleRecord,
    wanted: SaleRefundInput['lines'],
  ): Promise<RefundDraft> {
    const { sale } = record;
    const saleLines = new Map(record.lines.map((l) => [l.line_no, l]));
    const previous = await loadRefundRecords(
      tx,
      ctx.tenantId,
      await refundsOfSale(tx, ctx.tenantId, sale.id),
    );
    const refunded = new Map<number, number>();
    for (const p of previous)
      for (const l of p.lines)
        refunded.set(l.sale_line_no!, (refunded.get(l.sale_line_no!) ?? 0) + l.quantity);

    const seen = new Set<number>();
    const exceeded: Record<string, string[]> = {};
    const products = await productsByIds(
      tx,
      ctx,
      record.lines.map((l) => l.product_id),
    );
    wanted.forEach((w, i) => {
      const line = saleLines.get(w.lineNo);
      if (!line) throw DomainError.validation(`lines[${i}].lineNo`, `the sale has no line ${w.lineNo}`);
      if (seen.has(w.lineNo)) throw DomainError.validation(`lines[${i}].lineNo`, `line ${w.lineNo} repeats`);
      seen.add(w.lineNo);
      if (products.get(line.product_id)?.unit === 'each' && w.quantity % 1000 !== 0) {
        throw DomainError.validation(`lines[${i}].quantity`, 'must be whole units (a multiple of 1000)');
      }
      const left = line.quantity - (refunded.get(w.lineNo) ?? 0);
      if (w.quantity > left) {
        exceeded[`lines[${i}].quantity`] = [
          `line ${w.lineNo} (${line.name}): ${left} of the ${line.quantity} sold are left to refund (thousandths)`,
        ];
      }
    });
    if (Object.keys(exceeded).length > 0) {
      throw new DomainError('REFUND_EXCEEDS_SALE', 'more than was sold, counting earlier refunds', exceeded);
    }

    const taxesOf = (lineNo: number) =>
      record.taxes
        .filter((t) => t.line_no === lineNo)
        .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
        .map((t) => ({ code: t.code, ratePpm: t.rate_ppm, tax: t.tax }));
    // The sale as it was priced, from its stored figures: what computeRefund takes its shares of.
    const priced: PricedCart = {
      currency: sale.currency,
      exponent: 0,
      pricing: sale.pricing,
      rounding: 'half-up',
      lines: record.lines.map((l) => ({
        id: String(l.line_no),
        unitPrice: l.unit_price,
        quantity: l.quantity,
        taxRates: [],
        extended: l.extended,
        lineDiscount: l.line_discount,
        cartDiscount: l.cart_discount,
        amount: l.extended - l.line_discount - l.cart_discount,
        net: l.net,
        tax: l.tax,
        gross: l.gross,
        taxes: taxesOf(l.line_no),
      })),
      totals: {
        extended: sale.extended,
        lineDiscount: sale.line_discount,
        cartDiscount: sale.cart_discount,
        discount: sale.line_discount + sale.cart_discount,
        net: sale.net,
        tax: sale.tax,
        gross: sale.gross,
      },
      taxSummary: [],
    };
    const before: RefundResult[] = previous.map((p) => ({
      currency: sale.currency,
      lines: p.lines.map((l) => ({
        lineId: String(l.sale_line_no),
        quantity: l.quantity,
        extended: l.extended,
        discount: l.discount,
        net: l.net,
        taxes: [],
        tax: l.tax,
        gross: l.gross,
      })),
      totals: {
        extended: p.refund.extended,
        discount: p.refund.discount,
        net: p.refund.net,
        tax: p.refund.tax,
        gross: p.refund.gross,
      },
      taxSummary: [],
    }));
    const figures = pricing(() =>
      computeRefund(
        priced,
        wanted.map((w) => ({ lineId: String(w.lineNo), quantity: w.quantity })),
        before,
      ),
    );
    return {
      saleId: sale.id,
      currency: sale.currency,
      pricing: sale.pricing,
      figures,
      lines: wanted.map((w) => {
        const l = saleLines.get(w.lineNo)!;
        return {
          saleLineNo: l.line_no,
          productId: l.product_id,
          name: l.name,
          sku: l.sku,
          unitPrice: l.unit_price,
          restock: w.restock,
        };
      }),
    };
  }

  /** Products handed back without a receipt, priced as they sell today (no discount). */
  private async receiptlessDraft(
    tx: Tx,
    ctx: RequestContext,
    wanted: ReceiptlessRefundInput['lines'],
  ): Promise<RefundDraft> {
    const products = await productsByIds(
      tx,
      ctx,
      wanted.map((w) => w.productId),
    );
    wanted.forEach((w, i) => {
      const product = products.get(w.productId);
      if (!product) throw DomainError.validation(`lines[${i}].productId`, 'product not found');
      if (product.unit === 'each' && w.quantity % 1000 !== 0) {
        throw DomainError.validation(`lines[${i}].quantity`, 'must be whole units (a multiple of 1000)');
      }
    });
    const tenant = await tx
      .selectFrom('tenants')
      .select(['currency', 'prices_include_tax'])
      .where('id', '=', ctx.tenantId)
      .executeTakeFirstOrThrow();
    const rates = await taxRatesByCategory(
      tx,
      ctx,
      [...products.values()].map((p) => p.taxCategoryId),
    );
    const priced = pricing(() =>
      priceCart({
        currency: tenant.currency,
        pricing: tenant.prices_include_tax ? 'inclusive' : 'exclusive',
        lines: wanted.map((w, i) => {
          const p = products.get(w.productId)!;
          return {
            id: String(i),
            unitPrice: p.price,
            quantity: w.quantity,
            taxes: rates.get(p.taxCategoryId) ?? [],
          };
        }),
      }),
    );
    const figures = pricing(() =>
      computeRefund(
        priced,
        wanted.map((w, i) => ({ lineId: String(i), quantity: w.quantity })),
      ),
    );
    return {
      saleId: null,
      currency: tenant.currency,
      pricing: priced.pricing,
      figures,
      lines: wanted.map((w) => {
        const p = products.get(w.productId)!;
        return {
          saleLineNo: null,
          productId: p.id,
          name: p.name,
          sku: p.sku,
          unitPrice: p.price,
          restock: w.restock,
        };
      }),
    };
  }

  private async record(
    tx: Tx,
    ctx: RequestContext,
    body: Common,
    hash: string,
    approvedBy: string | null,
    draft: RefundDraft,
  ): Promise<Refund> {
    const setting = await checkoutSetting(tx, ctx.tenantId, body.registerId);
    if (!setting) throw DomainError.notFound('register');
    assertStoreInScope(ctx, setting.storeId);
    if (!setting.usable) throw new DomainError('INVALID_STATE', 'the register or its store is inactive');
    // Locked FOR SHARE like a checkout's: a close waits for this refund and counts its cash.
    const session = await findOpenCashSession(tx, ctx.tenantId, body.registerId, 'share');
    if (!session && body.payments.some((p) => p.kind === 'cash')) throw noOpenCashSession();
    const { settlement, payments, tenders } = await this.settle(tx, ctx, setting, body, draft.figures);

    const receiptNumber = await takeDocumentNumber(tx, ctx.tenantId, body.registerId);
    const movements = await postMovements(
      tx,
      ctx,
      draft.lines.flatMap((l, i) =>
        l.restock
          ? [
              {
                storeId: setting.storeId,
                productId: l.productId,
                quantity: draft.figures.lines[i]!.quantity,
                reason: 'refund' as const,
                referenceType: 'refund' as const,
                referenceId: body.id,
              },
            ]
          : [],
      ),
    );
    const restockedValue = (await levelValueChanges(tx, ctx, movements)).reduce((s, c) => s + c.value, 0);

    const figures = draft.figures;
    const record = await insertRefund(tx, {
      refund: {
        tenant_id: ctx.tenantId,
        id: body.id,
        sale_id: draft.saleId,
        store_id: setting.storeId,
        register_id: body.registerId,
        cash_session_id: session?.id ?? null,
        receipt_number: receiptNumber,
        cashier_id: ctx.userId,
        approved_by: approvedBy,
        currency: draft.currency,
        pricing: draft.pricing,
        reason: body.reason,
        extended: figures.totals.extended,
        discount: figures.totals.discount,
        net: figures.totals.net,
        tax: figures.totals.tax,
        gross: figures.totals.gross,
        cash_rounding: settlement.cashRounding,
        paid: figures.totals.gross + settlement.cashRounding,
        restocked_value: restockedValue,
        request_hash: hash,
      },
      lines: draft.lines.map((l, i) => {
        const f = figures.lines[i]!;
        return {
          tenant_id: ctx.tenantId,
          refund_id: body.id,
          line_no: i + 1,
          sale_id: draft.saleId,
          sale_line_no: l.saleLineNo,
          product_id: l.productId,
          name: l.name,
          sku: l.sku,
          quantity: f.quantity,
          unit_price: l.unitPrice,
          restock: l.restock,
          extended: f.extended,
          discount: f.discount,
          net: f.net,
          tax: f.tax,
          gross: f.gross,
        };
      }),
      taxes: figures.lines.flatMap((f, i) =>
        f.taxes.map((t) => ({
          tenant_id: ctx.tenantId,
          refund_id: body.id,
          line_no: i + 1,
          code: t.code,
          rate_ppm: t.ratePpm,
          taxable_net: f.net,
          tax: t.tax,
        })),
      ),
      payments: payments.map((p) => ({ ...p, refund_id: body.id })),
    });

    const journal = refundJournalLines(
      setting.storeId,
      figures,
      settlement.cashRounding,
      tenders,
      restockedValue,
    );
    if (journal.length >= 2) {
      await postJournalEntry(tx, ctx, {
        sourceType: 'refund',
        sourceId: body.id,
        memo: `Refund ${receiptNumber}`,
        lines: journal,
      });
    }
    await recordEvents(tx, ctx, [
      {
        type: 'refund.completed',
        aggregateType: 'refund',
        aggregateId: body.id,
        payload: {
          refundId: body.id,
          saleId: draft.saleId,
          storeId: setting.storeId,
          registerId: body.registerId,
          receiptNumber,
          currency: draft.currency,
          gross: figures.totals.gross,
        },
      },
      ...(movements.length > 0
        ? [
            stockChanged(
              setting.storeId,
              'refund',
              body.id,
              movements.map((m) => ({ productId: m.product_id, quantity: m.quantity })),
            ),
          ]
        : []),
    ]);
    return refundView(record);
  }

  /**
   * The tenders paid back, settled against the refund's gross like a sale's: card and other exactly, the cash
   * part rounded to the cash increment; no more cash than that (there is no change on a refund).
   */
  private async settle(
    tx: Tx,
    ctx: RequestContext,
    setting: CheckoutSetting,
    body: Common,
    figures: RefundResult,
  ): Promise<{
    settlement: Settlement;
    payments: Omit<RefundPaymentRow, 'refund_id'>[];
    tenders: SaleTenders;
  }> {
    const codes = body.payments.flatMap((p) => (p.kind === 'other' ? [p.methodCode] : []));
    const active = await findActivePaymentMethods(tx, ctx, codes);
    body.payments.forEach((p, i) => {
      if (p.kind === 'other' && !active.has(p.methodCode)) {
        throw DomainError.validation(`payments[${i}].methodCode`, 'is not an active payment method');
      }
    });
    let settlement: Settlement;
    try {
      settlement = settlePayment({
        amountDue: figures.totals.gross,
        tenders: body.payments.map((p, i) => ({ id: String(i), kind: p.kind, amount: p.amount })),
        cashIncrement: setting.cashIncrement,
      });
    } catch (e) {
      if (e instanceof PricingError)
        throw DomainError.validation(e.field.replace(/^tenders/, 'payments'), e.message);
      throw e;
    }
    if (!Number.isSafeInteger(settlement.cashTendered + settlement.nonCash)) {
      throw DomainError.validation('payments', 'the tenders add up to more than can be recorded');
    }
    if (settlement.change > 0) {
      throw DomainError.validation(
        'payments',
        `${settlement.change} (minor units) more cash than the ${settlement.cashDue} due back`,
      );
    }
    if (!settlement.settled) {
      throw DomainError.validation(
        'payments',
        `${settlement.outstanding} (minor units) is still to pay back`,
      );
    }
    let card = 0;
    const other = new Map<string, number>();
    const payments = body.payments.map((p, i): Omit<RefundPaymentRow, 'refund_id'> => {
      const row = {
        tenant_id: ctx.tenantId,
        payment_no: i + 1,
        kind: p.kind,
        method_code: null as string | null,
        amount: p.amount,
        provider: null as string | null,
        reference: null as string | null,
        approval_code: null as string | null,
      };
      if (p.kind === 'card') {
        row.provider = p.provider ?? 'terminal';
        row.reference = p.reference;
        row.approval_code = p.approvalCode ?? null;
        card += p.amount;
      } else if (p.kind === 'other') {
        row.method_code = p.methodCode;
        row.reference = p.reference ?? null;
        other.set(p.methodCode, (other.get(p.methodCode) ?? 0) + p.amount);
      }
      return row;
    });
    return { settlement, payments, tenders: { cash: settlement.cashKept, card, other } };
  }
}

/** Runs a pricing step; its refusals are a 400 naming the field. */
function pricing<T>(step: () => T): T {
  try {
    return step();
  } catch (e) {
    if (e instanceof PricingError) {
      if (e.code === 'REFUND_EXCEEDS_SALE' || e.code === 'REFUND_EXCEEDS_PAID') {
        throw new DomainError('REFUND_EXCEEDS_SALE', e.message, { [e.field]: [e.message] });
      }
      throw DomainError.validation(e.field, e.message);
    }
    throw e;
  }
}
