import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { CheckoutInput } from '@zakpos/contracts';
import { Database } from '../db/database.js';
import { checkedInject } from '../test/contract-check.js';
import { createTenant, type TestTenant } from '../test/fixtures.js';

/** Test support: a tenant ready to sell, and checkouts through the API as a register sends them. */

/**
 * The outbox rows the sales engine writes (sales, refunds, voids and their stock moves), as an SQL condition:
 * a selling tenant's setup writes events of its own (stock adjustments, session.opened).
 */
export const SALES_ENGINE_EVENTS = `(type in ('sale.completed', 'sale.voided', 'refund.completed')
  or (type = 'stock.changed' and payload->>'reason' in ('sale', 'refund', 'void')))`;

export interface SellingTenant extends TestTenant {
  /** Products in stores[0]: price 1000 (VAT20 inclusive), cost 400, 100 in stock unless said otherwise. */
  productIds: string[];
  /** The open cash session of registers[0] (float 10 000). */
  sessionId: string;
}

export async function sellingTenant(
  app: NestFastifyApplication,
  options: { products?: number; stock?: number; currency?: string; cashIncrement?: number } = {},
): Promise<SellingTenant> {
  const t = await createTenant(app, { currency: options.currency ?? 'EUR' });
  const productIds = Array.from({ length: options.products ?? 3 }, () => randomUUID());
  const taxCategoryId = randomUUID();
  await app.get(Database).tenant({ tenantId: t.tenantId }, async (tx) => {
    if (options.cashIncrement !== undefined) {
      await tx
        .updateTable('tenants')
        .set({ cash_rounding_increment: options.cashIncrement })
        .where('id', '=', t.tenantId)
        .execute();
    }
    await tx
      .insertInto('tax_categories')
      .values({ tenant_id: t.tenantId, id: taxCategoryId, name: 'Standard' })
      .execute();
    await tx
      .insertInto('tax_category_rates')
      .values({
        tenant_id: t.tenantId,
        tax_category_id: taxCategoryId,
        position: 0,
        name: 'VAT20',
        rate_bp: 2000,
      })
      .execute();
    await tx
      .insertInto('products')
      .values(
        productIds.map((id, i) => ({
          tenant_id: t.tenantId,
          id,
          sku: `SKU-${i + 1}`,
          name: `Product ${i + 1}`,
          price: 1000,
          cost: 400,
          tax_category_id: taxCategoryId,
        })),
      )
      .execute();
  });
  const stock = options.stock ?? 100;
  if (stock > 0) {
    const res = await checkedInject(app, {
      method: 'POST',
      url: `/stores/${t.storeIds[0]}/stock/adjustments`,
      headers: t.owner.headers,
      payload: {
        reasonCode: 'received',
        lines: productIds.map((productId) => ({ productId, quantity: stock * 1000 })),
      },
    });
    if (res.statusCode !== 201) throw new Error(`stock: ${res.statusCode} ${res.body}`);
  }
  const opened = await checkedInject(app, {
    method: 'POST',
    url: `/registers/${t.registerIds[0]}/cash-sessions`,
    headers: t.owner.headers,
    payload: { openingFloat: 10_000 },
  });
  if (opened.statusCode !== 201) throw new Error(`session: ${opened.statusCode} ${opened.body}`);
  return { ...t, productIds, sessionId: opened.json().id };
}

/** A checkout body of lines on registers[0], paid in cash exactly unless payments are given. */
export function saleOf(
  t: SellingTenant,
  lines: { productId: string; quantity?: number }[],
  extra: Partial<CheckoutInput> = {},
): CheckoutInput {
  const due = lines.reduce((sum, l) => sum + ((l.quantity ?? 1000) / 1000) * 1000, 0);
  return {
    id: randomUUID(),
    registerId: t.registerIds[0],
    lines,
    payments: [{ kind: 'cash', amount: due }],
    ...extra,
  };
}

export const postSale = (app: NestFastifyApplication, headers: Record<string, string>, body: unknown) =>
  checkedInject(app, { method: 'POST', url: '/sales', headers, payload: body as object });

/** `n` more registers in stores[0], each with an open cash session; returns their ids. */
export async function moreRegisters(
  app: NestFastifyApplication,
  t: SellingTenant,
  n: number,
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const reg = await checkedInject(app, {
      method: 'POST',
      url: `/stores/${t.storeIds[0]}/registers`,
      headers: t.owner.headers,
      payload: { name: `Till ${i + 2}` },
    });
    if (reg.statusCode !== 201) throw new Error(`register: ${reg.statusCode} ${reg.body}`);
    const opened = await checkedInject(app, {
      method: 'POST',
      url: `/registers/${reg.json().id}/cash-sessions`,
      headers: t.owner.headers,
      payload: { openingFloat: 0 },
    });
    if (opened.statusCode !== 201) throw new Error(`session: ${opened.statusCode} ${opened.body}`);
    ids.push(reg.json().id);
  }
  return ids;
}
