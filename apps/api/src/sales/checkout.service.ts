import { Inject, Injectable } from '@nestjs/common';
import type { CheckoutInput, Sale } from '@zakpos/contracts';
import {
  type PricedCart,
  PricingError,
  priceCart,
  type Settlement,
  settlePayment,
  type TenderInput,
} from '@zakpos/pricing';
import { levelValueChanges } from '../accounting/inventory-journal.js';
import { postJournalEntry } from '../accounting/journal-posting.js';
import { stockValue } from '../accounting/money.js';
import { findRegister } from '../auth/auth.repository.js';
import { can } from '../auth/permission-matrix.js';
import { approvalRequired, checkManagerPin } from '../carts/cart-approval.js';
import { pricedCarts, cartTerms } from '../carts/cart-pricing.js';
import { cartLines, findCart } from '../carts/cart.repository.js';
import { requireOpenCashSession } from '../cash/require-open-cash-session.js';
import type { RequestContext } from '../common/context/request-context.js';
import { DomainError } from '../common/errors/domain-error.js';
import { Database, type Tx } from '../db/database.js';
import { pgError, SqlState } from '../db/pg-error.js';
import { recordEvents } from '../events/outbox.js';
import { stockChanged } from '../events/stock-changed.js';
import { postMovements } from '../inventory/stock-ledger.js';
import { pushCartAfterCommit } from '../realtime/cart-updates.js';
import { RealtimeGateway } from '../realtime/realtime.gateway.js';
import { findActivePaymentMethods } from '../payment-methods/payment-method-read.js';
import { assertStoreInScope } from '../tenancy/store-scope.js';
import { type Draft, draftFromCart, draftFromLines } from './checkout-draft.js';
import { requestHash } from './request-hash.js';
import { PAYMENT_PROVIDER, type PaymentProvider } from './payment-provider.js';
import { saleJournalLines, type SaleTenders } from './sale-journal.js';
import {
  type CheckoutSetting,
  checkoutSetting,
  type CheckoutStart,
  checkoutStart,
  findSale,
  findSaleHash,
  insertSale,
  loadSaleRecords,
  lockStockLevels,
  type SaleLineRow,
  type SaleLineTaxRow,
  type SalePaymentRow,
} from './sale.repository.js';
import { saleView } from './sale-view.js';

export interface CheckoutResult {
  /** 201 for the sale this request recorded, 200 for a sale recorded before under the same id. */
  status: 201 | 200;
  sale: Sale;
}

type Body = CheckoutInput & { registerId: string };

/**
 * Checkout, exactly once. The sale id is the register's idempotency key: the first request records the
 * sale in ONE unit of work (sale, lines, payments, stock, journal, receipt number, outbox); the same id
 * again is answered from what was recorded. Two requests with one id racing each other: the second
 * blocks on the first's locks (the register's counter row, the sale's primary key) and, once the first
 * has committed, fails inside and is answered with the first one's sale.
 */
@Injectable()
export class CheckoutService {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(PAYMENT_PROVIDER) private readonly payments: PaymentProvider,
    @Inject(RealtimeGateway) private readonly realtime: RealtimeGateway,
  ) {}

  async checkout(ctx: RequestContext, input: CheckoutInput): Promise<CheckoutResult> {
    const registerId = ctx.registerId ?? input.registerId;
    if (registerId === undefined) throw DomainError.validation('registerId', 'name the register');
    if (ctx.registerId !== null && input.registerId !== undefined && input.registerId !== ctx.registerId) {
      throw DomainError.validation('registerId', 'a register session sells on its own register');
    }
    const body: Body = { ...input, registerId };
    const hash = requestHash(body);
    const approverId = await this.approver(ctx, body);
    try {
      return await this.db.tenant(ctx, async (tx) => {
        // The common case in one round trip: no sale under the id yet, the register open for business.
        const start = await checkoutStart(tx, ctx.tenantId, input.id, registerId);
        const prior = start
          ? start.priorHash
          : (await findSaleHash(tx, ctx.tenantId, input.id))?.request_hash;
        if (prior) return this.replay(tx, ctx, input.id, prior, hash);
        return {
          status: 201,
          sale: await this.record(
            tx,
            ctx,
            body,
            hash,
            approverId,
            start ?? (await this.refusal(tx, ctx, registerId)),
          ),
        };
      });
    } catch (e) {
      // Whatever stopped this attempt, a sale recorded under the id meanwhile (a concurrent duplicate that
      // committed first) is the answer.
      const replayed = await this.db.tenant(ctx, async (tx) => {
        const prior = await findSaleHash(tx, ctx.tenantId, input.id);
        return prior ? this.replay(tx, ctx, input.id, prior.request_hash, hash) : null;
      });
      if (replayed) return replayed;
      if (pgError(e)?.code === SqlState.SALE_CURRENCY_CHANGED) {
        throw new DomainError(
          'CONFLICT',
          "the tenant's currency changed during the checkout: price it again",
        );
      }
      throw e;
    }
  }

  private async replay(
    tx: Tx,
    ctx: RequestContext,
    id: string,
    storedHash: string,
    hash: string,
  ): Promise<CheckoutResult> {
    if (storedHash !== hash) {
      throw new DomainError('IDEMPOTENCY_MISMATCH', 'this sale id was used by a different checkout', {
        id: ['was used by a different checkout; mint a new id for a new sale'],
      });
    }
    const sale = (await findSale(tx, ctx.tenantId, id))!;
    assertStoreInScope(ctx, sale.store_id);
    const [record] = await loadSaleRecords(tx, ctx.tenantId, [sale]);
    return { status: 200, sale: saleView(record!) };
  }

  /**
   * A manager's approval given with the lines: the PIN checked in its own unit of work, so a wrong PIN is
   * counted (and throttled) even though the checkout is refused.
   */
  private async approver(ctx: RequestContext, body: Body): Promise<string | null> {
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

  /** Why a checkout cannot start on this register: it is not the tenant's, or is inactive, or not open. */
  private async refusal(tx: Tx, ctx: RequestContext, registerId: string): Promise<never> {
    const setting = await checkoutSetting(tx, ctx.tenantId, registerId);
    if (!setting) throw DomainError.notFound('register');
    assertStoreInScope(ctx, setting.storeId);
    await requireOpenCashSession(tx, ctx, registerId);
    // Its session opened between the two reads: the till retries.
    throw new DomainError(
      'CONFLICT',
      "the register's cash session opened meanwhile: send the checkout again",
    );
  }

  private async record(
    tx: Tx,
    ctx: RequestContext,
    body: Body,
    hash: string,
    approverId: string | null,
    start: CheckoutStart,
  ): Promise<Sale> {
    const { setting, sessionId } = start;
    assertStoreInScope(ctx, setting.storeId);
    if (!setting.usable) throw new DomainError('INVALID_STATE', 'the register or its store is inactive');

    const draft =
      body.cartId === undefined
        ? await draftFromLines(tx, ctx, body)
        : await draftFromCart(
            tx,
            ctx,
            { cartId: body.cartId, cartVersion: body.cartVersion!, registerId: body.registerId },
            (t, cartId) => this.cartConflict(t, ctx, cartId),
          );
    const priced = this.price(setting, draft);
    this.approve(ctx, setting, draft, priced, approverId, body.cartId !== undefined);
    const { settlement, payments, tenders } = await this.settle(tx, ctx, setting, body, priced);

    const lines: SaleLineRow[] = draft.lines.map((l, i) => {
      const p = priced.lines[i]!;
      const product = draft.products.get(l.productId)!;
      return {
        tenant_id: ctx.tenantId,
        sale_id: body.id,
        line_no: i + 1,
        product_id: l.productId,
        name: product.name,
        sku: product.sku,
        category_id: product.categoryId,
        barcode: l.barcode,
        quantity: l.quantity,
        unit_price: l.unitPrice,
        unit_cost: product.cost,
        discount_bp: l.discount?.kind === 'percent' ? l.discount.basisPoints : null,
        discount_amount: l.discount?.kind === 'amount' ? l.discount.amount : null,
        approved_by: l.approvedBy,
        extended: p.extended,
        line_discount: p.lineDiscount,
        cart_discount: p.cartDiscount,
        net: p.net,
        tax: p.tax,
        gross: p.gross,
        cost: stockValue(l.quantity, product.cost),
      };
    });
    const taxes: SaleLineTaxRow[] = priced.lines.flatMap((p, i) =>
      p.taxes.map((t) => ({
        tenant_id: ctx.tenantId,
        sale_id: body.id,
        line_no: i + 1,
        code: t.code,
        rate_ppm: t.ratePpm,
        taxable_net: p.net,
        tax: t.tax,
      })),
    );
    const record = await insertSale(tx, {
      sale: {
        tenant_id: ctx.tenantId,
        id: body.id,
        store_id: setting.storeId,
        register_id: body.registerId,
        cash_session_id: sessionId,
        cart_id: draft.cartId,
        customer_id: draft.customerId,
        cashier_id: ctx.userId,
        currency: setting.currency,
        pricing: priced.pricing,
        cart_discount_bp: draft.discount?.kind === 'percent' ? draft.discount.basisPoints : null,
        cart_discount_amount: draft.discount?.kind === 'amount' ? draft.discount.amount : null,
        discount_approved_by: draft.discountApprovedBy,
        extended: priced.totals.extended,
        line_discount: priced.totals.lineDiscount,
        cart_discount: priced.totals.cartDiscount,
        net: priced.totals.net,
        tax: priced.totals.tax,
        gross: priced.totals.gross,
        cash_rounding: settlement.cashRounding,
        tendered: settlement.cashTendered + settlement.nonCash,
        change: settlement.change,
        cost: lines.reduce((sum, l) => sum + l.cost, 0),
        note: draft.note,
        request_hash: hash,
      },
      lines,
      taxes,
      payments: payments.map((p) => ({ ...p, sale_id: body.id })),
    });

    const receiptNumber = record.sale.receipt_number;
    // Stock last but for the books and the events: a hot product's level stays locked from here to the
    // commit, and other registers selling it wait only that long.
    const cost = await this.moveStock(tx, ctx, setting, body.id, draft);
    const journal = saleJournalLines(setting.storeId, priced, settlement, tenders, cost);
    if (journal.length >= 2) {
      await postJournalEntry(tx, ctx, {
        sourceType: 'sale',
        sourceId: body.id,
        memo: `Sale ${receiptNumber}`,
        lines: journal,
      });
    }
    await recordEvents(tx, ctx, [
      {
        type: 'sale.completed',
        aggregateType: 'sale',
        aggregateId: body.id,
        payload: {
          saleId: body.id,
          storeId: setting.storeId,
          registerId: body.registerId,
          receiptNumber,
          currency: setting.currency,
          gross: priced.totals.gross,
          customerId: draft.customerId,
        },
      },
      stockChanged(
        setting.storeId,
        'sale',
        body.id,
        draft.lines.map((l) => ({ productId: l.productId, quantity: -l.quantity })),
      ),
    ]);
    if (draft.cart) await this.pushCheckedOutCart(tx, ctx, draft.cart);
    return saleView(record);
  }

  /** A customer display or second device following the cart sees it checked out, once the sale commits. */
  private async pushCheckedOutCart(tx: Tx, ctx: RequestContext, cart: NonNullable<Draft['cart']>) {
    const [view] = await pricedCarts(tx, ctx, await cartTerms(tx, ctx), [cart.row], cart.lines);
    pushCartAfterCommit(tx, this.realtime, ctx.tenantId, view!);
  }

  private price(setting: CheckoutSetting, draft: Draft): PricedCart {
    try {
      return priceCart({
        currency: setting.currency,
        pricing: setting.pricesIncludeTax ? 'inclusive' : 'exclusive',
        ...(draft.discount ? { cartDiscount: draft.discount } : {}),
        lines: draft.lines.map((l, i) => ({
          id: String(i),
          unitPrice: l.unitPrice,
          quantity: l.quantity,
          ...(l.discount ? { discount: l.discount } : {}),
          taxes: draft.products.get(l.productId)!.taxes,
        })),
      });
    } catch (e) {
      if (e instanceof PricingError) {
        throw DomainError.validation(e.field.replace(/^cartDiscount/, 'discount'), e.message);
      }
      throw e;
    }
  }

  /**
   * Discounts beyond the cashier's limit need an approver: the manager whose PIN came with the lines, the
   * seller themself when they may discount, or (for a cart) the approval recorded on the cart.
   */
  private approve(
    ctx: RequestContext,
    setting: CheckoutSetting,
    draft: Draft,
    priced: PricedCart,
    approverId: string | null,
    fromCart: boolean,
  ): void {
    const max = setting.maxCashierDiscountBp;
    const over = (d: Draft['discount'], off: number, base: number) =>
      d !== null && (d.kind === 'percent' ? d.basisPoints > max : off * 10_000 > max * base);
    const by = approverId ?? (can(ctx.role, ctx.sessionKind, 'sales.discount') ? ctx.userId : null);
    const refuse = (field: string) => {
      throw approvalRequired(
        field,
        fromCart
          ? `a discount beyond the cashier's limit of ${max} basis points is not approved on the cart`
          : `beyond the cashier's limit of ${max} basis points: a manager approves with managerId and managerPin`,
      );
    };
    draft.lines.forEach((l, i) => {
      const p = priced.lines[i]!;
      if (l.approvedBy !== null || !over(l.discount, p.lineDiscount, p.extended)) return;
      if (by === null) refuse(fromCart ? 'cartId' : `lines[${i}].discount`);
      l.approvedBy = by;
    });
    const t = priced.totals;
    if (
      draft.discountApprovedBy === null &&
      over(draft.discount, t.cartDiscount, t.extended - t.lineDiscount)
    ) {
      if (by === null) refuse(fromCart ? 'cartId' : 'discount');
      draft.discountApprovedBy = by;
    }
  }

  /** The tenders settled against the sale's gross: who pays what, the change, the cash rounding. */
  private async settle(
    tx: Tx,
    ctx: RequestContext,
    setting: CheckoutSetting,
    body: Body,
    priced: PricedCart,
  ): Promise<{
    settlement: Settlement;
    payments: Omit<SalePaymentRow, 'sale_id'>[];
    tenders: SaleTenders;
  }> {
    const codes = body.payments.flatMap((p) => (p.kind === 'other' ? [p.methodCode] : []));
    const active = await findActivePaymentMethods(tx, ctx, codes);
    body.payments.forEach((p, i) => {
      if (p.kind === 'other' && !active.has(p.methodCode)) {
        throw DomainError.validation(`payments[${i}].methodCode`, 'is not an active payment method');
      }
    });
    const tenders: TenderInput[] = body.payments.map((p, i) => ({
      id: String(i),
      kind: p.kind,
      amount: p.amount,
    }));
    let settlement: Settlement;
    try {
      settlement = settlePayment({
        amountDue: priced.totals.gross,
        tenders,
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
    if (!settlement.settled) {
      throw DomainError.validation('payments', `${settlement.outstanding} (minor units) is still to pay`);
    }
    let cashLeft = settlement.cashKept;
    const other = new Map<string, number>();
    let card = 0;
    const payments = body.payments.map((p, i): Omit<SalePaymentRow, 'sale_id'> => {
      const row = {
        tenant_id: ctx.tenantId,
        payment_no: i + 1,
        kind: p.kind,
        method_code: null as string | null,
        amount: p.amount,
        applied: p.amount,
        provider: null as string | null,
        reference: null as string | null,
        approval_code: null as string | null,
      };
      if (p.kind === 'cash') {
        row.applied = Math.min(p.amount, cashLeft);
        cashLeft -= row.applied;
      } else if (p.kind === 'card') {
        const card_ = this.payments.recordCardPayment(p);
        row.provider = card_.provider;
        row.reference = card_.reference;
        row.approval_code = card_.approvalCode;
        card += p.amount;
      } else {
        row.method_code = p.methodCode;
        row.reference = p.reference ?? null;
        other.set(p.methodCode, (other.get(p.methodCode) ?? 0) + p.amount);
      }
      return row;
    });
    return { settlement, payments, tenders: { cash: settlement.cashKept, card, other } };
  }

  /**
   * The sale's stock movements, after the store's oversell policy: a `refuse` store checks every line
   * first (its levels locked) so the 409 names each short line; the ledger's trigger refuses the same
   * again. Returns the cost of goods sold: the change of the levels' value, as inventory is booked.
   */
  private async moveStock(
    tx: Tx,
    ctx: RequestContext,
    setting: CheckoutSetting,
    saleId: string,
    draft: Draft,
  ): Promise<number> {
    if (setting.oversellPolicy === 'refuse') {
      const onHand = await lockStockLevels(
        tx,
        ctx.tenantId,
        setting.storeId,
        draft.lines.map((l) => l.productId),
      );
      const wanted = new Map<string, number>();
      for (const l of draft.lines) wanted.set(l.productId, (wanted.get(l.productId) ?? 0) + l.quantity);
      const fields: Record<string, string[]> = {};
      draft.lines.forEach((l, i) => {
        const available = onHand.get(l.productId) ?? 0;
        if (wanted.get(l.productId)! > available) {
          fields[`lines[${i}].quantity`] = [
            `insufficient stock of ${draft.products.get(l.productId)!.name}: ${available} available (thousandths)`,
          ];
        }
      });
      if (Object.keys(fields).length > 0) {
        throw new DomainError('INSUFFICIENT_STOCK', 'insufficient stock for some lines', fields);
      }
    }
    const movements = await postMovements(
      tx,
      ctx,
      draft.lines.map((l, i) => ({
        storeId: setting.storeId,
        productId: l.productId,
        quantity: -l.quantity,
        reason: 'sale' as const,
        referenceType: 'sale' as const,
        referenceId: saleId,
        field: `lines[${i}].quantity`,
      })),
    );
    const changes = await levelValueChanges(tx, ctx, movements, draft.products);
    return -changes.reduce((sum, c) => sum + c.value, 0);
  }

  /** 409 CART_VERSION_CONFLICT with the cart as it now is. */
  private async cartConflict(tx: Tx, ctx: RequestContext, cartId: string): Promise<DomainError> {
    const cart = (await findCart(tx, ctx.tenantId, cartId))!;
    const [current] = await pricedCarts(
      tx,
      ctx,
      await cartTerms(tx, ctx),
      [cart],
      await cartLines(tx, ctx.tenantId, [cart.id]),
    );
    return new DomainError(
      'CART_VERSION_CONFLICT',
      `the cart is at version ${cart.version}`,
      { cartVersion: [`is stale; the cart is at version ${cart.version}`] },
      undefined,
      current,
    );
  }
}
