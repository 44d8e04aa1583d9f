import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type {
  AddCartLineInput,
  Cart,
  CartStatus,
  CreateCartInput,
  StoreCartsQuery,
  UpdateCartInput,
  UpdateCartLineInput,
} from '@zakpos/contracts';
import type { Updateable } from 'kysely';
import { z } from 'zod';
import { findRegister } from '../auth/auth.repository.js';
import { can } from '../auth/permission-matrix.js';
import { resolveBarcode } from '../catalog/barcode-resolution.js';
import { productsByIds } from '../catalog/catalog-read.port.js';
import type { RequestContext } from '../common/context/request-context.js';
import { DomainError } from '../common/errors/domain-error.js';
import { Cursors, cursorKind } from '../common/paging/cursor.js';
import { Database, type Tx } from '../db/database.js';
import { pushCartAfterCommit } from '../realtime/cart-updates.js';
import { RealtimeGateway } from '../realtime/realtime.gateway.js';
import { loadStore } from '../tenancy/store-access.js';
import { assertStoreInScope } from '../tenancy/store-scope.js';
import { approvalRequired, checkManagerPin } from './cart-approval.js';
import { cartTerms, discountColumns, pricedCarts, unapprovedDiscounts } from './cart-pricing.js';
import {
  bumpCartVersion,
  cartLines,
  type CartRow,
  deleteCartLine,
  findCart,
  insertCart,
  insertCartLine,
  storeCarts,
  updateCartLineRow,
  updateCartRow,
} from './cart.repository.js';
import type { CartsTable } from './carts.tables.js';

const storeCartsCursor = cursorKind('store-carts', z.tuple([z.iso.datetime(), z.uuid()]));

interface Approval {
  managerId?: string | undefined;
  managerPin?: string | undefined;
}

/**
 * Server-side carts. Every write names the version it was computed from; `bumpCartVersion` takes the next
 * version only from that one, so of two devices writing at once exactly one wins and the other gets 409
 * CART_VERSION_CONFLICT with the cart as it now is. Every answer is the cart priced by @zakpos/pricing; every
 * change also pushes that answer to the store's sockets as `cart.updated`, once committed.
 */
@Injectable()
export class CartService {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(Cursors) private readonly cursors: Cursors,
    @Inject(RealtimeGateway) private readonly realtime: RealtimeGateway,
  ) {}

  create(ctx: RequestContext, input: CreateCartInput): Promise<Cart> {
    const registerId = ctx.registerId ?? input.registerId;
    if (registerId === undefined) throw DomainError.validation('registerId', 'name the register');
    if (ctx.registerId !== null && input.registerId !== undefined && input.registerId !== ctx.registerId) {
      throw DomainError.validation('registerId', 'a register session opens carts on its own register');
    }
    return this.db.tenant(ctx, async (tx) => {
      const register = await findRegister(tx, ctx.tenantId, registerId);
      if (!register) throw DomainError.notFound('register');
      if (input.storeId !== undefined && input.storeId !== register.store_id) {
        throw DomainError.validation('storeId', "is not the register's store");
      }
      assertStoreInScope(ctx, register.store_id);
      if (!register.usable) throw new DomainError('INVALID_STATE', 'the register or its store is inactive');
      const row = await insertCart(tx, {
        tenant_id: ctx.tenantId,
        id: randomUUID(),
        store_id: register.store_id,
        register_id: register.id,
        customer_id: input.customerId ?? null,
        note: input.note ?? null,
        created_by: ctx.userId,
      });
      return pushCartAfterCommit(tx, this.realtime, ctx.tenantId, await this.priced(tx, ctx, row));
    });
  }

  get(ctx: RequestContext, id: string): Promise<Cart> {
    return this.db.tenant(ctx, async (tx) => {
      const row = await findCart(tx, ctx.tenantId, id);
      if (!row) throw DomainError.notFound('cart');
      assertStoreInScope(ctx, row.store_id);
      return this.priced(tx, ctx, row);
    });
  }

  list(
    ctx: RequestContext,
    storeId: string,
    query: StoreCartsQuery,
  ): Promise<{ items: Cart[]; nextCursor: string | null }> {
    const after =
      query.cursor === undefined
        ? undefined
        : (([at, id]) => ({ updatedAt: new Date(at), id }))(
            this.cursors.decode(ctx.tenantId, storeCartsCursor, query.cursor),
          );
    return this.db.tenant(ctx, async (tx) => {
      await loadStore(tx, ctx, storeId);
      const rows = await storeCarts(tx, ctx.tenantId, {
        storeId,
        status: query.status,
        after,
        limit: query.limit + 1,
      });
      const kept = rows.slice(0, query.limit);
      const priced = new Map(
        (
          await pricedCarts(
            tx,
            ctx,
            await cartTerms(tx, ctx),
            kept,
            await cartLines(
              tx,
              ctx.tenantId,
              kept.map((r) => r.id),
            ),
          )
        ).map((c) => [c.id, c]),
      );
      return this.cursors.page(
        ctx.tenantId,
        storeCartsCursor,
        rows,
        query.limit,
        (r) => priced.get(r.id)!,
        (r) => [r.updated_at.toISOString(), r.id],
      );
    });
  }

  addLine(ctx: RequestContext, id: string, input: AddCartLineInput): Promise<Cart> {
    return this.write(ctx, id, input.version, input, async (tx, cart) => {
      requireStatus(cart, ['open']);
      const picked = await this.pick(tx, ctx, input);
      const existing = await cartLines(tx, ctx.tenantId, [cart.id]);
      await insertCartLine(tx, {
        tenant_id: ctx.tenantId,
        cart_id: cart.id,
        id: randomUUID(),
        position: Math.max(0, ...existing.map((l) => l.position)) + 1,
        product_id: picked.productId,
        quantity: picked.quantity,
        unit_price: picked.unitPrice,
        barcode: input.barcode ?? null,
        ...discountColumns(input.discount ?? null),
      });
    });
  }

  updateLine(ctx: RequestContext, id: string, lineId: string, input: UpdateCartLineInput): Promise<Cart> {
    return this.write(ctx, id, input.version, input, async (tx, cart) => {
      requireStatus(cart, ['open']);
      const line = (await cartLines(tx, ctx.tenantId, [cart.id])).find((l) => l.id === lineId);
      if (!line) throw DomainError.notFound('cart line');
      await updateCartLineRow(tx, ctx.tenantId, cart.id, lineId, {
        ...(input.quantity === undefined ? {} : { quantity: input.quantity }),
        // A new discount needs its own approval.
        ...(input.discount === undefined ? {} : { ...discountColumns(input.discount), approved_by: null }),
      });
    });
  }

  removeLine(ctx: RequestContext, id: string, lineId: string, version: number): Promise<Cart> {
    return this.write(ctx, id, version, {}, async (tx, cart) => {
      requireStatus(cart, ['open']);
      if ((await deleteCartLine(tx, ctx.tenantId, cart.id, lineId)) === 0) {
        throw DomainError.notFound('cart line');
      }
    });
  }

  update(ctx: RequestContext, id: string, input: UpdateCartInput): Promise<Cart> {
    return this.write(ctx, id, input.version, input, async (tx, cart) => {
      requireStatus(cart, ['open']);
      const changes: Updateable<CartsTable> = {
        ...(input.customerId === undefined ? {} : { customer_id: input.customerId }),
        ...(input.note === undefined ? {} : { note: input.note }),
        ...(input.discount === undefined
          ? {}
          : { ...discountColumns(input.discount), discount_approved_by: null }),
      };
      return updateCartRow(tx, ctx.tenantId, cart.id, changes);
    });
  }

  park(ctx: RequestContext, id: string, version: number): Promise<Cart> {
    return this.transition(ctx, id, version, ['open'], 'parked');
  }

  resume(ctx: RequestContext, id: string, version: number): Promise<Cart> {
    return this.transition(ctx, id, version, ['parked'], 'open');
  }

  void(ctx: RequestContext, id: string, version: number): Promise<Cart> {
    return this.transition(ctx, id, version, ['open', 'parked'], 'voided');
  }

  private transition(
    ctx: RequestContext,
    id: string,
    version: number,
    from: CartStatus[],
    to: CartStatus,
  ): Promise<Cart> {
    return this.write(ctx, id, version, {}, async (tx, cart) => {
      requireStatus(cart, from);
      return updateCartRow(tx, ctx.tenantId, cart.id, { status: to });
    });
  }

  /**
   * One cart write: the approver's PIN first (its own unit of work, so a failure is counted), then the
   * version taken, the change applied, the discounts checked against the cashier's limit, the cart priced.
   */
  private async write(
    ctx: RequestContext,
    id: string,
    version: number,
    approval: Approval,
    change: (tx: Tx, cart: CartRow) => Promise<CartRow | void>,
  ): Promise<Cart> {
    const approverId = await this.approver(ctx, id, approval);
    return this.db.tenant(ctx, async (tx) => {
      const bumped = await bumpCartVersion(tx, ctx.tenantId, id, version);
      if (!bumped) {
        const current = await findCart(tx, ctx.tenantId, id);
        if (!current) throw DomainError.notFound('cart');
        assertStoreInScope(ctx, current.store_id);
        throw new DomainError(
          'CART_VERSION_CONFLICT',
          `the cart is at version ${current.version}, not ${version}`,
          { version: [`is stale; the cart is at version ${current.version}`] },
          undefined,
          await this.priced(tx, ctx, current),
        );
      }
      assertStoreInScope(ctx, bumped.store_id);
      let row = (await change(tx, bumped)) ?? bumped;
      const terms = await cartTerms(tx, ctx);
      const lines = await cartLines(tx, ctx.tenantId, [id]);
      const [priced] = await pricedCarts(tx, ctx, terms, [row], lines);
      const over = unapprovedDiscounts(priced!, terms.maxCashierDiscountBp);
      if (over.lineIds.length === 0 && !over.cart) {
        return pushCartAfterCommit(tx, this.realtime, ctx.tenantId, priced!);
      }
      const by = approverId ?? (can(ctx.role, ctx.sessionKind, 'sales.discount') ? ctx.userId : null);
      if (by === null) {
        throw approvalRequired(
          'discount',
          `beyond the cashier's limit of ${terms.maxCashierDiscountBp} basis points: a manager approves with managerId and managerPin`,
        );
      }
      for (const lineId of over.lineIds) {
        await updateCartLineRow(tx, ctx.tenantId, id, lineId, { approved_by: by });
      }
      if (over.cart) row = await updateCartRow(tx, ctx.tenantId, id, { discount_approved_by: by });
      const [approved] = await pricedCarts(tx, ctx, terms, [row], await cartLines(tx, ctx.tenantId, [id]));
      return pushCartAfterCommit(tx, this.realtime, ctx.tenantId, approved!);
    });
  }

  private async approver(ctx: RequestContext, cartId: string, a: Approval): Promise<string | null> {
    if (a.managerId === undefined || a.managerPin === undefined) return null;
    const { managerId, managerPin } = a;
    const outcome = await this.db.tenant(ctx, async (tx) => {
      const cart = await findCart(tx, ctx.tenantId, cartId);
      if (!cart) return { kind: 'refused' as const, error: DomainError.notFound('cart') };
      return checkManagerPin(tx, ctx, cart.store_id, managerId, managerPin);
    });
    if (outcome.kind === 'refused') throw outcome.error;
    return outcome.approverId;
  }

  /** The product, quantity and unit price of a new line, by product id or by what the scanner read. */
  private async pick(
    tx: Tx,
    ctx: RequestContext,
    input: AddCartLineInput,
  ): Promise<{ productId: string; quantity: number; unitPrice: number }> {
    if (input.productId !== undefined) {
      const product = (await productsByIds(tx, ctx, [input.productId])).get(input.productId);
      if (!product) throw DomainError.notFound('product');
      if (!product.active) throw DomainError.validation('productId', 'the product is inactive');
      return { productId: product.id, quantity: input.quantity ?? 1000, unitPrice: product.price };
    }
    const resolved = await resolveBarcode(tx, ctx, input.barcode!).catch((e: unknown) => {
      if (e instanceof DomainError && e.code === 'VALIDATION_FAILED') {
        throw DomainError.validation('barcode', e.fields?.code?.[0] ?? e.message);
      }
      throw e;
    });
    if (!resolved.product.active) throw DomainError.validation('barcode', 'the product is inactive');
    if (resolved.source === 'weighted' && input.quantity !== undefined) {
      throw DomainError.validation('quantity', 'a weighted label gives the quantity');
    }
    return {
      productId: resolved.product.id,
      quantity: input.quantity ?? resolved.quantity,
      unitPrice: resolved.product.price,
    };
  }

  private async priced(tx: Tx, ctx: RequestContext, row: CartRow): Promise<Cart> {
    const [cart] = await pricedCarts(
      tx,
      ctx,
      await cartTerms(tx, ctx),
      [row],
      await cartLines(tx, ctx.tenantId, [row.id]),
    );
    return cart!;
  }
}

function requireStatus(cart: CartRow, allowed: CartStatus[]): void {
  if (!allowed.includes(cart.status)) {
    throw new DomainError('INVALID_STATE', `the cart is ${cart.status}`, {
      status: [`is ${cart.status}; must be ${allowed.join(' or ')}`],
    });
  }
}
