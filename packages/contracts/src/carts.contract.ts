import { z } from 'zod';
import { pinCode } from './auth.contract.js';
import {
  idParams,
  label,
  minorUnits,
  NOT_EMPTY,
  notEmpty,
  page,
  pageQuery,
  text,
  uuid,
} from './common.schema.js';
import { endpoint } from './endpoint.js';
import { errorBody } from './errors.js';

const TAG = 'carts';

/** A percentage in basis points (1000 = 10 %) or an amount in minor units, as @zakpos/pricing takes it. */
export const discountInput = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('percent'), basisPoints: z.number().int().min(0).max(10_000) }),
  z.strictObject({ kind: z.literal('amount'), amount: minorUnits }),
]);
export type DiscountInput = z.infer<typeof discountInput>;

/** Thousandths of a unit, as the stock ledger counts: 1000 is one item, 1234 is 1.234 kg. */
export const cartQuantity = z.number().int().min(1).max(1_000_000_000);

/** The version of the cart the write was computed from: a stale one is refused (409 CART_VERSION_CONFLICT). */
const version = z.number().int().min(1).max(2_147_483_647);

/**
 * A manager's approval of a discount beyond the cashier's limit: the manager (or owner) of the cart's store
 * types their PIN on the same register. Checked and throttled like a PIN login.
 */
const approval = {
  managerId: uuid.optional(),
  managerPin: pinCode.optional(),
};
const APPROVAL_PAIR = {
  message: 'managerId and managerPin go together',
  path: ['managerPin'],
};
const approvalPaired = (b: { managerId?: string | undefined; managerPin?: string | undefined }) =>
  (b.managerId === undefined) === (b.managerPin === undefined);

export const cartStatus = z.enum(['open', 'parked', 'voided', 'checked_out']);
export type CartStatus = z.infer<typeof cartStatus>;

export const createCartInput = z.strictObject({
  /** Taken from a register session; required otherwise. */
  registerId: uuid.optional(),
  /** Must be the register's store when given. */
  storeId: uuid.optional(),
  customerId: uuid.nullable().optional(),
  note: label(500).nullable().optional(),
});
export type CreateCartInput = z.infer<typeof createCartInput>;

export const addCartLineInput = z
  .strictObject({
    version,
    productId: uuid.optional(),
    /** Any code GET /barcodes/{code} resolves, weighted scale labels included (their weight or price). */
    barcode: text().trim().min(1).max(64).optional(),
    /** Default: 1000 (one item), or what a weighted label says. */
    quantity: cartQuantity.optional(),
    discount: discountInput.optional(),
    ...approval,
  })
  .refine((b) => (b.productId === undefined) !== (b.barcode === undefined), {
    message: 'send productId or barcode, not both',
    path: ['productId'],
  })
  .refine(approvalPaired, APPROVAL_PAIR);
export type AddCartLineInput = z.infer<typeof addCartLineInput>;

/**
 * A PATCH names its version too, but an empty PATCH is answered as every empty PATCH is ("send at least one
 * field to change", on the body): the version is checked beside the fields, not before them.
 */
const patchVersion = {
  version: version.optional().describe('required: the version of the cart the change was computed from'),
};
const VERSION_REQUIRED = { message: 'required', path: ['version'] };
const hasVersion = (b: { version?: number | undefined }) => b.version !== undefined;
const withVersion = <T extends { version?: number | undefined }>(b: T) => ({ ...b, version: b.version! });

export const updateCartLineInput = z
  .strictObject({
    ...patchVersion,
    quantity: cartQuantity.optional(),
    /** null removes the line's discount. */
    discount: discountInput.nullable().optional(),
    ...approval,
  })
  .refine((b) => notEmpty({ quantity: b.quantity, discount: b.discount }), NOT_EMPTY)
  .refine(hasVersion, VERSION_REQUIRED)
  .refine(approvalPaired, APPROVAL_PAIR)
  .transform(withVersion);
export type UpdateCartLineInput = z.infer<typeof updateCartLineInput>;

export const updateCartInput = z
  .strictObject({
    ...patchVersion,
    customerId: uuid.nullable().optional(),
    note: label(500).nullable().optional(),
    /** null removes the cart discount. */
    discount: discountInput.nullable().optional(),
    ...approval,
  })
  .refine((b) => notEmpty({ customerId: b.customerId, note: b.note, discount: b.discount }), NOT_EMPTY)
  .refine(hasVersion, VERSION_REQUIRED)
  .refine(approvalPaired, APPROVAL_PAIR)
  .transform(withVersion);
export type UpdateCartInput = z.infer<typeof updateCartInput>;

export const cartVersionInput = z.strictObject({ version });
export type CartVersionInput = z.infer<typeof cartVersionInput>;

export const cartVersionQuery = z.strictObject({ version: z.coerce.number().pipe(version) });

export const cartLineParams = z.strictObject({ id: uuid, lineId: uuid });

/** One tax of a priced line (carts, sales, refunds). */
export const taxLine = z.object({ code: z.string(), ratePpm: z.number().int(), tax: z.number().int() });
/** A discount as recorded: a percentage in basis points or an amount. */
export const discountOutput = z.union([
  z.object({ kind: z.literal('percent'), basisPoints: z.number().int() }),
  z.object({ kind: z.literal('amount'), amount: z.number().int() }),
]);

/** One rate of a priced cart's, sale's or refund's tax summary. */
export const taxSummaryRow = z.object({
  code: z.string(),
  ratePpm: z.number().int(),
  taxableNet: z.number().int(),
  tax: z.number().int(),
  gross: z.number().int(),
});

export const cartLine = z.object({
  id: uuid,
  productId: uuid,
  name: z.string(),
  barcode: z.string().nullable(),
  quantity: z.number().int(),
  unitPrice: z.number().int(),
  discount: discountOutput.nullable(),
  /** The manager who approved a discount beyond the cashier's limit. */
  approvedBy: uuid.nullable(),
  extended: z.number().int(),
  lineDiscount: z.number().int(),
  cartDiscount: z.number().int(),
  net: z.number().int(),
  tax: z.number().int(),
  gross: z.number().int(),
  taxes: z.array(taxLine),
});

/** A cart, priced by @zakpos/pricing as it is now. */
export const cart = z.object({
  id: uuid,
  storeId: uuid,
  registerId: uuid,
  status: cartStatus,
  customerId: uuid.nullable(),
  note: z.string().nullable(),
  discount: discountOutput.nullable(),
  discountApprovedBy: uuid.nullable(),
  version: z.number().int(),
  createdBy: uuid,
  createdAt: z.string(),
  updatedAt: z.string(),
  currency: z.string(),
  pricing: z.enum(['inclusive', 'exclusive']),
  lines: z.array(cartLine),
  totals: z.object({
    extended: z.number().int(),
    lineDiscount: z.number().int(),
    cartDiscount: z.number().int(),
    discount: z.number().int(),
    net: z.number().int(),
    tax: z.number().int(),
    gross: z.number().int(),
  }),
  taxSummary: z.array(taxSummaryRow),
});
export type Cart = z.infer<typeof cart>;

export const storeCartsParams = z.strictObject({ storeId: uuid });
export const storeCartsQuery = z.strictObject({
  ...pageQuery.shape,
  status: z.enum(['open', 'parked']).default('parked'),
});
export type StoreCartsQuery = z.infer<typeof storeCartsQuery>;

/**
 * Writes answer 409 CART_VERSION_CONFLICT with the current cart in `error.current` when the version is stale,
 * 409 INVALID_STATE naming the state, 403 APPROVAL_REQUIRED for a discount beyond the limit without a valid
 * manager's approval, 429 while the approver's PIN is throttled.
 */
const WRITE_ERRORS = [409];
const DISCOUNT_ERRORS = [409, 429];

/** 409: CART_VERSION_CONFLICT carries the cart as it now is; INVALID_STATE (the cart's state) does not. */
export const cartConflictBody = z.object({
  error: errorBody.shape.error.extend({ current: cart.optional() }),
});
const CONFLICT_BODY = { 409: cartConflictBody };

export const cartEndpoints = {
  createCart: endpoint({
    method: 'POST',
    path: '/carts',
    summary: 'Open a cart on a register (the register of a register session, or the one named)',
    tag: TAG,
    access: 'sales.sell',
    body: createCartInput,
    response: cart,
    status: 201,
  }),
  getCart: endpoint({
    method: 'GET',
    path: '/carts/:id',
    summary: 'Get a cart with its totals',
    tag: TAG,
    access: 'sales.sell',
    params: idParams,
    response: cart,
  }),
  addCartLine: endpoint({
    method: 'POST',
    path: '/carts/:id/lines',
    summary: 'Add a line by product id or by barcode (weighted labels give the weight or the price)',
    tag: TAG,
    access: 'sales.sell',
    params: idParams,
    body: addCartLineInput,
    response: cart,
    status: 201,
    errorStatuses: DISCOUNT_ERRORS,
    errorBodies: CONFLICT_BODY,
  }),
  updateCartLine: endpoint({
    method: 'PATCH',
    path: '/carts/:id/lines/:lineId',
    summary: "Change a line's quantity or discount",
    tag: TAG,
    access: 'sales.sell',
    params: cartLineParams,
    body: updateCartLineInput,
    response: cart,
    errorStatuses: DISCOUNT_ERRORS,
    errorBodies: CONFLICT_BODY,
  }),
  removeCartLine: endpoint({
    method: 'DELETE',
    path: '/carts/:id/lines/:lineId',
    summary: 'Remove a line (the version read goes in the query)',
    tag: TAG,
    access: 'sales.sell',
    params: cartLineParams,
    query: cartVersionQuery,
    response: cart,
    errorStatuses: WRITE_ERRORS,
    errorBodies: CONFLICT_BODY,
  }),
  updateCart: endpoint({
    method: 'PATCH',
    path: '/carts/:id',
    summary: "Change a cart's customer, note or cart discount",
    tag: TAG,
    access: 'sales.sell',
    params: idParams,
    body: updateCartInput,
    response: cart,
    errorStatuses: DISCOUNT_ERRORS,
    errorBodies: CONFLICT_BODY,
  }),
  parkCart: endpoint({
    method: 'POST',
    path: '/carts/:id/park',
    summary: 'Park (hold) an open cart',
    tag: TAG,
    access: 'sales.sell',
    params: idParams,
    body: cartVersionInput,
    response: cart,
    errorStatuses: WRITE_ERRORS,
    errorBodies: CONFLICT_BODY,
  }),
  resumeCart: endpoint({
    method: 'POST',
    path: '/carts/:id/resume',
    summary: 'Resume a parked cart',
    tag: TAG,
    access: 'sales.sell',
    params: idParams,
    body: cartVersionInput,
    response: cart,
    errorStatuses: WRITE_ERRORS,
    errorBodies: CONFLICT_BODY,
  }),
  voidCart: endpoint({
    method: 'POST',
    path: '/carts/:id/void',
    summary: 'Void an open or parked cart',
    tag: TAG,
    access: 'sales.sell',
    params: idParams,
    body: cartVersionInput,
    response: cart,
    errorStatuses: WRITE_ERRORS,
    errorBodies: CONFLICT_BODY,
  }),
  listStoreCarts: endpoint({
    method: 'GET',
    path: '/stores/:storeId/carts',
    summary: "A store's parked (or open) carts, oldest change first, cursor-paginated",
    tag: TAG,
    access: 'sales.sell',
    params: storeCartsParams,
    query: storeCartsQuery,
    response: page(cart),
  }),
};
