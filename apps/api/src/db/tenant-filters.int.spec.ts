import { randomBytes, randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Session, StockCount, StockLevel } from '@zakpos/contracts';
import { TokenService } from '../auth/token.service.js';
import { checkedInject } from '../test/contract-check.js';
import { createTenant, type TestTenant, type TestUser } from '../test/fixtures.js';
import { populateTenant, tenantColumn, type TenantRecords, tenantTables } from '../test/tenant-scenario.js';
import { createTestApp } from '../test/test-app.js';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type Caller = Pick<TestUser, 'headers'>;
interface Answer {
  status: number;
  body: unknown;
}
/** Per table, the tenant's rows as JSON text, sorted. */
type Snapshot = Record<string, string[]>;

const BYPASS_ROLE = 'zakpos_app_bypassrls';
/** A barcode A's product gets in place of its own. */
const NEW_BARCODE = '5012345678900';

/**
 * The repositories' own tenant filters, proven without row-level security. A second API runs on a role
 * with BYPASSRLS and the API role's grants, so a statement missing `tenant_id = <the caller's tenant>`
 * reaches other tenants' rows. It must answer every request exactly as the API on its real role
 * (where RLS hides other tenants), and no other tenant's row may change. Tenant A is attacked from two
 * sides: tenant B has ids of its own, which A names (must stay 404); A's twin is a copy of A with every
 * key the same (keys are per tenant), so a statement keyed only by a store, product, user, transfer or
 * count id meets the twin's row too: as a duplicate in a list, a doubled sum, a false conflict, a value
 * of the twin's in what A writes, or a changed twin row.
 *
 * Not observable here: a missing filter on a statement that only locks rows (the level locks of
 * fixVariances), or on the refresh-token lookup, whose hash covers the tenant id.
 */
describe('tenant filters without row-level security', () => {
  let su: pg.Client;
  let bypassUrl: string;
  /** The API on its own role. */
  let rls: NestFastifyApplication;
  /** The same API on the RLS-bypassing role: only the repositories' filters separate tenants. */
  let bypass: NestFastifyApplication;
  let a: TestTenant;
  let ra: TenantRecords;
  let b: TestTenant;
  let rb: TenantRecords;
  let twinId: string;
  /** A's second product, on no count sheet of A. */
  let p2: string;
  /** A category and a tax category of A's that nothing uses (A deletes them). */
  let spare: { categoryId: string; taxCategoryId: string };
  /** A and its twin just after the copy. */
  const atClone = new Map<string, Snapshot>();
  let tables: string[];
  const before = new Map<string, Snapshot>();

  beforeAll(async () => {
    su = new pg.Client({ connectionString: inject('db').superuserUrl });
    await su.connect();
    const appUrl = new URL(inject('db').appUrl);
    const password = randomBytes(18).toString('base64url');
    await su.query(
      `create role ${BYPASS_ROLE} login bypassrls password '${password}' in role ${appUrl.username}`,
    );
    const url = new URL(appUrl);
    url.username = BYPASS_ROLE;
    url.password = password;
    bypassUrl = url.toString();

    // One JWT secret: a token minted by one app is good on the other.
    const jwt = { JWT_SECRET: randomBytes(32).toString('base64url') };
    [rls, bypass] = await Promise.all([
      createTestApp(jwt),
      createTestApp({ ...jwt, DATABASE_URL: bypassUrl }),
    ]);
    [a, b] = await Promise.all([createTenant(rls), createTenant(rls)]);
    ra = await populateTenant(rls, a);
    rb = await populateTenant(rls, b);
    const [s0, s1] = a.storeIds;
    // More for the twin to share: a second product, a low-stock alert, sessions of the other users.
    const second = await expectOk(rls, a.owner, 'POST', '/products', {
      sku: 'TONIC-1',
      name: 'Tonic water 1 l',
      price: 180,
      taxCategoryId: ra.taxCategoryId,
    });
    p2 = second.id;
    const [spareCategory, spareTax] = [
      await expectOk(rls, a.owner, 'POST', '/categories', { name: 'Snacks' }),
      await expectOk(rls, a.owner, 'POST', '/tax-categories', {
        name: 'Zero',
        rates: [{ name: 'VAT', rateBp: 0 }],
      }),
    ];
    spare = { categoryId: spareCategory.id, taxCategoryId: spareTax.id };
    await expectOk(rls, a.owner, 'PUT', `/stores/${s0}/stock/${ra.productId}/threshold`, {
      lowStockThreshold: 50_000,
    });
    for (const u of [a.manager, a.cashier]) {
      await expectOk(rls, u, 'POST', '/auth/login', { email: u.email, password: u.password });
    }
    // A code only B's product carries (A's product takes it later).
    await expectOk(rls, b.owner, 'POST', `/products/${rb.productId}/barcodes`, { code: NEW_BARCODE });

    tables = await tenantTables(su);
    twinId = randomUUID();
    await cloneTenant(a.tenantId, twinId);
    for (const id of [a.tenantId, twinId]) atClone.set(id, await snapshot(id));
    // Then the twin, on its own (through the RLS app), gets what A lacks: stock of the product in the
    // second store, and the second product counted on its copy of A's count.
    const token = await rls.get(TokenService).sign({
      userId: a.owner.id,
      tenantId: twinId,
      role: 'owner',
      storeIds: null,
      registerId: null,
      sessionKind: 'full',
      sessionVersion: 1,
    });
    const twinOwner = { headers: { authorization: `Bearer ${token}` } };
    await expectOk(rls, twinOwner, 'POST', `/stores/${s1}/stock/adjustments`, {
      reasonCode: 'received',
      lines: [{ productId: ra.productId, quantity: 3000 }],
    });
    await expectOk(rls, twinOwner, 'PUT', `/counts/${ra.countId}/lines`, {
      lines: [{ productId: p2, counted: 1000 }],
    });
    for (const id of [b.tenantId, twinId]) before.set(id, await snapshot(id));
  });
  afterAll(async () => {
    await Promise.all([rls?.close(), bypass?.close()]);
    await su?.query(`drop role if exists ${BYPASS_ROLE}`);
    await su?.end();
  });

  /** Copies every row of tenant `from` to tenant `to`, keys and all, as it is (no triggers, no FK checks). */
  async function cloneTenant(from: string, to: string): Promise<void> {
    await su.query('begin');
    try {
      await su.query('set local session_replication_role = replica');
      for (const table of tables) {
        const col = tenantColumn(table);
        await su.query(
          `insert into ${table} overriding system value
           select (jsonb_populate_record(null::${table}, to_jsonb(x) || jsonb_build_object('${col}', $2::uuid))).*
             from ${table} x where ${col} = $1`,
          [from, to],
        );
      }
      // The twin's event sequence continues after the seqs it copied, as 0020 did for existing tenants.
      const seq = `public.outbox_seq_${to.replaceAll('-', '')}`;
      const last = await su.query<{ n: string | null }>(
        'select max(seq) as n from outbox where tenant_id = $1',
        [to],
      );
      await su.query(`create sequence ${seq} start ${Number(last.rows[0]!.n ?? 0) + 1}`);
      await su.query(
        `alter sequence ${seq} owner to ${(await su.query("select tableowner from pg_tables where tablename = 'outbox'")).rows[0].tableowner}`,
      );
      await su.query('commit');
    } catch (err) {
      await su.query('rollback');
      throw err;
    }
  }

  async function snapshot(tenantId: string): Promise<Snapshot> {
    const rows: Snapshot = {};
    for (const table of tables) {
      const res = await su.query<{ r: string }>(
        `select to_jsonb(x)::text as r from ${table} x where ${tenantColumn(table)} = $1 order by 1`,
        [tenantId],
      );
      rows[table] = res.rows.map((row) => row.r);
    }
    return rows;
  }

  const send = (app: NestFastifyApplication, user: Caller, method: Method, url: string, payload?: unknown) =>
    checkedInject(app, {
      method,
      url,
      headers: user.headers,
      ...(payload === undefined ? {} : { payload: payload as object }),
    });

  async function expectOk(
    app: NestFastifyApplication,
    user: Caller,
    method: Method,
    url: string,
    payload?: unknown,
  ) {
    const res = await send(app, user, method, url, payload);
    expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
    return res.body === '' ? undefined : res.json();
  }

  /** The request on both apps: the bypassing one must answer exactly as the RLS one did. */
  async function sameAnswer(user: TestUser, method: Method, url: string, payload?: unknown): Promise<Answer> {
    const answer = async (app: NestFastifyApplication): Promise<Answer> => {
      const res = await send(app, user, method, url, payload);
      return { status: res.statusCode, body: res.body === '' ? null : res.json() };
    };
    const expected = await answer(rls);
    expect(await answer(bypass), `${method} ${url}`).toEqual(expected);
    return expected;
  }

  /** A fresh session for a test user whose rights or password changed (their old token has ended). */
  async function relogin(user: TestUser): Promise<void> {
    const session = (await expectOk(rls, user, 'POST', '/auth/login', {
      email: user.email,
      password: user.password,
    })) as Session;
    user.token = session.accessToken;
    user.headers = { authorization: `Bearer ${session.accessToken}` };
  }

  /** A read answered as under RLS with `status`; for a page, every following page as well. */
  async function sameReads(user: TestUser, url: string, status: number): Promise<void> {
    let next: string | null = url;
    for (let pages = 0; next !== null; pages++) {
      expect(pages, `${url}: more pages than the tenant has rows`).toBeLessThan(50);
      const answer = await sameAnswer(user, 'GET', next);
      expect(answer.status, `GET ${next}: ${JSON.stringify(answer.body)}`).toBe(status);
      const cursor = (answer.body as { nextCursor?: string | null } | null)?.nextCursor;
      next = cursor ? `${url}${url.includes('?') ? '&' : '?'}cursor=${encodeURIComponent(cursor)}` : null;
    }
  }

  /** Every read of every module, by A: its own rows (lists with and without filters, by pages of one) and B's. */
  async function readEverything(): Promise<void> {
    const [s0, s1] = a.storeIds;
    const p = ra.productId;
    const own: [TestUser, string][] = [
      [a.owner, '/auth/me'],
      [a.cashier, '/auth/me'],
      [a.owner, '/tenant'],
      [a.owner, '/stores'],
      [a.manager, '/stores'],
      [a.owner, `/stores/${s1}`],
      [a.owner, `/stores/${s0}/registers`],
      [a.owner, '/users?limit=1'],
      [a.manager, '/users'],
      [a.owner, `/users?role=cashier&active=true&storeId=${s0}`],
      [a.owner, `/users/${a.manager.id}`],
      [a.owner, '/audit-log?limit=3'],
      [a.owner, '/audit-log?entityType=transfer'],
      [a.owner, '/tax-categories'],
      [a.owner, `/tax-categories/${ra.taxCategoryId}`],
      [a.owner, '/categories'],
      [a.owner, `/categories/${ra.categoryId}`],
      [a.owner, '/products?limit=1'],
      [a.owner, `/products?active=true&categoryId=${ra.categoryId}`],
      [a.cashier, '/products?q=water'],
      [a.cashier, '/products?q=water%20still'],
      [a.cashier, `/products?q=${ra.barcode.slice(0, 6)}`],
      [a.owner, `/products/${p}`],
      [a.owner, '/transfers?limit=1'],
      [a.manager, '/transfers'],
      [a.owner, `/transfers?status=in_transit&storeId=${s1}`],
      [a.owner, `/transfers/${ra.transferId}`],
      [a.owner, `/counts/${ra.countId}`],
      [a.manager, `/counts/${ra.countId}`],
      [a.cashier, '/customers?limit=1'],
      [a.cashier, '/customers?q=ada'],
      [a.cashier, '/customers?q=ada%40example'],
      [a.cashier, '/customers?q=%2B44%2020'],
      [a.cashier, `/customers/${ra.customerId}`],
      [a.owner, `/cash-sessions/${ra.cashSessionId}`],
      [a.owner, `/registers/${a.registerIds[0]}/cash-sessions/current`],
      [a.owner, `/stores/${s0}/cash-sessions?limit=1`],
      [a.owner, `/carts/${ra.cartId}`],
      [a.owner, `/stores/${s0}/carts?status=open&limit=1`],
      [a.cashier, '/payment-methods'],
      [a.owner, '/payment-methods?active=true'],
      [a.owner, `/refunds/${ra.refundId}`],
      [a.owner, `/sales/${ra.saleId}/refunds`],
      [a.owner, `/report-exports/${ra.reportExportId}`],
    ];
    for (const s of [s0, s1]) {
      own.push(
        [a.owner, `/stores/${s}/stock?limit=1`],
        [a.owner, `/stores/${s}/stock?productId=${p}`],
        [a.owner, `/stores/${s}/stock/low?limit=1`],
        [a.owner, `/stores/${s}/stock/movements?limit=1`],
        [a.owner, `/stores/${s}/stock/movements?productId=${p}&reason=adjustment`],
        [a.owner, `/stores/${s}/counts?limit=1`],
        [a.owner, `/stores/${s}/counts?status=open`],
      );
    }
    for (const [user, url] of own) await sameReads(user, url, 200);
    // The product has one of these barcodes before the writes below and the other after them.
    const found = [];
    for (const code of [ra.barcode, NEW_BARCODE]) {
      found.push((await sameAnswer(a.cashier, 'GET', `/barcodes/${code}`)).status);
    }
    expect(found.sort()).toEqual([200, 404]);

    const [b0] = b.storeIds;
    const others: [string, number][] = [
      [`/stores/${b0}`, 404],
      [`/stores/${b0}/registers`, 404],
      [`/users/${b.manager.id}`, 404],
      [`/users?storeId=${b0}`, 200],
      [`/tax-categories/${rb.taxCategoryId}`, 404],
      [`/categories/${rb.categoryId}`, 404],
      [`/products/${rb.productId}`, 404],
      [`/products?categoryId=${rb.categoryId}`, 200],
      [`/stores/${b0}/stock`, 404],
      [`/stores/${b0}/stock/low`, 404],
      [`/stores/${b0}/stock/movements`, 404],
      [`/stores/${s0}/stock?productId=${rb.productId}`, 404],
      [`/stores/${s0}/stock/movements?productId=${rb.productId}`, 404],
      [`/transfers/${rb.transferId}`, 404],
      [`/transfers?storeId=${b0}`, 404],
      [`/stores/${b0}/counts`, 404],
      [`/counts/${rb.countId}`, 404],
      [`/customers/${rb.customerId}`, 404],
      [`/report-exports/${rb.reportExportId}`, 404],
    ];
    for (const [url, status] of others) await sameReads(a.owner, url, status);
  }

  it('the second app bypasses row-level security, and the twin shares every key of A', async () => {
    const db = new pg.Client({ connectionString: bypassUrl });
    await db.connect();
    try {
      await db.query('begin');
      await db.query("select set_config('app.tenant_id', $1, true)", [a.tenantId]);
      const seen = await db.query<{ n: number }>(
        'select count(distinct tenant_id)::int as n from stock_movements where tenant_id = any($1)',
        [[a.tenantId, b.tenantId, twinId]],
      );
      expect(seen.rows[0]!.n).toBe(3);
      await db.query('rollback');
    } finally {
      await db.end();
    }
    const ofA = atClone.get(a.tenantId)!;
    const ofTwin = atClone.get(twinId)!;
    for (const table of tables) {
      expect(ofTwin[table]!.length, table).toBeGreaterThan(0);
      const asA = ofTwin[table]!.map((row) => row.replaceAll(twinId, a.tenantId)).sort();
      expect(asA, table).toEqual([...ofA[table]!].sort());
    }
  });

  it('reads, lists, filters and cursors of every module answer as under row-level security', async () => {
    await readEverything();
  });

  it("writes naming B's rows are refused as under row-level security", async () => {
    const [s0] = a.storeIds;
    const [b0] = b.storeIds;
    const line = (productId: string) => [{ productId, quantity: 1000 }];
    const attacks: [Method, string, object?][] = [
      ['PATCH', `/products/${rb.productId}`, { name: 'Taken' }],
      ['DELETE', `/products/${rb.productId}`],
      ['POST', `/products/${rb.productId}/barcodes`, { code: NEW_BARCODE }],
      ['DELETE', `/products/${rb.productId}/barcodes/${rb.barcode}`],
      ['POST', '/products', { sku: 'B-TAX', name: 'B tax', price: 1, taxCategoryId: rb.taxCategoryId }],
      ['PATCH', `/tax-categories/${rb.taxCategoryId}`, { name: 'Taken' }],
      ['DELETE', `/tax-categories/${rb.taxCategoryId}`],
      ['PATCH', `/categories/${rb.categoryId}`, { name: 'Taken' }],
      ['DELETE', `/categories/${rb.categoryId}`],
      ['PATCH', `/stores/${b0}`, { name: 'Taken' }],
      ['POST', `/stores/${b0}/registers`, { name: 'Till 9' }],
      ['PATCH', `/registers/${b.registerIds[0]}`, { name: 'Taken' }],
      ['PATCH', `/users/${b.cashier.id}`, { name: 'Taken' }],
      ['PATCH', `/users/${a.cashier.id}`, { storeIds: [b0] }],
      ['POST', `/stores/${b0}/stock/adjustments`, { reasonCode: 'received', lines: line(ra.productId) }],
      ['POST', `/stores/${s0}/stock/adjustments`, { reasonCode: 'received', lines: line(rb.productId) }],
      ['PUT', `/stores/${s0}/stock/${rb.productId}/threshold`, { lowStockThreshold: 1000 }],
      ['POST', '/transfers', { fromStoreId: s0, toStoreId: b0, lines: line(ra.productId) }],
      ['POST', `/transfers/${rb.transferId}/receive`],
      ['POST', `/stores/${b0}/counts`, {}],
      ['PUT', `/counts/${rb.countId}/lines`, { lines: [{ productId: ra.productId, counted: 1000 }] }],
      ['POST', `/counts/${rb.countId}/complete`],
      ['PATCH', `/customers/${rb.customerId}`, { name: 'Taken' }],
      ['POST', `/registers/${b.registerIds[1]}/cash-sessions`, { openingFloat: 100 }],
      [
        'POST',
        `/cash-sessions/${rb.cashSessionId}/movements`,
        { kind: 'cash_in', amount: 1, reasonCode: 'float_top_up' },
      ],
      ['POST', `/cash-sessions/${rb.cashSessionId}/close`, { countedTotal: 0 }],
      ['POST', `/carts/${rb.cartId}/lines`, { version: 2, productId: ra.productId }],
      ['PATCH', `/carts/${rb.cartId}/lines/${rb.cartLineId}`, { version: 2, quantity: 5000 }],
      ['PATCH', `/carts/${rb.cartId}`, { version: 2, note: 'Taken' }],
      ['POST', `/carts/${rb.cartId}/park`, { version: 2 }],
      ['POST', `/carts/${rb.cartId}/void`, { version: 2 }],
      ['PATCH', `/payment-methods/${rb.paymentMethodId}`, { name: 'Taken', active: false }],
      [
        'POST',
        `/sales/${rb.saleId}/refunds`,
        {
          id: randomUUID(),
          registerId: a.registerIds[0],
          reason: 'Taken',
          lines: [{ lineNo: 1, quantity: 1000, restock: true }],
          payments: [{ kind: 'card', amount: 120, reference: 'T-9' }],
        },
      ],
      ['POST', `/sales/${rb.saleId}/void`, { id: randomUUID(), reason: 'Taken' }],
    ];
    for (const [method, url, payload] of attacks) {
      const answer = await sameAnswer(a.owner, method, url, payload);
      expect(answer.status, `${method} ${url}`).toBeGreaterThanOrEqual(400);
    }
    // B's refresh token, ended from A's session.
    await sameAnswer(a.owner, 'POST', '/auth/logout', { refreshToken: rb.refreshToken });
  });

  it('writes of every module to its own rows succeed (the twin has rows with the same keys)', async () => {
    const [s0, s1] = a.storeIds;
    const p = ra.productId;
    const owner = (method: Method, url: string, payload?: object) =>
      expectOk(bypass, a.owner, method, url, payload);

    // Tenancy. A code or name A gives up is still B's and the twin's: taking it again must not clash.
    await owner('PATCH', '/tenant', { name: 'Tenant A renamed' });
    await owner('PATCH', `/stores/${s1}`, { code: 'S9', name: 'Store two' });
    await owner('POST', '/stores', { code: 'S2', name: 'Store three' });
    await owner('PATCH', `/registers/${a.registerIds[0]}`, { name: 'Front till' });
    await owner('POST', `/stores/${s0}/registers`, { name: 'Till 1' });
    // The cashier leaves s0 (the twin's cashier stays there).
    await owner('PATCH', `/users/${a.cashier.id}`, { name: 'Cashier A', storeIds: [s1] });
    await owner('PATCH', `/users/${a.manager.id}`, { password: 'a new password for the manager' });
    // Both changes end those users' access tokens at once (session versions): they log in again.
    a.manager.password = 'a new password for the manager';
    await relogin(a.cashier);
    await relogin(a.manager);
    // A's only owner stays, whoever else has owners.
    const lastOwner = await sameAnswer(a.owner, 'PATCH', `/users/${a.owner.id}`, { active: false });
    expect(lastOwner.status).toBe(409);

    // Catalog, the same way.
    await owner('PATCH', `/tax-categories/${ra.taxCategoryId}`, {
      name: 'Reduced',
      rates: [{ name: 'VAT', rateBp: 550 }],
    });
    await owner('POST', '/tax-categories', { name: 'Standard', rates: [{ name: 'VAT', rateBp: 2000 }] });
    await owner('PATCH', `/categories/${ra.categoryId}`, { name: 'Beverages' });
    await owner('POST', '/categories', { name: 'Drinks' });
    await owner('PATCH', `/products/${p}`, {
      sku: 'WATER-1L',
      name: 'Sparkling water 1 l',
      price: 150,
      barcodes: [{ code: ra.barcode }],
    });
    await owner('POST', '/products', {
      sku: 'WATER-1',
      name: 'Still water 1 l',
      price: 120,
      taxCategoryId: ra.taxCategoryId,
    });
    await owner('POST', `/products/${p}/barcodes`, { code: NEW_BARCODE });
    await owner('DELETE', `/products/${p}/barcodes/${ra.barcode}`);
    await owner('DELETE', `/categories/${spare.categoryId}`);
    await owner('DELETE', `/tax-categories/${spare.taxCategoryId}`);

    // Stock.
    await owner('PUT', `/stores/${s0}/stock/${p}/threshold`, { lowStockThreshold: 2000 });
    await owner('POST', `/stores/${s0}/stock/adjustments`, {
      reasonCode: 'damaged',
      lines: [{ productId: p, quantity: -2000 }],
    });
    // p joins a count of p2 in s1: its expected is A's on hand there (none yet), not the twin's 3000.
    const c2 = (await owner('POST', `/stores/${s1}/counts`, { productIds: [p2] })) as StockCount;
    const recorded = (await owner('PUT', `/counts/${c2.id}/lines`, {
      lines: [{ productId: p, counted: 2000 }],
    })) as StockCount;
    expect(recorded.lines.find((l) => l.productId === p)?.expected).toBe(0);
    await owner('POST', `/counts/${c2.id}/complete`);
    await owner('POST', `/transfers/${ra.transferId}/receive`);
    await owner('POST', '/transfers', {
      fromStoreId: s1,
      toStoreId: s0,
      lines: [{ productId: p, quantity: 1000 }],
    });
    await owner('PUT', `/counts/${ra.countId}/lines`, { lines: [{ productId: p, counted: 4000 }] });
    await owner('POST', `/counts/${ra.countId}/complete`);
    // Only the twin counted p2 on this count: A's p2 in s0 still never had a stock level.
    const p2Levels = (await owner('GET', `/stores/${s0}/stock?productId=${p2}`)) as { items: StockLevel[] };
    expect(p2Levels.items[0]?.updatedAt).toBeNull();
    await owner('POST', `/stores/${s1}/counts`, {});

    // Customers: the email and phone A gives up are still B's and the twin's; taking them again must not clash.
    await owner('PATCH', `/customers/${ra.customerId}`, { email: 'ada.l@example.com', phone: null });
    await owner('POST', '/customers', {
      name: 'Ada Byron',
      email: 'ada@example.com',
      phone: '+442079460000',
    });

    // Cash: A closes its session and opens the register again (the twin's session there stays open).
    await owner('POST', `/cash-sessions/${ra.cashSessionId}/movements`, {
      kind: 'cash_out',
      amount: 500,
      reasonCode: 'safe_drop',
    });
    await owner('POST', `/cash-sessions/${ra.cashSessionId}/close`, { countedTotal: 10_000 });
    // The twin's session on this register id is still open: only A's sessions may keep A's register active.
    await owner('PATCH', `/registers/${a.registerIds[0]}`, { active: false });
    await owner('PATCH', `/registers/${a.registerIds[0]}`, { active: true });
    await owner('POST', `/registers/${a.registerIds[0]}/cash-sessions`, { openingFloat: 0 });

    // Carts: the twin's cart has A's cart id and version, so a write keyed without the tenant would take
    // the twin's version too (and its lines would follow).
    type CartAnswer = { version: number; lines: { id: string }[] };
    let cart = (await owner('PATCH', `/carts/${ra.cartId}/lines/${ra.cartLineId}`, {
      version: 2,
      quantity: 3000,
      discount: { kind: 'percent', basisPoints: 5000 },
    })) as CartAnswer;
    cart = (await owner('POST', `/carts/${ra.cartId}/lines`, {
      version: cart.version,
      barcode: NEW_BARCODE,
    })) as CartAnswer;
    cart = (await owner(
      'DELETE',
      `/carts/${ra.cartId}/lines/${ra.cartLineId}?version=${cart.version}`,
    )) as CartAnswer;
    cart = (await owner('PATCH', `/carts/${ra.cartId}`, {
      version: cart.version,
      note: 'A',
      customerId: null,
      discount: { kind: 'amount', amount: 10 },
    })) as CartAnswer;
    cart = (await owner('POST', `/carts/${ra.cartId}/park`, { version: cart.version })) as CartAnswer;
    await owner('POST', `/carts/${ra.cartId}/resume`, { version: cart.version });
    await owner('POST', '/carts', { registerId: a.registerIds[0] });

    // Payment methods: the twin (and B) have the code 'voucher' too, and the twin the same clearing accounts.
    await owner('PATCH', `/payment-methods/${ra.paymentMethodId}`, { name: 'Paper voucher', active: false });
    await owner('POST', '/payment-methods', { code: 'gift-card', name: 'Gift card' });
    const taken = await sameAnswer(a.owner, 'POST', '/payment-methods', { code: 'voucher', name: 'Again' });
    expect(taken.status).toBe(409);

    // Refunds: the twin's sale has the same id and the same refund of one of its two units. Earlier refunds
    // looked up without the tenant filter count both, and the last unit would be refused.
    await owner('POST', `/sales/${ra.saleId}/refunds`, {
      id: randomUUID(),
      registerId: a.registerIds[0],
      reason: 'the last one',
      lines: [{ lineNo: 1, quantity: 1000, restock: false }],
      payments: [{ kind: 'card', amount: 120, reference: 'T-2' }],
    });

    // Sessions: a refresh and a logout, a failed login, logins by password and PIN, a password change.
    const refreshed = (await owner('POST', '/auth/refresh', { refreshToken: ra.refreshToken })) as Session;
    await owner('POST', '/auth/logout', { refreshToken: refreshed.refreshToken });
    const failed = await send(bypass, a.manager, 'POST', '/auth/login', {
      email: a.manager.email,
      password: 'not the password',
    });
    expect(failed.statusCode).toBe(401);
    const cashier = (method: Method, url: string, payload: object) =>
      expectOk(bypass, a.cashier, method, url, payload);
    const login = (await cashier('POST', '/auth/login', {
      email: a.cashier.email,
      password: a.cashier.password,
    })) as Session;
    expect(login.user.storeIds).toEqual([s1]);
    await cashier('PUT', '/auth/pin', { currentPassword: a.cashier.password, pin: '4321' });
    const pinAt = (registerId: string) => ({
      tenantId: a.tenantId,
      registerId,
      userId: a.cashier.id,
      pin: '4321',
    });
    await cashier('POST', '/auth/pin', pinAt(a.registerIds[1]));
    // Refused as under RLS: a till in the store the cashier left, and B's till named under tenant A.
    expect((await sameAnswer(a.cashier, 'POST', '/auth/pin', pinAt(a.registerIds[0]))).status).toBe(403);
    expect((await sameAnswer(a.cashier, 'POST', '/auth/pin', pinAt(b.registerIds[0]))).status).toBe(401);
    await cashier('POST', '/auth/password', {
      currentPassword: a.cashier.password,
      newPassword: 'another long password',
    });
    a.cashier.password = 'another long password';
    await relogin(a.cashier);
  });

  it('after the writes, every read still answers as under row-level security', async () => {
    await readEverything();
  });

  it("no row of B or of A's twin changed", async () => {
    for (const [tenantId, rows] of before) {
      const now = await snapshot(tenantId);
      for (const table of tables) {
        expect(now[table], `${table} of ${tenantId === twinId ? "A's twin" : 'B'}`).toEqual(rows[table]);
      }
    }
  });
});
