import { z } from 'zod';
import { pinCode } from './auth.contract.js';
import { cartQuantity, discountInput, discountOutput, taxLine, taxSummaryRow } from './carts.contract.js';
import { dateTime, idParams, label, minorUnits, page, pageQuery, text, uuid } from './common.schema.js';
import { endpoint } from './endpoint.js';

const TAG = 'sales';

/** A tenant's payment method code (voucher, gift-card...), as its clearing account is keyed. */
export const paymentMethodCode = text().regex(
  /^[a-z0-9][a-z0-9_-]{0,39}$/,
  'lowercase letters, digits, - and _ (at most 40), starting with a letter or digit',
);

/**
 * One tender. Cash may exceed what is due (change is given from cash); card and other tenders pay exactly
 * and never more than is left. A card is charged by the external terminal, never by ZakPOS: the register
 * sends what the terminal returned.
 */
export const checkoutPayment = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('cash'), amount: minorUnits.min(1) }),
  z.strictObject({
    kind: z.literal('card'),
    amount: minorUnits.min(1),
    /** The terminal or acquirer, as the register names it (e.g. "sumup", "adyen"). */
    provider: label(40).optional(),
    /** The terminal's transaction reference. */
    reference: label(100),
    approvalCode: label(40).optional(),
  }),
  z.strictObject({
    kind: z.literal('other'),
    amount: minorUnits.min(1),
    /** One of the tenant's active payment methods (GET /payment-methods). */
    methodCode: paymentMethodCode,
    reference: label(100).optional(),
  }),
]);
export type CheckoutPayment = z.infer<typeof checkoutPayment>;

export const checkoutLine = z
  .strictObject({
    productId: uuid.optional(),
    /** Any code GET /barcodes/{code} resolves, weighted scale labels included. */
    barcode: text().trim().min(1).max(64).optional(),
    /** Thousandths; default 1000 (one item), or what a weighted label says. */
    quantity: cartQuantity.optional(),
    discount: discountInput.optional(),
  })
  .refine((l) => (l.productId === undefined) !== (l.barcode === undefined), {
    message: 'send productId or barcode, not both',
    path: ['productId'],
  });
export type CheckoutLine = z.infer<typeof checkoutLine>;

/**
 * A checkout: a server cart (with the version the register showed) or the lines themselves. The server
 * prices it again, so what the register computed is never trusted. `id` is minted by the register and is
 * the idempotency key: the same id with the same body returns the sale again, with another body 422.
 */
export const checkoutInput = z
  .strictObject({
    id: uuid,
    /** Taken from a register session; required otherwise. */
    registerId: uuid.optional(),
    cartId: uuid.optional(),
    cartVersion: z.number().int().min(1).max(2_147_483_647).optional(),
    lines: z.array(checkoutLine).min(1).max(200).optional(),
    /** A cart discount, with `lines` (a cart carries its own). */
    discount: discountInput.optional(),
    customerId: uuid.nullable().optional(),
    note: label(500).nullable().optional(),
    payments: z.array(checkoutPayment).max(20),
    /** A manager's approval of discounts beyond the cashier's limit, with `lines`. */
    managerId: uuid.optional(),
    managerPin: pinCode.optional(),
  })
  .superRefine((b, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if ((b.cartId === undefined) === (b.lines === undefined))
      issue('cartId', 'send cartId or lines, not both');
    if (b.cartId !== undefined && b.cartVersion === undefined) issue('cartVersion', 'required with cartId');
    if (b.cartId === undefined && b.cartVersion !== undefined) issue('cartVersion', 'only with cartId');
    if (b.cartId !== undefined) {
      for (const f of ['discount', 'customerId', 'note', 'managerId'] as const) {
        if (b[f] !== undefined) issue(f, 'comes from the cart');
      }
    }
    if ((b.managerId === undefined) !== (b.managerPin === undefined)) {
      issue('managerPin', 'managerId and managerPin go together');
    }
  });
export type CheckoutInput = z.infer<typeof checkoutInput>;

export const saleLine = z.object({
  lineNo: z.number().int(),
  productId: uuid,
  name: z.string(),
  sku: z.string().nullable(),
  barcode: z.string().nullable(),
  quantity: z.number().int(),
  unitPrice: z.number().int(),
  discount: discountOutput.nullable(),
  approvedBy: uuid.nullable(),
  extended: z.number().int(),
  lineDiscount: z.number().int(),
  cartDiscount: z.number().int(),
  net: z.number().int(),
  tax: z.number().int(),
  gross: z.number().int(),
  taxes: z.array(taxLine),
});

export const salePayment = z.object({
  paymentNo: z.number().int(),
  kind: z.enum(['cash', 'card', 'other']),
  methodCode: z.string().nullable(),
  /** Handed over (cash) or charged (card, other). */
  amount: z.number().int(),
  /** What the sale kept: the amount, less the change for cash. */
  applied: z.number().int(),
  provider: z.string().nullable(),
  reference: z.string().nullable(),
  approvalCode: z.string().nullable(),
});

export const saleStatus = z.enum(['completed', 'voided']);

/** A sale as recorded at the moment of sale. */
export const sale = z.object({
  id: uuid,
  storeId: uuid,
  registerId: uuid,
  cashSessionId: uuid,
  /** Gapless per register, shared with the register's refunds. */
  receiptNumber: z.number().int(),
  cartId: uuid.nullable(),
  customerId: uuid.nullable(),
  cashierId: uuid,
  status: saleStatus,
  currency: z.string(),
  pricing: z.enum(['inclusive', 'exclusive']),
  discount: discountOutput.nullable(),
  discountApprovedBy: uuid.nullable(),
  note: z.string().nullable(),
  lines: z.array(saleLine),
  totals: z.object({
    extended: z.number().int(),
    lineDiscount: z.number().int(),
    cartDiscount: z.number().int(),
    discount: z.number().int(),
    net: z.number().int(),
    tax: z.number().int(),
    gross: z.number().int(),
    /** What cash rounding added (> 0) or forgave (< 0). */
    cashRounding: z.number().int(),
    /** gross + cashRounding: what the customer paid. */
    paid: z.number().int(),
    tendered: z.number().int(),
    change: z.number().int(),
  }),
  taxSummary: z.array(taxSummaryRow),
  payments: z.array(salePayment),
  createdAt: z.string(),
  voidedAt: z.string().nullable(),
  voidedBy: uuid.nullable(),
});
export type Sale = z.infer<typeof sale>;

export const salesQuery = z.strictObject({
  ...pageQuery.shape,
  storeId: uuid.optional(),
  registerId: uuid.optional(),
  cashSessionId: uuid.optional(),
  from: dateTime.optional(),
  to: dateTime.optional(),
});
export type SalesQuery = z.infer<typeof salesQuery>;

export const customerSalesParams = z.strictObject({ id: uuid });

/**
 * 409: INSUFFICIENT_STOCK (a `refuse` store, naming each short line), NO_OPEN_CASH_SESSION,
 * CART_VERSION_CONFLICT, INVALID_STATE (the cart's state), CONFLICT (a concurrent checkout of the same id or
 * cart: retry it). 422 IDEMPOTENCY_MISMATCH: the id was used by a different request. 403 APPROVAL_REQUIRED.
 */
export const salesEndpoints = {
  checkout: endpoint({
    method: 'POST',
    path: '/sales',
    summary: 'Check out, exactly once: 201 with the sale, then 200 with the same body for the same id',
    tag: TAG,
    access: 'sales.sell',
    body: checkoutInput,
    response: sale,
    status: 201,
    otherStatuses: [200],
    errorStatuses: [422],
  }),
  getSale: endpoint({
    method: 'GET',
    path: '/sales/:id',
    summary: 'Get a sale as recorded',
    tag: TAG,
    access: 'sales.sell',
    params: idParams,
    response: sale,
  }),
  listSales: endpoint({
    method: 'GET',
    path: '/sales',
    summary: 'Sales, newest first, in the stores of the caller, cursor-paginated',
    tag: TAG,
    access: 'sales.sell',
    query: salesQuery,
    response: page(sale),
  }),
  customerSales: endpoint({
    method: 'GET',
    path: '/customers/:id/sales',
    summary: "A customer's purchases, newest first, cursor-paginated",
    tag: TAG,
    access: 'customers.read',
    params: customerSalesParams,
    query: pageQuery,
    response: page(sale),
  }),
};
