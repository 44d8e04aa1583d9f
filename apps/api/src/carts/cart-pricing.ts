import type { Cart } from '@zakpos/contracts';
import { type Discount, priceCart, PricingError } from '@zakpos/pricing';
import { DomainError } from '../common/errors/domain-error.js';
import type { TenantScope } from '../common/context/request-context.js';
import { productsByIds, taxRatesByCategory } from '../catalog/catalog-read.port.js';
import type { Tx } from '../db/database.js';
import type { CartLineRow, CartRow } from './cart.repository.js';

/** What pricing a tenant's carts needs of the tenant. */
export interface CartTerms {
  currency: string;
  pricesIncludeTax: boolean;
  maxCashierDiscountBp: number;
}

export async function cartTerms(tx: Tx, scope: TenantScope): Promise<CartTerms> {
  const t = await tx
    .selectFrom('tenants')
    .select(['currency', 'prices_include_tax', 'max_cashier_discount_bp'])
    .where('id', '=', scope.tenantId)
    .executeTakeFirstOrThrow();
  return {
    currency: t.currency,
    pricesIncludeTax: t.prices_include_tax,
    maxCashierDiscountBp: t.max_cashier_discount_bp,
  };
}

export function discountOf(row: {
  discount_bp: number | null;
  discount_amount: number | null;
}): Discount | null {
  if (row.discount_bp !== null) return { kind: 'percent', basisPoints: row.discount_bp };
  if (row.discount_amount !== null) return { kind: 'amount', amount: row.discount_amount };
  return null;
}

export function discountColumns(d: Discount | null): {
  discount_bp: number | null;
  discount_amount: number | null;
} {
  if (d === null) return { discount_bp: null, discount_amount: null };
  return d.kind === 'percent'
    ? { discount_bp: d.basisPoints, discount_amount: null }
    : { discount_bp: null, discount_amount: d.amount };
}

/** Carts with their totals as @zakpos/pricing computes them, taxes as the catalog has them now. */
export async function pricedCarts(
  tx: Tx,
  scope: TenantScope,
  terms: CartTerms,
  carts: readonly CartRow[],
  lines: readonly CartLineRow[],
): Promise<Cart[]> {
  const products = await productsByIds(
    tx,
    scope,
    lines.map((l) => l.product_id),
  );
  const rates = await taxRatesByCategory(
    tx,
    scope,
    [...products.values()].map((p) => p.taxCategoryId),
  );
  return carts.map((cart) => {
    const own = lines.filter((l) => l.cart_id === cart.id);
    const cartDiscount = discountOf(cart);
    const priced = priceOrRefuse({
      currency: terms.currency,
      pricing: terms.pricesIncludeTax ? 'inclusive' : 'exclusive',
      ...(cartDiscount ? { cartDiscount } : {}),
      lines: own.map((l) => {
        const discount = discountOf(l);
        const product = products.get(l.product_id);
        return {
          id: l.id,
          unitPrice: l.unit_price,
          quantity: l.quantity,
          ...(discount ? { discount } : {}),
          taxes: (product && rates.get(product.taxCategoryId)) ?? [],
        };
      }),
    });
    return {
      id: cart.id,
      storeId: cart.store_id,
      registerId: cart.register_id,
      status: cart.status,
      customerId: cart.customer_id,
      note: cart.note,
      discount: cartDiscount,
      discountApprovedBy: cart.discount_approved_by,
      version: cart.version,
      createdBy: cart.created_by,
      createdAt: cart.created_at.toISOString(),
      updatedAt: cart.updated_at.toISOString(),
      currency: priced.currency,
      pricing: priced.pricing,
      lines: priced.lines.map((p, i) => {
        const row = own[i]!;
        return {
          id: row.id,
          productId: row.product_id,
          name: products.get(row.product_id)?.name ?? '',
          barcode: row.barcode,
          quantity: p.quantity,
          unitPrice: p.unitPrice,
          discount: discountOf(row),
          approvedBy: row.approved_by,
          extended: p.extended,
          lineDiscount: p.lineDiscount,
          cartDiscount: p.cartDiscount,
          net: p.net,
          tax: p.tax,
          gross: p.gross,
          taxes: [...p.taxes],
        };
      }),
      totals: priced.totals,
      taxSummary: [...priced.taxSummary],
    };
  });
}

/**
 * A cart whose products were repriced (or re-taxed) since its lines were added may no longer be priceable
 * (an amount past the safe range): that is the cart's state, a 409, never a 500.
 */
function priceOrRefuse(input: Parameters<typeof priceCart>[0]): ReturnType<typeof priceCart> {
  try {
    return priceCart(input);
  } catch (e) {
    if (!(e instanceof PricingError)) throw e;
    throw new DomainError('INVALID_STATE', `the cart cannot be priced: ${e.message}`, { lines: [e.message] });
  }
}

/**
 * The discounts of a priced cart beyond the cashier's limit that nobody approved: each line discount above
 * `max` basis points of its extended price, and the cart discount above `max` of what the lines come to.
 */
export function unapprovedDiscounts(cart: Cart, maxBp: number): { lineIds: string[]; cart: boolean } {
  // A percentage is judged as given (10 % of 1.99 rounds to 0.20, still 10 %); an amount by its share.
  const over = (discount: Cart['discount'], off: number, base: number) =>
    discount !== null &&
    (discount.kind === 'percent' ? discount.basisPoints > maxBp : off * 10_000 > maxBp * base);
  const lineIds = cart.lines
    .filter((l) => l.approvedBy === null && over(l.discount, l.lineDiscount, l.extended))
    .map((l) => l.id);
  const cartOver =
    cart.discountApprovedBy === null &&
    over(cart.discount, cart.totals.cartDiscount, cart.totals.extended - cart.totals.lineDiscount);
  return { lineIds, cart: cartOver };
}
