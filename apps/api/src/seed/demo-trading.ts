import { randomUUID } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import type { CheckoutInput, CheckoutPayment, Role } from '@zakpos/contracts';
import { priceCart, roundCash } from '@zakpos/pricing';
import { CashReportService } from '../cash/cash-report.service.js';
import { CashSessionService } from '../cash/cash-session.service.js';
import { productsByIds, taxRatesByCategory } from '../catalog/catalog-read.port.js';
import type { RequestContext } from '../common/context/request-context.js';
import { Database } from '../db/database.js';
import { StockService } from '../inventory/stock.service.js';
import { PaymentMethodService } from '../payment-methods/payment-method.service.js';
import { RefundService } from '../refunds/refund.service.js';
import { CheckoutService } from '../sales/checkout.service.js';
import type { DemoSeedResult } from './demo-seed.js';
import { todaysShift } from './todays-shift.js';

export interface DemoTradingResult {
  /** Closed sessions, one per past day, each with its Z report. */
  closedSessionIds: string[];
  /** Today's session on till 1 of store 1, open. */
  openSessionId: string;
  saleIds: string[];
  refundId: string;
}

const DAYS = 3;
const SALES_PER_DAY = 12;
const MINUTE = 60_000;
/** The demo tenant's cash rounding (demo-seed.ts). */
const CASH_INCREMENT = 5;

/**
 * The demo's trading history, written through the same services a till calls, each step at its own
 * business time (RequestContext.at): stock received, then for each of the last three days a shift on
 * till 1 of store 1 (a float, a dozen sales paid by cash, card or voucher and cash, a paid-out, a refund
 * on the last day, the count and its Z report), and today's shift left open with a few sales. So the
 * reports, the journal and the trial balance show data on the first start. Deterministic but for ids.
 */
export async function seedDemoTrading(
  app: INestApplicationContext,
  demo: DemoSeedResult,
  now = new Date(),
): Promise<DemoTradingResult> {
  const db = app.get(Database);
  const checkout = app.get(CheckoutService);
  const sessions = app.get(CashSessionService);
  const random = lcg(20261201);
  const storeId = demo.storeIds[0]!;
  const registerId = demo.registerIds[0]!;
  const contextOf = await contexts(db, demo);
  const cashier = (at: Date) => contextOf('cashier', at);
  const manager = (at: Date) => contextOf('manager', at);

  const day0 = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const at = (daysAgo: number, hourUtc: number, minute = 0) =>
    new Date(day0.getTime() - daysAgo * 86_400_000 + hourUtc * 3_600_000 + minute * MINUTE);

  const products = await db.tenant({ tenantId: demo.tenantId }, async (tx) => {
    const rows = await tx.selectFrom('products').select('id').orderBy('sku').execute();
    const found = await productsByIds(
      tx,
      { tenantId: demo.tenantId },
      rows.map((r) => r.id),
    );
    const rates = await taxRatesByCategory(
      tx,
      { tenantId: demo.tenantId },
      [...found.values()].map((p) => p.taxCategoryId),
    );
    return [...found.values()].map((p) => ({ ...p, taxes: rates.get(p.taxCategoryId) ?? [] }));
  });
  const each = products.filter((p) => p.unit === 'each');
  const weighed = products.filter((p) => p.unit === 'kg');

  const start = at(DAYS, 6);
  await app
    .get(PaymentMethodService)
    .create(contextOf('owner', start), { code: 'voucher', name: 'Gift voucher' });
  await app.get(StockService).adjust(contextOf('owner', start), storeId, {
    reasonCode: 'received',
    note: 'Opening stock',
    lines: products.map((p) => ({ productId: p.id, quantity: p.unit === 'kg' ? 40_000 : 120_000 })),
  });

  /** A sale as a till sends it: its lines, and tenders for what @zakpos/pricing says is due. */
  const sell = async (time: Date) => {
    const lines: NonNullable<CheckoutInput['lines']> = [];
    const count = 1 + Math.floor(random() * 4);
    for (let i = 0; i < count; i++) {
      const p = each[Math.floor(random() * each.length)]!;
      if (!lines.some((l) => l.productId === p.id)) {
        lines.push({ productId: p.id, quantity: 1000 * (1 + Math.floor(random() * 3)) });
      }
    }
    if (random() < 0.3)
      lines.push({
        productId: weighed[Math.floor(random() * weighed.length)]!.id,
        quantity: 350 + Math.floor(random() * 900),
      });
    if (random() < 0.15) lines[0] = { ...lines[0]!, discount: { kind: 'percent', basisPoints: 1000 } };
    const due = priceCart({
      currency: 'EUR',
      pricing: 'inclusive',
      lines: lines.map((l, i) => {
        const p = products.find((x) => x.id === l.productId)!;
        return {
          id: String(i),
          unitPrice: p.price,
          quantity: l.quantity!,
          ...(l.discount ? { discount: l.discount } : {}),
          taxes: p.taxes,
        };
      }),
    }).totals.gross;
    const roll = random();
    const payments: CheckoutPayment[] =
      roll < 0.55
        ? [{ kind: 'cash', amount: Math.ceil(due / 500) * 500 }]
        : roll < 0.9
          ? [
              {
                kind: 'card',
                amount: due,
                provider: 'terminal',
                reference: `DEMO-${Math.floor(random() * 1e8)}`,
              },
            ]
          : [
              { kind: 'other', methodCode: 'voucher', amount: Math.min(1000, due) },
              ...(due > 1000 ? [{ kind: 'cash' as const, amount: Math.ceil((due - 1000) / 500) * 500 }] : []),
            ];
    const body: CheckoutInput = { id: randomUUID(), registerId, lines, payments };
    return (await checkout.checkout(cashier(time), body)).sale;
  };

  const closedSessionIds: string[] = [];
  const saleIds: string[] = [];
  let refundId = '';
  for (let d = DAYS; d >= 1; d--) {
    const session = await sessions.open(cashier(at(d, 7)), registerId, 15_000);
    const sold = [];
    for (let i = 0; i < SALES_PER_DAY; i++) sold.push(await sell(at(d, 8, 20 + i * 45)));
    saleIds.push(...sold.map((s) => s.id));
    await sessions.addMovement(cashier(at(d, 12, 10)), session.id, {
      kind: 'cash_out',
      amount: 850,
      reasonCode: 'paid_out',
      note: 'Window cleaning',
    });
    if (d === 1) {
      // The whole of one line: a full line's refund is exactly its recorded gross (cash rounds to 0.05).
      const sale = sold.find((s) => s.lines.some((l) => l.quantity === 1000 && l.lineDiscount === 0))!;
      const line = sale.lines.find((l) => l.quantity === 1000 && l.lineDiscount === 0)!;
      const refund = await app.get(RefundService).refundSale(manager(at(d, 16)), sale.id, {
        id: randomUUID(),
        registerId,
        reason: 'Damaged packaging',
        lines: [{ lineNo: line.lineNo, quantity: 1000, restock: false }],
        payments: [{ kind: 'cash', amount: roundCash(line.gross, CASH_INCREMENT) }],
      });
      refundId = refund.refund.id;
    }
    const x = await app.get(CashReportService).x(cashier(at(d, 18, 55)), session.id);
    // One evening the till is 0.50 short.
    const counted = x.cash.expected - (d === 2 ? 50 : 0);
    await sessions.close(cashier(at(d, 19)), session.id, { countedTotal: counted });
    closedSessionIds.push(session.id);
  }
  const today = todaysShift(now, 3);
  const open = await sessions.open(cashier(today.opensAt), registerId, 15_000);
  for (const at of today.salesAt) saleIds.push((await sell(at)).id);
  return { closedSessionIds, openSessionId: open.id, saleIds, refundId };
}

/** The demo users' contexts, each at a business time. */
async function contexts(db: Database, demo: DemoSeedResult) {
  const users = await db.tenant({ tenantId: demo.tenantId }, (tx) =>
    tx.selectFrom('users').select(['id', 'role', 'session_version']).execute(),
  );
  return (role: Role, at: Date): RequestContext => {
    const user = users.find((u) => u.id === demo.logins[role].userId)!;
    return {
      requestId: `demo-seed-${randomUUID()}`,
      tenantId: demo.tenantId,
      userId: user.id,
      role,
      storeIds: role === 'owner' ? null : [demo.storeIds[0]!],
      registerId: null,
      sessionKind: 'full',
      sessionVersion: user.session_version,
      ip: '127.0.0.1',
      userAgent: 'zakpos-demo-seed',
      at,
    };
  };
}

/** A small deterministic generator (numbers in [0, 1)): the same history on every fresh start. */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}
