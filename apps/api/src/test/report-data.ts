import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { TestTenant } from './fixtures.js';

/** Test data for the reports, written as the superuser (row-level security does not apply to it). */
export interface ReportWorld {
  t: TestTenant;
  sessions: [string, string];
  productIds: [string, string];
  categoryId: string;
}

const hash = 'a'.repeat(64);

/** Store A in Paris, store B in New York; a cash session on each register; two products (one categorised). */
export async function reportWorld(su: pg.Client, t: TestTenant): Promise<ReportWorld> {
  const T = t.tenantId;
  const sessions: [string, string] = [randomUUID(), randomUUID()];
  const productIds: [string, string] = [randomUUID(), randomUUID()];
  const categoryId = randomUUID();
  const taxCategory = randomUUID();
  await su.query(
    `update stores set time_zone = case id when $2::uuid then 'Europe/Paris' else 'America/New_York' end
       where tenant_id = $1`,
    [T, t.storeIds[0]],
  );
  await su.query(
    `insert into cash_sessions (tenant_id, id, store_id, register_id, opened_by, opening_float)
       values ($1, $2, $3, $4, $5, 0), ($1, $6, $7, $8, $5, 0)`,
    [
      T,
      sessions[0],
      t.storeIds[0],
      t.registerIds[0],
      t.owner.id,
      sessions[1],
      t.storeIds[1],
      t.registerIds[1],
    ],
  );
  await su.query(`insert into tax_categories (tenant_id, id, name) values ($1, $2, 'Standard')`, [
    T,
    taxCategory,
  ]);
  await su.query(`insert into categories (tenant_id, id, name) values ($1, $2, 'Gadgets')`, [T, categoryId]);
  await su.query(
    `insert into products (tenant_id, id, sku, name, price, cost, tax_category_id, category_id)
       values ($1, $2, 'W-1', 'Widget, "Deluxe"', 1000, 400, $4, $5), ($1, $3, 'P-1', 'Plain', 500, 200, $4, null)`,
    [T, productIds[0], productIds[1], taxCategory, categoryId],
  );
  await su.query(
    `insert into payment_methods (tenant_id, id, code, name) values ($1, gen_random_uuid(), 'voucher', 'Voucher')`,
    [T],
  );
  return { t, sessions, productIds, categoryId };
}

export interface SaleSpec {
  store: 0 | 1;
  /** A local time with its zone, e.g. '2026-03-01 23:30 Europe/Paris'. */
  at: string;
  receipt: number;
  /** Exclusive pricing: net = quantity × price − discounts, gross = net + tax. */
  lines: {
    product: 0 | 1;
    units: number;
    price: number;
    cost: number;
    lineDiscount?: number;
    cartDiscount?: number;
    tax: { code: string; ratePpm: number };
  }[];
  payments: { kind: 'cash' | 'card' | 'other'; amount: number; applied: number }[];
  discountApprovedBy?: string;
}

/** Writes a completed sale (its lines, taxes and payments) as a checkout would have; returns its id. */
export async function insertSale(su: pg.Client, w: ReportWorld, s: SaleSpec): Promise<string> {
  const id = randomUUID();
  const T = w.t.tenantId;
  const lines = s.lines.map((l, i) => {
    const extended = l.units * l.price;
    const net = extended - (l.lineDiscount ?? 0) - (l.cartDiscount ?? 0);
    const taxAmount = Math.round((net * l.tax.ratePpm) / 1_000_000);
    return { ...l, no: i + 1, extended, net, taxAmount, gross: net + taxAmount, costTotal: l.units * l.cost };
  });
  const sum = (f: (l: (typeof lines)[number]) => number) => lines.reduce((a, l) => a + f(l), 0);
  const gross = sum((l) => l.gross);
  const tendered = s.payments.reduce((a, p) => a + p.amount, 0);
  const change = tendered - gross;
  await su.query(
    `insert into sales (tenant_id, id, store_id, register_id, cash_session_id, receipt_number, cashier_id,
       currency, pricing, discount_approved_by, extended, line_discount, cart_discount, net, tax, gross,
       cash_rounding, tendered, change, cost, request_hash, created_at)
     values ($1, $2, $3, $4, $5, $6, $7, (select currency from tenants where id = $1), 'exclusive', $8, $9,
       $10, $11, $12, $13, $14, 0, $15, $16, $17, $18, $19::timestamptz)`,
    [
      T,
      id,
      w.t.storeIds[s.store],
      w.t.registerIds[s.store],
      w.sessions[s.store],
      s.receipt,
      w.t.cashier.id,
      s.discountApprovedBy ?? null,
      sum((l) => l.extended),
      sum((l) => l.lineDiscount ?? 0),
      sum((l) => l.cartDiscount ?? 0),
      sum((l) => l.net),
      sum((l) => l.taxAmount),
      gross,
      tendered,
      change,
      sum((l) => l.costTotal),
      hash,
      s.at,
    ],
  );
  for (const l of lines) {
    await su.query(
      `insert into sale_lines (tenant_id, sale_id, line_no, product_id, name, sku, category_id, quantity,
         unit_price, unit_cost, extended, line_discount, cart_discount, net, tax, gross, cost)
       select $1, $2, $3, p.id, p.name, p.sku, p.category_id, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14
       from products p where p.tenant_id = $1 and p.id = $4`,
      [
        T,
        id,
        l.no,
        w.productIds[l.product],
        l.units * 1000,
        l.price,
        l.cost,
        l.extended,
        l.lineDiscount ?? 0,
        l.cartDiscount ?? 0,
        l.net,
        l.taxAmount,
        l.gross,
        l.costTotal,
      ],
    );
    await su.query(
      `insert into sale_line_taxes (tenant_id, sale_id, line_no, code, rate_ppm, taxable_net, tax)
       values ($1, $2, $3, $4, $5, $6, $7)`,
      [T, id, l.no, l.tax.code, l.tax.ratePpm, l.net, l.taxAmount],
    );
  }
  for (const [i, p] of s.payments.entries()) {
    await su.query(
      `insert into sale_payments (tenant_id, sale_id, payment_no, kind, method_code, amount, applied)
       values ($1, $2, $3, $4, $5, $6, $7)`,
      [T, id, i + 1, p.kind, p.kind === 'other' ? 'voucher' : null, p.amount, p.applied],
    );
  }
  return id;
}
