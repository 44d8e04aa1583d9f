import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { passwordHasher } from '../auth/password-hasher.js';
import { checkBarcode } from '../catalog/barcode.js';
import { withCheckDigit } from '../catalog/barcode.js';
import { Database } from '../db/database.js';
import { createTestApp } from '../test/test-app.js';
import { checkedInject } from '../test/contract-check.js';
import { DEMO_TENANT_ID, seedDemo } from './demo-seed.js';
import { seedDemoTrading } from './demo-trading.js';

const TABLES = [
  'stores',
  'registers',
  'users',
  'user_stores',
  'tax_categories',
  'tax_category_rates',
  'categories',
  'products',
  'product_barcodes',
];

describe('the demo seed', () => {
  let db: Database;
  let su: pg.Client;
  beforeAll(async () => {
    db = new Database(inject('db').appUrl, { poolMax: 2 });
    su = new pg.Client({ connectionString: inject('db').superuserUrl });
    await su.connect();
  });
  afterAll(async () => {
    await su.end();
    await db.close();
  });

  const counts = async () => {
    const result: Record<string, number> = {};
    for (const table of TABLES) {
      result[table] = (
        await su.query(`select count(*)::int as n from ${table} where tenant_id = $1`, [DEMO_TENANT_ID])
      ).rows[0].n;
    }
    result.tenants = (
      await su.query('select count(*)::int as n from tenants where id = $1', [DEMO_TENANT_ID])
    ).rows[0].n;
    return result;
  };
  const opts = {
    passwords: { owner: 'owner-password-1', manager: 'manager-password-1', cashier: 'cashier-password-1' },
    cashierPin: '246810',
  };

  it('seeds once: a second run writes nothing and returns the same ids and logins', async () => {
    const first = await seedDemo(db, opts);
    const after = await counts();
    const second = await seedDemo(db, { ...opts, passwords: { owner: 'x', manager: 'y', cashier: 'z' } });
    expect(second.created).toBe(false);
    expect({ ...second, created: true }).toEqual({ ...first, created: true });
    expect(await counts()).toEqual(after);

    expect(after).toMatchObject({
      tenants: 1,
      stores: 2,
      registers: 4,
      users: 3,
      user_stores: 2,
      tax_categories: 3,
      tax_category_rates: 3,
    });
    expect(after.products).toBeGreaterThanOrEqual(50);
    expect(after.product_barcodes).toBeGreaterThanOrEqual(45);
  });

  it('configures the demo tenant and its users as documented', async () => {
    const demo = await seedDemo(db, opts);
    const tenant = (await su.query('select * from tenants where id = $1', [demo.tenantId])).rows[0];
    expect(tenant).toMatchObject({
      name: 'ZakPOS Demo Market',
      currency: 'EUR',
      prices_include_tax: true,
      cash_rounding_increment: 5,
      weighted_barcode_prefixes: [
        { prefix: '21', kind: 'weight' },
        { prefix: '22', kind: 'price' },
      ],
    });
    const rates = (
      await su.query('select rate_bp from tax_category_rates where tenant_id = $1 order by rate_bp', [
        demo.tenantId,
      ])
    ).rows;
    expect(rates.map((r) => r.rate_bp)).toEqual([0, 550, 2000]);

    const registers = await su.query('select id, store_id from registers where tenant_id = $1', [
      demo.tenantId,
    ]);
    for (const r of registers.rows) expect(demo.storeIds).toContain(r.store_id);
    expect(new Set(registers.rows.map((r) => r.id))).toEqual(new Set(demo.registerIds));

    const users = await su.query(
      `select u.role, u.email, u.password_hash, u.pin_hash, array_remove(array_agg(s.store_id), null) as stores
         from users u left join user_stores s on s.tenant_id = u.tenant_id and s.user_id = u.id
        where u.tenant_id = $1 group by u.role, u.email, u.password_hash, u.pin_hash`,
      [demo.tenantId],
    );
    const byRole = Object.fromEntries(users.rows.map((u) => [u.role, u]));
    expect(byRole.owner.email).toBe('owner@demo.zakpos.test');
    expect(byRole.owner.stores).toEqual([]);
    expect(byRole.manager.stores).toEqual([demo.storeIds[0]]);
    expect(byRole.cashier.stores).toEqual([demo.storeIds[0]]);
    expect(await passwordHasher.verify(byRole.manager.password_hash, 'manager-password-1')).toBe(true);
    expect(await passwordHasher.verify(byRole.cashier.pin_hash, '246810')).toBe(true);
    const logins = await su.query(
      'select email, tenant_id from login_identities where tenant_id = $1 order by email',
      [demo.tenantId],
    );
    expect(logins.rows.map((r) => r.email)).toEqual([
      'cashier@demo.zakpos.test',
      'manager@demo.zakpos.test',
      'owner@demo.zakpos.test',
    ]);
  });

  it('gives every product a valid EAN-13, or a PLU when it is weighed', async () => {
    await seedDemo(db, opts);
    const barcodes = (
      await su.query('select code, symbology from product_barcodes where tenant_id = $1', [DEMO_TENANT_ID])
    ).rows;
    for (const b of barcodes)
      expect(checkBarcode(b.code, 'ean13'), b.code).toEqual({ ok: true, symbology: 'ean13' });
    const products = (
      await su.query(
        `select p.unit, p.plu, count(b.code)::int as barcodes from products p
           left join product_barcodes b on b.tenant_id = p.tenant_id and b.product_id = p.id
          where p.tenant_id = $1 group by p.tenant_id, p.id`,
        [DEMO_TENANT_ID],
      )
    ).rows;
    for (const p of products) {
      if (p.unit === 'kg') expect(p.plu).toMatch(/^[0-9]{5}$/);
      else expect(p.barcodes).toBe(1);
    }
    expect(products.filter((p) => p.unit === 'kg').length).toBeGreaterThanOrEqual(3);
  });

  it('serves the demo: the cashier logs in, searches, scans a packaged and a weighed product', async () => {
    await seedDemo(db, opts);
    const app = await createTestApp();
    try {
      const login = await checkedInject(app, {
        method: 'POST',
        url: '/auth/login',
        payload: { email: 'cashier@demo.zakpos.test', password: 'cashier-password-1' },
      });
      expect(login.statusCode).toBe(200);
      const headers = { authorization: `Bearer ${login.json().accessToken}` };
      const search = await checkedInject(app, { method: 'GET', url: '/products?q=milk', headers });
      expect(search.json().items.map((p: { name: string }) => p.name)).toEqual([
        'Semi-skimmed milk 1 L',
        'Whole milk 1 L',
      ]);
      const milk = search.json().items[0];
      const scanned = await checkedInject(app, {
        method: 'GET',
        url: `/barcodes/${milk.barcodes[0].code}`,
        headers,
      });
      expect(scanned.json()).toMatchObject({ product: { id: milk.id }, quantity: 1000, source: 'barcode' });
      const bananas = (
        await checkedInject(app, { method: 'GET', url: '/products?q=bananas', headers })
      ).json().items[0];
      const label = withCheckDigit(`21${bananas.plu}01250`); // 1.250 kg on the scale
      const weighed = await checkedInject(app, { method: 'GET', url: `/barcodes/${label}`, headers });
      expect(weighed.json()).toMatchObject({
        product: { id: bananas.id },
        quantity: 1250,
        source: 'weighted',
      });
    } finally {
      await app.close();
    }
  });

  it('trades for three days and today through the services, each record on its own day; the books hold', async () => {
    const demo = await seedDemo(db, opts);
    const app = await createTestApp();
    try {
      const now = new Date();
      const trading = await seedDemoTrading(app, demo, now);
      const q = async (text: string) => (await su.query(text, [DEMO_TENANT_ID])).rows;
      const days = await q(
        `select (created_at at time zone 'UTC')::date::text as day, count(*)::int as n from sales
          where tenant_id = $1 group by 1 order by 1`,
      );
      const day = (ago: number) => new Date(now.getTime() - ago * 86_400_000).toISOString().slice(0, 10);
      expect(days.map((d) => d.day)).toEqual([day(3), day(2), day(1), day(0)]);
      expect(days.map((d) => d.n)).toEqual([12, 12, 12, 3]);
      // Each sale's journal entry and stock movements carry the sale's own time.
      expect(
        await q(`select count(*)::int as n from sales s
                   join journal_entries e on e.tenant_id = s.tenant_id and e.source_type = 'sale' and e.source_id = s.id
                  where s.tenant_id = $1 and e.posted_at <> s.created_at`),
      ).toEqual([{ n: 0 }]);
      expect(
        await q(`select count(*)::int as n from sales s
                   join stock_movements m on m.tenant_id = s.tenant_id and m.reference_id = s.id
                  where s.tenant_id = $1 and m.created_at <> s.created_at`),
      ).toEqual([{ n: 0 }]);
      const z = await q(
        `select z.z_number::int as number, (z.created_at at time zone 'UTC')::date::text as day, z.report->'cash'->>'overShort' as over
           from z_reports z where z.tenant_id = $1 order by z.z_number`,
      );
      expect(z).toEqual([
        { number: 1, day: day(3), over: '0' },
        { number: 2, day: day(2), over: '-50' },
        { number: 3, day: day(1), over: '0' },
      ]);
      expect(trading.closedSessionIds).toHaveLength(3);
      expect(await q('select count(*)::int as n from refunds where tenant_id = $1')).toEqual([{ n: 1 }]);
      expect(
        await q(`select count(*)::int as n from cash_sessions where tenant_id = $1 and closed_at is null`),
      ).toEqual([{ n: 1 }]);

      const login = await checkedInject(app, {
        method: 'POST',
        url: '/auth/login',
        payload: { email: 'owner@demo.zakpos.test', password: 'owner-password-1' },
      });
      const headers = { authorization: `Bearer ${login.json().accessToken}` };
      const trial = await checkedInject(app, { method: 'GET', url: '/accounting/trial-balance', headers });
      expect(trial.json().totalDebit).toBe(trial.json().totalCredit);
      expect(trial.json().totalDebit).toBeGreaterThan(0);
      const check = await checkedInject(app, { method: 'GET', url: '/accounting/inventory-check', headers });
      expect(check.json().inventory.difference).toBe(0);
      const x = await checkedInject(app, {
        method: 'GET',
        url: `/cash-sessions/${trading.openSessionId}/x-report`,
        headers,
      });
      expect(x.json().sales.count).toBe(3);
    } finally {
      await app.close();
    }
  });
});
