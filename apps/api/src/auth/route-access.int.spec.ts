import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { allEndpoints, type Endpoint, type Role } from '@zakpos/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant, type TestTenant } from '../test/fixtures.js';
import { createTestApp } from '../test/test-app.js';
import { checkedInject } from '../test/contract-check.js';
import { TokenService } from './token.service.js';

const O: Role = 'owner';
const M: Role = 'manager';
const C: Role = 'cashier';
const ANY = [O, M, C];

/**
 * Who may call what: one row per route, written out by hand as the oracle for the permission
 * matrix. A route without a row here fails this test.
 */
const access: Record<string, 'public' | Role[]> = {
  'POST /auth/signup': 'public',
  'POST /auth/login': 'public',
  'POST /auth/pin': 'public',
  'POST /auth/refresh': 'public',
  'POST /auth/logout': ANY,
  'POST /auth/password': ANY,
  'PUT /auth/pin': ANY,
  'GET /auth/me': ANY,
  'GET /tenant': ANY,
  'PATCH /tenant': [O],
  'GET /stores': ANY,
  'GET /stores/:id': ANY,
  'POST /stores': [O],
  'PATCH /stores/:id': [O],
  'GET /stores/:storeId/registers': ANY,
  'POST /stores/:storeId/registers': [O, M],
  'PATCH /registers/:id': [O, M],
  'GET /users': [O, M],
  'GET /users/:id': [O, M],
  'POST /users': [O, M],
  'PATCH /users/:id': [O, M],
  'GET /audit-log': [O, M],
  'GET /tax-categories': ANY,
  'GET /tax-categories/:id': ANY,
  'POST /tax-categories': [O, M],
  'PATCH /tax-categories/:id': [O, M],
  'DELETE /tax-categories/:id': [O, M],
  'GET /categories': ANY,
  'GET /categories/:id': ANY,
  'POST /categories': [O, M],
  'PATCH /categories/:id': [O, M],
  'DELETE /categories/:id': [O, M],
  'GET /products': ANY,
  'GET /products/:id': ANY,
  'POST /products': [O, M],
  'PATCH /products/:id': [O, M],
  'DELETE /products/:id': [O, M],
  'POST /products/:id/barcodes': [O, M],
  'DELETE /products/:id/barcodes/:code': [O, M],
  'GET /barcodes/:code': ANY,
  'GET /stores/:storeId/stock': ANY,
  'GET /stores/:storeId/stock/low': ANY,
  'GET /stores/:storeId/stock/movements': ANY,
  'POST /stores/:storeId/stock/adjustments': [O, M],
  'PUT /stores/:storeId/stock/:productId/threshold': [O, M],
  'POST /transfers': [O, M],
  'POST /transfers/:id/receive': [O, M],
  'GET /transfers': ANY,
  'GET /transfers/:id': ANY,
  'POST /stores/:storeId/counts': [O, M],
  'GET /stores/:storeId/counts': [O, M],
  'GET /counts/:id': [O, M],
  'PUT /counts/:id/lines': [O, M],
  'POST /counts/:id/complete': [O, M],
  'GET /customers': ANY,
  'GET /customers/:id': ANY,
  'POST /customers': ANY,
  'PATCH /customers/:id': ANY,
  'POST /carts': ANY,
  'GET /carts/:id': ANY,
  'POST /carts/:id/lines': ANY,
  'PATCH /carts/:id/lines/:lineId': ANY,
  'DELETE /carts/:id/lines/:lineId': ANY,
  'PATCH /carts/:id': ANY,
  'POST /carts/:id/park': ANY,
  'POST /carts/:id/resume': ANY,
  'POST /carts/:id/void': ANY,
  'GET /stores/:storeId/carts': ANY,
  // The books are tenant-wide: owners only (managers are limited to their stores), never a register session.
  'GET /accounting/accounts': [O],
  'GET /accounting/journal': [O],
  'GET /accounting/accounts/:id/ledger': [O],
  'GET /accounting/trial-balance': [O],
  'GET /accounting/profit-and-loss': [O],
  'GET /accounting/inventory-check': [O],
  'POST /registers/:id/cash-sessions': ANY,
  'GET /registers/:id/cash-sessions/current': ANY,
  'GET /cash-sessions/:id': ANY,
  'POST /cash-sessions/:id/movements': ANY,
  'POST /cash-sessions/:id/close': ANY,
  'GET /stores/:storeId/cash-sessions': ANY,
  'GET /cash-sessions/:id/x-report': ANY,
  'GET /cash-sessions/:id/z-report': ANY,
  'GET /cash-sessions/:id/z-report/receipt': ANY,
  'GET /registers/:id/z-reports': ANY,
  // Tenders are tenant-wide: the till lists them, only the owner defines them.
  'GET /payment-methods': ANY,
  'POST /payment-methods': [O],
  'PATCH /payment-methods/:id': [O],
  'POST /sales': ANY,
  'GET /sales/:id': ANY,
  'GET /sales': ANY,
  'GET /customers/:id/sales': ANY,
  'GET /sales/:id/receipt': ANY,
  'POST /sales/:id/receipt/email': ANY,
  // A cashier refunds and voids with a manager's PIN (checked by the services); without a receipt only managers.
  'POST /sales/:id/refunds': ANY,
  'POST /refunds': [O, M],
  'GET /refunds/:id': ANY,
  'GET /sales/:id/refunds': ANY,
  'GET /refunds/:id/receipt': ANY,
  'POST /sales/:id/void': ANY,
  // Reports: owners and managers (a manager's own stores), never a register session.
  'GET /reports/sales-by-day': [O, M],
  'GET /reports/sales-by-hour': [O, M],
  'GET /reports/sales-by-product': [O, M],
  'GET /reports/sales-by-category': [O, M],
  'GET /reports/sales-by-cashier': [O, M],
  'GET /reports/sales-by-payment-method': [O, M],
  'GET /reports/tax': [O, M],
  'GET /reports/gross-margin': [O, M],
  'GET /reports/refunds': [O, M],
  'GET /reports/discounts': [O, M],
  'GET /reports/voids': [O, M],
  'POST /report-exports': [O, M],
  'GET /report-exports/:id': [O, M],
  // Its link's signature is the credential.
  'GET /report-exports/:id/file': 'public',
  'GET /health/live': 'public',
  'GET /health/ready': 'public',
  'GET /metrics': 'public',
  'GET /docs/openapi.json': 'public',
};

/**
 * What a register (PIN) session may call, whatever its role, beyond the role's own limits: its own
 * account routes and the reads a till needs. Nothing that administers the tenant, users, stores,
 * registers, catalog or inventory; customers are the till's own work.
 */
const register = new Set([
  'POST /auth/logout',
  'POST /auth/password',
  'PUT /auth/pin',
  'GET /auth/me',
  'GET /tenant',
  'GET /stores',
  'GET /stores/:id',
  'GET /stores/:storeId/registers',
  'GET /tax-categories',
  'GET /tax-categories/:id',
  'GET /categories',
  'GET /categories/:id',
  'GET /products',
  'GET /products/:id',
  'GET /barcodes/:code',
  'GET /stores/:storeId/stock',
  'GET /stores/:storeId/stock/low',
  'GET /stores/:storeId/stock/movements',
  'GET /transfers',
  'GET /transfers/:id',
  // A cashier names the sale's customer at the till, and signs a new one up there.
  'GET /customers',
  'GET /customers/:id',
  'POST /customers',
  'PATCH /customers/:id',
  // Carts are built at the till.
  'POST /carts',
  'GET /carts/:id',
  'POST /carts/:id/lines',
  'PATCH /carts/:id/lines/:lineId',
  'DELETE /carts/:id/lines/:lineId',
  'PATCH /carts/:id',
  'POST /carts/:id/park',
  'POST /carts/:id/resume',
  'POST /carts/:id/void',
  'GET /stores/:storeId/carts',
  // The till's own cash session (the service limits a register session to its own register).
  'POST /registers/:id/cash-sessions',
  'GET /registers/:id/cash-sessions/current',
  'GET /cash-sessions/:id',
  'POST /cash-sessions/:id/movements',
  'POST /cash-sessions/:id/close',
  'GET /stores/:storeId/cash-sessions',
  'GET /cash-sessions/:id/x-report',
  'GET /cash-sessions/:id/z-report',
  'GET /cash-sessions/:id/z-report/receipt',
  'GET /registers/:id/z-reports',
  // The tenders the till offers.
  'GET /payment-methods',
  // Selling, and finding a sale again (a reprint, a refund, a customer's purchases).
  'POST /sales',
  'GET /sales/:id',
  'GET /sales',
  'GET /customers/:id/sales',
  // Reprinting a receipt at the till, or emailing it to the customer.
  'GET /sales/:id/receipt',
  'POST /sales/:id/receipt/email',
  // Refunds and voids at the till; a refund without a receipt is not a till's (a manager's own session).
  'POST /sales/:id/refunds',
  'GET /refunds/:id',
  'GET /refunds/:id/receipt',
  'GET /sales/:id/refunds',
  'POST /sales/:id/void',
]);

const key = (e: Endpoint) => `${e.method} ${e.path}`;

describe('every route × every caller', () => {
  let app: NestFastifyApplication;
  let a: TestTenant;
  let b: TestTenant;
  let expired: string;
  let forged: string;
  const tills = {} as Record<Role, string>;

  beforeAll(async () => {
    app = await createTestApp();
    [a, b] = await Promise.all([createTenant(app), createTenant(app)]);
    const claims = {
      userId: a.owner.id,
      tenantId: a.tenantId,
      role: O,
      storeIds: null,
      registerId: null,
      sessionKind: 'full' as const,
      sessionVersion: 1,
    };
    expired = await app.get(TokenService).sign(claims, -60);
    // What POST /auth/pin mints on tenant A's first register, for each role.
    for (const role of ANY) {
      tills[role] = await app.get(TokenService).sign({
        userId: a[role].id,
        tenantId: a.tenantId,
        role,
        storeIds: [a.storeIds[0]],
        registerId: a.registerIds[0],
        sessionKind: 'register',
        sessionVersion: 1,
      });
    }
    const other = await createTestApp();
    forged = await other.get(TokenService).sign(claims);
    await other.close();
  });
  afterAll(() => app.close());

  /** Path with tenant A's first store for store params (in every test user's scope), fresh ids elsewhere. */
  const urlOf = (e: Endpoint, t: TestTenant) =>
    e.path.replace(/:(\w+)/g, (_, name: string) =>
      name === 'storeId' ? t.storeIds[0] : name === 'code' ? '4006381333931' : randomUUID(),
    );
  const call = (e: Endpoint, url: string, token?: string) =>
    checkedInject(app, {
      method: e.method,
      url,
      headers: token ? { authorization: `Bearer ${token}` } : {},
      ...(e.method === 'GET' || e.method === 'DELETE' ? {} : { payload: {} }),
    });

  it('has exactly one row per contract endpoint, and every endpoint is a served route', () => {
    const keys = allEndpoints.map(key);
    expect(new Set(keys).size).toBe(keys.length);
    expect([...keys].sort()).toEqual(Object.keys(access).sort());
    const fastify = app.getHttpAdapter().getInstance();
    for (const e of allEndpoints)
      expect(fastify.hasRoute({ method: e.method, url: e.path }), key(e)).toBe(true);
  });

  it('the contracts declare what the table expects', () => {
    for (const e of allEndpoints) {
      const row = access[key(e)];
      expect(e.access === 'public', key(e)).toBe(row === 'public');
    }
  });

  for (const e of allEndpoints) {
    const row = access[key(e)];
    describe(key(e), () => {
      if (row === 'public') {
        it('is open without a token', async () => {
          const res = await call(e, urlOf(e, a));
          expect([401, 403], `${key(e)} → ${res.statusCode}`).not.toContain(res.statusCode);
        });
        return;
      }
      it('refuses no token, an expired token and a forged token with 401', async () => {
        const url = urlOf(e, a);
        const none = await call(e, url);
        expect(none.statusCode).toBe(401);
        expect(none.json().error.code).toBe('UNAUTHENTICATED');
        const old = await call(e, url, expired);
        expect(old.statusCode).toBe(401);
        expect(old.json().error.code).toBe('TOKEN_EXPIRED');
        const fake = await call(e, url, forged);
        expect(fake.statusCode).toBe(401);
      });
      for (const role of ANY) {
        const allowed = row?.includes(role) ?? false;
        it(`${allowed ? 'lets' : 'forbids'} ${role}`, async () => {
          const res = await call(e, urlOf(e, a), a[role].token);
          if (allowed) expect([401, 403], `${role} ${key(e)} → ${res.body}`).not.toContain(res.statusCode);
          else {
            expect(res.statusCode, `${role} ${key(e)} → ${res.body}`).toBe(403);
            expect(res.json().error.code).toBe('FORBIDDEN');
          }
        });
      }
      for (const role of ANY) {
        const allowed = (row?.includes(role) ?? false) && register.has(key(e));
        it(`${allowed ? 'lets' : 'forbids'} a register session of ${role}`, async () => {
          const res = await call(e, urlOf(e, a), tills[role]);
          if (allowed) expect([401, 403], `${role} ${key(e)} → ${res.body}`).not.toContain(res.statusCode);
          else {
            expect(res.statusCode, `register ${role} ${key(e)} → ${res.body}`).toBe(403);
            expect(res.json().error.code).toBe('FORBIDDEN');
          }
        });
      }
      if (e.path.includes(':')) {
        it("never serves another tenant's records", async () => {
          const res = await call(e, urlOf(e, a), b.owner.token);
          expect([400, 404], `${key(e)} → ${res.statusCode} ${res.body}`).toContain(res.statusCode);
        });
      }
    });
  }
});
