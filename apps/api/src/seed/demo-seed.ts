import { randomUUID } from 'node:crypto';
import { createChartOfAccounts } from '../accounting/chart-of-accounts.js';
import { passwordHasher } from '../auth/password-hasher.js';
import { productTerms } from '../catalog/search-terms.js';
import type { Database, Tx } from '../db/database.js';
import { DEMO_CATEGORIES, DEMO_PRODUCTS, DEMO_TAX_CATEGORIES, type DemoTax } from './demo-catalog.js';

/** Fixed ids: the demo tenant is recognised by its id, and its stores, tills and users are stable. */
const demoId = (n: number) => `d3e40000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

export const DEMO_TENANT_ID = demoId(1);
export const DEMO_TENANT_NAME = 'ZakPOS Demo Market';
const STORE_IDS = [demoId(0x101), demoId(0x102)] as const;
const REGISTER_IDS = [demoId(0x201), demoId(0x202), demoId(0x203), demoId(0x204)] as const;
const USERS = {
  owner: { id: demoId(0x301), email: 'owner@demo.zakpos.test', name: 'Camille Martin' },
  manager: { id: demoId(0x302), email: 'manager@demo.zakpos.test', name: 'Lucas Bernard' },
  cashier: { id: demoId(0x303), email: 'cashier@demo.zakpos.test', name: 'Emma Petit' },
} as const;

type DemoRole = keyof typeof USERS;

export interface DemoSeedOptions {
  passwords: Record<DemoRole, string>;
  cashierPin: string;
}

export interface DemoSeedResult {
  /** False when the demo tenant already existed and nothing was written. */
  created: boolean;
  tenantId: string;
  tenantName: string;
  /** Store 1 first; the manager and the cashier work in store 1. */
  storeIds: string[];
  /** Two tills per store: [store 1 till 1, store 1 till 2, store 2 till 1, store 2 till 2]. */
  registerIds: string[];
  logins: Record<DemoRole, { userId: string; email: string }>;
}

/**
 * Seeds the demo tenant of the embedded default once: skipped when the tenant already exists.
 * Everything is written in one transaction, so a failed seed leaves nothing behind.
 */
export async function seedDemo(db: Database, opts: DemoSeedOptions): Promise<DemoSeedResult> {
  const created = await db.tenant({ tenantId: DEMO_TENANT_ID }, async (tx) => {
    const existing = await tx
      .selectFrom('tenants')
      .select('id')
      .where('id', '=', DEMO_TENANT_ID)
      .executeTakeFirst();
    if (existing) return false;
    await seedTenant(tx);
    await seedUsers(tx, opts);
    await seedCatalog(tx);
    return true;
  });
  return {
    created,
    tenantId: DEMO_TENANT_ID,
    tenantName: DEMO_TENANT_NAME,
    storeIds: [...STORE_IDS],
    registerIds: [...REGISTER_IDS],
    logins: {
      owner: { userId: USERS.owner.id, email: USERS.owner.email },
      manager: { userId: USERS.manager.id, email: USERS.manager.email },
      cashier: { userId: USERS.cashier.id, email: USERS.cashier.email },
    },
  };
}

async function seedTenant(tx: Tx): Promise<void> {
  const tenant_id = DEMO_TENANT_ID;
  await tx
    .insertInto('tenants')
    .values({
      id: tenant_id,
      name: DEMO_TENANT_NAME,
      currency: 'EUR',
      locale: 'fr-FR',
      prices_include_tax: true,
      cash_rounding_increment: 5,
      weighted_barcode_prefixes: JSON.stringify([
        { prefix: '21', kind: 'weight' },
        { prefix: '22', kind: 'price' },
      ]),
    })
    .execute();
  await createChartOfAccounts(tx, { tenantId: tenant_id });
  await tx
    .insertInto('stores')
    .values([
      {
        tenant_id,
        id: STORE_IDS[0],
        code: 'CENTRE',
        name: 'Demo Market Centre',
        time_zone: 'Europe/Paris',
        address: '12 rue du Marché, 69001 Lyon',
      },
      {
        tenant_id,
        id: STORE_IDS[1],
        code: 'GARE',
        name: 'Demo Market Gare',
        time_zone: 'Europe/Paris',
        address: '3 place de la Gare, 69002 Lyon',
      },
    ])
    .execute();
  await tx
    .insertInto('registers')
    .values(
      REGISTER_IDS.map((id, i) => ({
        tenant_id,
        id,
        store_id: STORE_IDS[Math.floor(i / 2)]!,
        name: `Till ${(i % 2) + 1}`,
      })),
    )
    .execute();
}

async function seedUsers(tx: Tx, opts: DemoSeedOptions): Promise<void> {
  const tenant_id = DEMO_TENANT_ID;
  const pinHash = await passwordHasher.hash(opts.cashierPin);
  for (const role of ['owner', 'manager', 'cashier'] as const) {
    const u = USERS[role];
    await tx
      .insertInto('users')
      .values({
        tenant_id,
        id: u.id,
        email: u.email,
        name: u.name,
        role,
        password_hash: await passwordHasher.hash(opts.passwords[role]),
        pin_hash: role === 'cashier' ? pinHash : null,
      })
      .execute();
    await tx
      .selectNoFrom((eb) => eb.fn('auth_claim_email', [eb.val(u.email), eb.val(u.id)]).as('ok'))
      .execute();
    if (role !== 'owner')
      await tx
        .insertInto('user_stores')
        .values({ tenant_id, user_id: u.id, store_id: STORE_IDS[0] })
        .execute();
  }
}

async function seedCatalog(tx: Tx): Promise<void> {
  const tenant_id = DEMO_TENANT_ID;
  const taxIds = {} as Record<DemoTax, string>;
  for (const [key, tax] of Object.entries(DEMO_TAX_CATEGORIES) as [
    DemoTax,
    (typeof DEMO_TAX_CATEGORIES)[DemoTax],
  ][]) {
    taxIds[key] = randomUUID();
    await tx.insertInto('tax_categories').values({ tenant_id, id: taxIds[key], name: tax.name }).execute();
    await tx
      .insertInto('tax_category_rates')
      .values(
        tax.rates.map((r, position) => ({
          tenant_id,
          tax_category_id: taxIds[key],
          position,
          name: r.name,
          rate_bp: r.rateBp,
        })),
      )
      .execute();
  }
  const categoryIds = new Map(DEMO_CATEGORIES.map((name) => [name, randomUUID()]));
  await tx
    .insertInto('categories')
    .values([...categoryIds].map(([name, id]) => ({ tenant_id, id, name, parent_id: null })))
    .execute();

  const products = DEMO_PRODUCTS.map((p) => ({ ...p, id: randomUUID() }));
  await tx
    .insertInto('products')
    .values(
      products.map((p) => ({
        tenant_id,
        id: p.id,
        sku: p.sku,
        name: p.name,
        price: p.price,
        cost: p.cost,
        tax_category_id: taxIds[p.tax],
        category_id: categoryIds.get(p.category)!,
        unit: p.unit,
        plu: p.plu ?? null,
      })),
    )
    .execute();
  const barcodes = (p: (typeof products)[number]) =>
    p.ean13 ? [{ code: p.ean13, symbology: 'ean13' as const }] : [];
  await tx
    .insertInto('product_barcodes')
    .values(products.flatMap((p) => barcodes(p).map((b) => ({ tenant_id, product_id: p.id, ...b }))))
    .execute();
  await tx
    .insertInto('product_search_terms')
    .values(
      products.flatMap((p) =>
        productTerms({ name: p.name, sku: p.sku, barcodes: barcodes(p) }).map((term) => ({
          tenant_id,
          product_id: p.id,
          term,
          name: p.name,
          active: true,
          category_id: categoryIds.get(p.category)!,
        })),
      ),
    )
    .execute();
}
