import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { passwordHasher } from '../auth/password-hasher.js';
import { checkBarcode } from '../catalog/barcode.js';
import { withCheckDigit } from '../catalog/barcode.js';
import { Database } from '../db/database.js';
import { createTestApp } from '../test/test-app.js';
import { checkedInject } from '../test/contract-check.js';
import { DEMO_TENANT_ID, seedDemo } from './demo-seed.js';

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
});
