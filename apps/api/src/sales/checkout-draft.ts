import type { CheckoutInput } from '@zakpos/contracts';
import type { Discount } from '@zakpos/pricing';
import { discountOf } from '../carts/cart-pricing.js';
import { type CartLineRow, type CartRow, cartLines, findCart } from '../carts/cart.repository.js';
import { findCustomer } from '../customers/customer.repository.js';
import { resolveBarcode } from '../catalog/barcode-resolution.js';
import { type PricedProduct, productsWithTaxes } from '../catalog/catalog-read.port.js';
import type { RequestContext } from '../common/context/request-context.js';
import { DomainError } from '../common/errors/domain-error.js';
import type { Tx } from '../db/database.js';
import { checkOutCartRow } from './sale.repository.js';

/** What a checkout sells, before pricing: from a server cart, or from the lines of the request. */
export interface Draft {
  cartId: string | null;
  customerId: string | null;
  note: string | null;
  discount: Discount | null;
  discountApprovedBy: string | null;
  lines: DraftLine[];
  /** The lines' products with their tax rates, as the catalog has them now. */
  products: Map<string, PricedProduct>;
  /** The server cart taken, as it is now (checked out), with its lines; null for a checkout of lines. */
  cart: { row: CartRow; lines: CartLineRow[] } | null;
}

export interface DraftLine {
  productId: string;
  barcode: string | null;
  quantity: number;
  unitPrice: number;
  discount: Discount | null;
  approvedBy: string | null;
}

/**
 * The cart of the checkout, taken in the same statement that marks it checked out: only at the version
 * the register showed, only while open, only on this register. The cart row stays locked to the commit,
 * so a second checkout of the cart waits and then finds it checked out.
 */
export async function draftFromCart(
  tx: Tx,
  ctx: RequestContext,
  input: { cartId: string; cartVersion: number; registerId: string },
  conflict: (tx: Tx, cartId: string) => Promise<DomainError>,
): Promise<Draft> {
  const cart = await checkOutCartRow(tx, ctx.tenantId, input.cartId, input.cartVersion, input.registerId);
  if (!cart) {
    const current = await findCart(tx, ctx.tenantId, input.cartId);
    if (!current) throw DomainError.notFound('cart');
    if (current.register_id !== input.registerId) {
      throw DomainError.validation('cartId', 'is a cart of another register');
    }
    if (current.version !== input.cartVersion) throw await conflict(tx, input.cartId);
    throw new DomainError('INVALID_STATE', `the cart is ${current.status}`, {
      cartId: [`is ${current.status}; must be open`],
    });
  }
  const lines = await cartLines(tx, ctx.tenantId, [cart.id]);
  if (lines.length === 0) throw DomainError.validation('cartId', 'the cart has no lines');
  const products = await productsWithTaxes(
    tx,
    ctx,
    lines.map((l) => l.product_id),
  );
  return {
    cartId: cart.id,
    customerId: cart.customer_id,
    note: cart.note,
    discount: discountOf(cart),
    discountApprovedBy: cart.discount_approved_by,
    products,
    cart: { row: cart, lines },
    lines: lines.map((l) => ({
      productId: l.product_id,
      barcode: l.barcode,
      quantity: l.quantity,
      unitPrice: l.unit_price,
      discount: discountOf(l),
      approvedBy: l.approved_by,
    })),
  };
}

/** The lines of the request, each product found by id or by what the scanner read, at today's price. */
export async function draftFromLines(
  tx: Tx,
  ctx: RequestContext,
  input: Pick<CheckoutInput, 'lines' | 'discount' | 'customerId' | 'note'>,
): Promise<Draft> {
  const given = input.lines!;
  const products = await productsWithTaxes(
    tx,
    ctx,
    given.flatMap((l) => (l.productId === undefined ? [] : [l.productId])),
  );
  const lines: DraftLine[] = [];
  for (const [i, l] of given.entries()) {
    let product: PricedProduct | undefined;
    let quantity = l.quantity ?? 1000;
    if (l.productId !== undefined) {
      product = products.get(l.productId);
      if (!product) throw DomainError.validation(`lines[${i}].productId`, 'product not found');
    } else {
      const resolved = await resolveBarcode(tx, ctx, l.barcode!).catch((e: unknown) => {
        if (e instanceof DomainError && (e.code === 'VALIDATION_FAILED' || e.code === 'NOT_FOUND')) {
          throw DomainError.validation(`lines[${i}].barcode`, e.fields?.code?.[0] ?? e.message);
        }
        throw e;
      });
      if (resolved.source === 'weighted' && l.quantity !== undefined) {
        throw DomainError.validation(`lines[${i}].quantity`, 'a weighted label gives the quantity');
      }
      quantity = l.quantity ?? resolved.quantity;
      product = (await productsWithTaxes(tx, ctx, [resolved.product.id])).get(resolved.product.id)!;
      products.set(product.id, product);
    }
    if (!product.active) throw DomainError.validation(`lines[${i}]`, 'the product is inactive');
    if (product.unit === 'each' && quantity % 1000 !== 0) {
      throw DomainError.validation(`lines[${i}].quantity`, 'must be whole units (a multiple of 1000)');
    }
    lines.push({
      productId: product.id,
      barcode: l.barcode ?? null,
      quantity,
      unitPrice: product.price,
      discount: l.discount ?? null,
      approvedBy: null,
    });
  }
  if (input.customerId != null && !(await findCustomer(tx, ctx.tenantId, input.customerId))) {
    throw DomainError.validation('customerId', 'customer not found');
  }
  return {
    cartId: null,
    customerId: input.customerId ?? null,
    note: input.note ?? null,
    discount: input.discount ?? null,
    discountApprovedBy: null,
    lines,
    products,
    cart: null,
  };
}
