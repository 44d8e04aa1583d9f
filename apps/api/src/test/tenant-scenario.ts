import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { sql } from 'kysely';
import type pg from 'pg';
import { expect } from 'vitest';
import { Database } from '../db/database.js';
import { insertReportExport } from '../reports/report-export.repository.js';
import { toEnvelope } from '../events/event-envelope.js';
import { LowStockConsumer } from '../inventory/low-stock.consumer.js';
import { checkedInject } from './contract-check.js';
import type { TestTenant } from './fixtures.js';

/** What `populateTenant` created, for tests that go after these rows. */
export interface TenantRecords {
  taxCategoryId: string;
  categoryId: string;
  productId: string;
  /** The product's barcode (the same code in every tenant). */
  barcode: string;
  /** In transit from storeIds[0] to storeIds[1]. */
  transferId: string;
  /** Open in storeIds[0], the product counted. */
  countId: string;
  customerId: string;
  /** The tenant's inventory account (its journal has the adjustment's and the transfer's entries). */
  accountId: string;
  /** Open on registerIds[0], with a cash in. */
  cashSessionId: string;
  /** Open on registerIds[0], with one line of the product. */
  cartId: string;
  cartLineId: string;
  /** On registerIds[0], for the customer, paid by card and cash. */
  saleId: string;
  /** Code 'voucher', active, with its clearing account. */
  paymentMethodId: string;
  /** One of the sale's two units, restocked, paid back by voucher. */
  refundId: string;
  /** A second sale (one unit, cash), voided. */
  voidedSaleId: string;
  /** The owner's, from logging in. */
  refreshToken: string;
  /** The owner's, of the sales by day, recorded as queued (no storage needed). */
  reportExportId: string;
}

/** Gives a tenant rows in every tenant table, through the API as its owner. */
export async function populateTenant(app: NestFastifyApplication, t: TestTenant): Promise<TenantRecords> {
  const send = async (method: 'POST' | 'PUT', url: string, payload: object) => {
    const res = await checkedInject(app, { method, url, payload, headers: t.owner.headers });
    expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
    return res.json();
  };
  const login = await send('POST', '/auth/login', { email: t.owner.email, password: t.owner.password });
  const tax = await send('POST', '/tax-categories', {
    name: 'Standard',
    rates: [{ name: 'VAT', rateBp: 2000 }],
  });
  const category = await send('POST', '/categories', { name: 'Drinks' });
  const barcode = '4006381333931';
  const product = await send('POST', '/products', {
    sku: 'WATER-1',
    name: 'Still water 1 l',
    price: 120,
    cost: 80,
    taxCategoryId: tax.id,
    categoryId: category.id,
    barcodes: [{ code: barcode }],
  });
  const [s0, s1] = t.storeIds;
  const lines = (quantity: number) => [{ productId: product.id, quantity }];
  await send('POST', `/stores/${s0}/stock/adjustments`, { reasonCode: 'received', lines: lines(10_000) });
  const transfer = await send('POST', '/transfers', { fromStoreId: s0, toStoreId: s1, lines: lines(1000) });
  const count = await send('POST', `/stores/${s0}/counts`, { productIds: [product.id] });
  await send('PUT', `/counts/${count.id}/lines`, { lines: [{ productId: product.id, counted: 5000 }] });
  const customer = await send('POST', '/customers', {
    name: 'Ada Lovelace',
    phone: '+44 20 7946 0000',
    email: 'ada@example.com',
  });
  const cashSession = await send('POST', `/registers/${t.registerIds[0]}/cash-sessions`, {
    openingFloat: 10_000,
  });
  await send('POST', `/cash-sessions/${cashSession.id}/movements`, {
    kind: 'cash_in',
    amount: 500,
    reasonCode: 'change_delivery',
  });
  const emptyCart = await send('POST', '/carts', { registerId: t.registerIds[0], customerId: customer.id });
  const cart = await send('POST', `/carts/${emptyCart.id}/lines`, {
    version: emptyCart.version,
    productId: product.id,
  });
  const paymentMethod = await send('POST', '/payment-methods', { code: 'voucher', name: 'Voucher' });
  // A closed shift on the other register: its Z report.
  const shift = await send('POST', `/registers/${t.registerIds[1]}/cash-sessions`, { openingFloat: 0 });
  await send('POST', `/cash-sessions/${shift.id}/close`, { countedTotal: 0 });
  const sale = await send('POST', '/sales', {
    id: randomUUID(),
    registerId: t.registerIds[0],
    customerId: customer.id,
    lines: [{ productId: product.id, quantity: 2000 }],
    payments: [
      { kind: 'card', amount: 100, reference: 'T-0001', approvalCode: '123456' },
      { kind: 'cash', amount: 500 },
    ],
  });
  // A low-stock alert and the consumer's processed_events row: the sale's stock.changed, applied by the
  // low-stock consumer as the relay would hand it over.
  await send('PUT', `/stores/${s0}/stock/${product.id}/threshold`, { lowStockThreshold: 1_000_000 });
  await applySaleStockEvent(app, t.tenantId, sale.id);
  const half = (total: number) => Math.round(total / 2);
  const refund = await send('POST', `/sales/${sale.id}/refunds`, {
    id: randomUUID(),
    registerId: t.registerIds[0],
    reason: 'too many',
    lines: [{ lineNo: 1, quantity: 1000, restock: true }],
    payments: [
      { kind: 'other', amount: half(sale.lines[0].net) + half(sale.lines[0].tax), methodCode: 'voucher' },
    ],
  });
  const second = await send('POST', '/sales', {
    id: randomUUID(),
    registerId: t.registerIds[0],
    lines: [{ productId: product.id, quantity: 1000 }],
    payments: [{ kind: 'cash', amount: 500 }],
  });
  await send('POST', `/sales/${second.id}/void`, { id: randomUUID(), reason: 'wrong product' });
  // The sale's receipt, printed once: a receipt_prints row.
  const receipt = await checkedInject(app, {
    method: 'GET',
    url: `/sales/${sale.id}/receipt`,
    headers: t.owner.headers,
  });
  if (receipt.statusCode !== 200) throw new Error(`receipt: ${receipt.statusCode} ${receipt.body}`);
  const accounts = await checkedInject(app, {
    method: 'GET',
    url: '/accounting/accounts',
    headers: t.owner.headers,
  });
  const inventory = (accounts.json().items as { id: string; purpose: string | null }[]).find(
    (a) => a.purpose === 'inventory',
  )!;
  const reportExportId = randomUUID();
  await app.get(Database).tenant({ tenantId: t.tenantId }, (tx) =>
    insertReportExport(tx, {
      tenant_id: t.tenantId,
      id: reportExportId,
      report: 'sales-by-day',
      from_date: '2026-03-01',
      to_date: '2026-03-31',
      store_ids: [...t.storeIds],
      requested_by: t.owner.id,
      request_hash: 'scenario',
    }),
  );
  return {
    taxCategoryId: tax.id,
    categoryId: category.id,
    productId: product.id,
    barcode,
    transferId: transfer.id,
    countId: count.id,
    customerId: customer.id,
    accountId: inventory.id,
    cashSessionId: cashSession.id,
    cartId: cart.id,
    cartLineId: cart.lines[0].id,
    paymentMethodId: paymentMethod.id,
    saleId: sale.id,
    refundId: refund.id,
    voidedSaleId: second.id,
    refreshToken: login.refreshToken,
    reportExportId,
  };
}

async function applySaleStockEvent(app: NestFastifyApplication, tenantId: string, saleId: string) {
  const row = await app.get(Database).tenant({ tenantId }, (tx) =>
    tx
      .selectFrom('outbox')
      .selectAll()
      .where('type', '=', 'stock.changed')
      .where(sql<boolean>`payload->>'referenceId' = ${saleId}`)
      .executeTakeFirstOrThrow(),
  );
  await app
    .get(LowStockConsumer)
    .handle(toEnvelope({ ...row, payload: row.payload as Record<string, unknown> }));
}

/**
 * Every table holding tenants' rows: `tenants` and each table with a tenant_id column but the global
 * login index. Read from the catalog, so a new table is covered the day it is added.
 */
export async function tenantTables(su: pg.Client): Promise<string[]> {
  const res = await su.query<{ table_name: string }>(
    `select table_name from information_schema.columns
      where table_schema = 'public' and column_name = 'tenant_id' and table_name <> 'login_identities'
      order by 1`,
  );
  return ['tenants', ...res.rows.map((r) => r.table_name)];
}

/** The column naming a row's tenant. */
export const tenantColumn = (table: string) => (table === 'tenants' ? 'id' : 'tenant_id');
