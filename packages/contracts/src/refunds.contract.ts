import { z } from 'zod';
import { pinCode } from './auth.contract.js';
import { cartQuantity, taxLine, taxSummaryRow } from './carts.contract.js';
import { idParams, label, uuid } from './common.schema.js';
import { endpoint } from './endpoint.js';
import { checkoutPayment, sale } from './sales.contract.js';

const TAG = 'refunds';

/**
 * How the refund is paid back, chosen by the cashier: cash (from the till of the register's open cash
 * session), card (back to the card, with the terminal's reference) or another active payment method. The
 * tenders add up to the refund exactly; only the cash part rounds to the cash increment.
 */
export const refundPayment = checkoutPayment;
export type RefundPayment = z.infer<typeof refundPayment>;

const approval = {
  /** A manager's approval at the register, for a cashier who may not refund (or void) alone. */
  managerId: uuid.optional(),
  managerPin: pinCode.optional(),
};

const refundCommon = {
  /** Minted by the register: the idempotency key, like a sale's id. */
  id: uuid,
  /** Taken from a register session; required otherwise. The refund's receipt number is this register's. */
  registerId: uuid.optional(),
  reason: label(500),
  payments: z.array(refundPayment).max(20),
};

const approvalTogether = (
  b: { managerId?: string | undefined; managerPin?: string | undefined },
  ctx: z.RefinementCtx,
) => {
  if ((b.managerId === undefined) !== (b.managerPin === undefined)) {
    ctx.addIssue({ code: 'custom', path: ['managerPin'], message: 'managerId and managerPin go together' });
  }
};

/** A refund of some units of some lines of a sale; `restock: false` for damaged goods. */
export const saleRefundInput = z
  .strictObject({
    ...refundCommon,
    lines: z
      .array(
        z.strictObject({
          lineNo: z.number().int().min(1).max(1000),
          /** Thousandths, like the sale line's quantity. */
          quantity: cartQuantity,
          restock: z.boolean(),
        }),
      )
      .min(1)
      .max(200),
    ...approval,
  })
  .superRefine(approvalTogether);
export type SaleRefundInput = z.infer<typeof saleRefundInput>;

/** A refund without a receipt (manager only): products at their current price and tax. */
export const receiptlessRefundInput = z.strictObject({
  ...refundCommon,
  lines: z
    .array(
      z.strictObject({
        productId: uuid,
        quantity: cartQuantity,
        restock: z.boolean(),
      }),
    )
    .min(1)
    .max(200),
});
export type ReceiptlessRefundInput = z.infer<typeof receiptlessRefundInput>;

export const refund = z.object({
  id: uuid,
  /** null for a refund without a receipt. */
  saleId: uuid.nullable(),
  storeId: uuid,
  registerId: uuid,
  cashSessionId: uuid.nullable(),
  /** Gapless per register, shared with the register's sales. */
  receiptNumber: z.number().int(),
  cashierId: uuid,
  approvedBy: uuid.nullable(),
  currency: z.string(),
  pricing: z.enum(['inclusive', 'exclusive']),
  reason: z.string(),
  lines: z.array(
    z.object({
      lineNo: z.number().int(),
      saleLineNo: z.number().int().nullable(),
      productId: uuid,
      name: z.string(),
      sku: z.string().nullable(),
      quantity: z.number().int(),
      unitPrice: z.number().int(),
      restock: z.boolean(),
      extended: z.number().int(),
      /** The share of the sale's discounts on these units (not handed back). */
      discount: z.number().int(),
      net: z.number().int(),
      tax: z.number().int(),
      gross: z.number().int(),
      taxes: z.array(taxLine),
    }),
  ),
  totals: z.object({
    extended: z.number().int(),
    discount: z.number().int(),
    net: z.number().int(),
    tax: z.number().int(),
    gross: z.number().int(),
    cashRounding: z.number().int(),
    /** gross + cashRounding: what was paid back. */
    paid: z.number().int(),
  }),
  taxSummary: z.array(taxSummaryRow),
  payments: z.array(
    z.object({
      paymentNo: z.number().int(),
      kind: z.enum(['cash', 'card', 'other']),
      methodCode: z.string().nullable(),
      amount: z.number().int(),
      provider: z.string().nullable(),
      reference: z.string().nullable(),
      approvalCode: z.string().nullable(),
    }),
  ),
  createdAt: z.string(),
});
export type Refund = z.infer<typeof refund>;

export const voidInput = z
  .strictObject({
    /** Minted by the register: the idempotency key. */
    id: uuid,
    reason: label(500),
    ...approval,
  })
  .superRefine(approvalTogether);
export type VoidInput = z.infer<typeof voidInput>;

export const saleVoid = z.object({
  id: uuid,
  saleId: uuid,
  cashSessionId: uuid,
  voidedBy: uuid,
  approvedBy: uuid.nullable(),
  reason: z.string(),
  createdAt: z.string(),
  sale,
});
export type SaleVoid = z.infer<typeof saleVoid>;

/**
 * 409: REFUND_EXCEEDS_SALE (naming each line), NO_OPEN_CASH_SESSION (a cash refund, a void), INVALID_STATE
 * (a voided sale; a void outside the sale's open session or of a refunded sale), CONFLICT (a concurrent
 * request with the same id: retry it). 422 IDEMPOTENCY_MISMATCH. 403 APPROVAL_REQUIRED.
 */
export const refundEndpoints = {
  refundSale: endpoint({
    method: 'POST',
    path: '/sales/:id/refunds',
    summary:
      'Refund lines of a sale, exactly once: 201 with the refund, then 200 with the same body for the same id',
    tag: TAG,
    // A cashier refunds with a manager's PIN; 'sales.refund' is checked by the service.
    access: 'sales.sell',
    params: idParams,
    body: saleRefundInput,
    response: refund,
    status: 201,
    otherStatuses: [200],
    errorStatuses: [422],
  }),
  refundWithoutReceipt: endpoint({
    method: 'POST',
    path: '/refunds',
    summary: 'Refund products without a receipt, at their current price (managers), exactly once',
    tag: TAG,
    access: 'sales.refund_without_receipt',
    body: receiptlessRefundInput,
    response: refund,
    status: 201,
    otherStatuses: [200],
    errorStatuses: [422],
  }),
  getRefund: endpoint({
    method: 'GET',
    path: '/refunds/:id',
    summary: 'Get a refund as recorded',
    tag: TAG,
    access: 'sales.sell',
    params: idParams,
    response: refund,
  }),
  saleRefunds: endpoint({
    method: 'GET',
    path: '/sales/:id/refunds',
    summary: 'The refunds of a sale, oldest first',
    tag: TAG,
    access: 'sales.sell',
    params: idParams,
    response: z.object({ items: z.array(refund) }),
  }),
  voidSale: endpoint({
    method: 'POST',
    path: '/sales/:id/void',
    summary:
      "Void a sale of its register's open cash session, exactly once: 201 with the void, then 200 for the same id",
    tag: TAG,
    // A cashier voids with a manager's PIN; 'sales.void' is checked by the service.
    access: 'sales.sell',
    params: idParams,
    body: voidInput,
    response: saleVoid,
    status: 201,
    otherStatuses: [200],
    errorStatuses: [422],
  }),
};
