import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../db/database.js';
import { createTenant, type TestTenant } from '../test/fixtures.js';
import { createTestApp } from '../test/test-app.js';
import { checkedInject } from '../test/contract-check.js';
import { withCheckDigit } from './barcode.js';
import { searchProducts } from './product-search.repository.js';
import { queryWords } from './search-terms.js';

interface Item {
  id: string;
  sku: string;
  name: string;
}

describe('GET /products: search and cursor pagination', () => {
  let app: NestFastifyApplication;
  let t: TestTenant;
  let categoryId: string;
  let other: TestTenant;
  const names = [
    'Apple juice',
    'apple pie',
    'Banana bread',
    'Chocolate milk',
    'Milk chocolate',
    'Oat milk',
    'Skimmed MILK',
    'Pineapple slices',
    '100% orange juice',
    'Snap_peas',
    'Zucchini',
    'Crème fraîche',
  ];

  beforeAll(async () => {
    app = await createTestApp();
    t = await createTenant(app);
    other = await createTenant(app);
    const post = (tt: TestTenant, url: string, payload: object) =>
      checkedInject(app, { method: 'POST', url, headers: tt.owner.headers, payload });
    const tax = (await post(t, '/tax-categories', { name: 'S', rates: [{ name: 'S', rateBp: 2000 }] })).json()
      .id;
    categoryId = (await post(t, '/categories', { name: 'Drinks' })).json().id;
    // 61 products: the named ones, then "Item 00..49" sharing two names per pair so ties on name are broken by id.
    const bodies = [
      ...names.map((name, i) => ({
        sku: `NAMED-${i}`,
        name,
        barcodes: [{ code: withCheckDigit(`40000000${String(i).padStart(4, '0')}`) }],
      })),
      ...Array.from({ length: 49 }, (_, i) => ({
        sku: `ITEM-${String(i).padStart(2, '0')}`,
        name: `Item ${String(Math.floor(i / 2)).padStart(2, '0')}`,
        barcodes: [{ code: withCheckDigit(`50000000${String(i).padStart(4, '0')}`) }],
      })),
    ];
    for (const [i, b] of bodies.entries()) {
      const res = await post(t, '/products', {
        ...b,
        price: 100 + i,
        taxCategoryId: tax,
        categoryId: /juice|milk/i.test(b.name) ? categoryId : null,
        active: b.sku !== 'NAMED-1',
      });
      expect(res.statusCode).toBe(201);
    }
    const otherTax = (
      await post(other, '/tax-categories', { name: 'S', rates: [{ name: 'S', rateBp: 2000 }] })
    ).json().id;
    await post(other, '/products', { sku: 'THEIRS', name: 'Apple cider', price: 1, taxCategoryId: otherTax });
  });
  afterAll(() => app.close());

  const list = async (query: string, who: TestTenant = t) => {
    const res = await checkedInject(app, {
      method: 'GET',
      url: `/products?${query}`,
      headers: who.cashier.headers,
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { items: Item[]; nextCursor: string | null };
  };
  const namesOf = (r: { items: Item[] }) => r.items.map((i) => i.name);

  /** Every page of a query, following nextCursor. */
  const pageThrough = async (query: string, limit: number) => {
    const seen: Item[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { items: Item[]; nextCursor: string | null } = await list(
        `${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.items.length).toBeLessThanOrEqual(limit);
      seen.push(...page.items);
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 100);
    return { seen, pages };
  };

  it('pages through every product once, in (name, id) order, at any page size', async () => {
    const all = await list('limit=200');
    expect(all.items).toHaveLength(61);
    expect(all.nextCursor).toBeNull();
    const sorted = [...all.items].sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
    );
    expect(all.items.map((i) => i.id)).toEqual(sorted.map((i) => i.id));
    for (const limit of [1, 7, 10, 60, 61]) {
      const { seen, pages } = await pageThrough('', limit);
      expect(seen.map((i) => i.id)).toEqual(all.items.map((i) => i.id));
      expect(new Set(seen.map((i) => i.id)).size).toBe(61);
      expect(pages).toBe(Math.ceil(61 / limit));
    }
  });

  it('keeps paging correct while products are added behind and ahead of the cursor', async () => {
    const own = await createTenant(app);
    const post = (payload: object) =>
      checkedInject(app, { method: 'POST', url: '/products', headers: own.owner.headers, payload });
    const tax = (
      await checkedInject(app, {
        method: 'POST',
        url: '/tax-categories',
        headers: own.owner.headers,
        payload: { name: 'S', rates: [{ name: 'S', rateBp: 2000 }] },
      })
    ).json().id;
    for (let i = 0; i < 20; i++) {
      expect(
        (
          await post({
            sku: `I-${i}`,
            name: `Item ${String(i).padStart(2, '0')}`,
            price: 1,
            taxCategoryId: tax,
          })
        ).statusCode,
      ).toBe(201);
    }
    const first = await list('q=item&limit=5', own);
    expect(namesOf(first)).toEqual(['Item 00', 'Item 01', 'Item 02', 'Item 03', 'Item 04']);
    // "Item 00 a" sorts inside the first page (behind the cursor); "Item 99" after everything.
    expect((await post({ sku: 'LATE-1', name: 'Item 00 a', price: 1, taxCategoryId: tax })).statusCode).toBe(
      201,
    );
    expect((await post({ sku: 'LATE-2', name: 'Item 99', price: 1, taxCategoryId: tax })).statusCode).toBe(
      201,
    );
    const rest: Item[] = [];
    let cursor = first.nextCursor;
    while (cursor) {
      const page = await list(`q=item&limit=5&cursor=${cursor}`, own);
      rest.push(...page.items);
      cursor = page.nextCursor;
    }
    const seen = [...namesOf(first), ...rest.map((i) => i.name)];
    expect(seen).toEqual([
      ...Array.from({ length: 20 }, (_, i) => `Item ${String(i).padStart(2, '0')}`),
      'Item 99',
    ]);
  });

  it('matches words that begin a word of the name, in any order, ignoring case and accents', async () => {
    expect(namesOf(await list('q=milk'))).toEqual([
      'Chocolate milk',
      'Milk chocolate',
      'Oat milk',
      'Skimmed MILK',
    ]);
    expect(namesOf(await list('q=APPLE'))).toEqual(['Apple juice', 'apple pie']);
    expect(namesOf(await list('q=%20choc%20%20mil%20'))).toEqual(['Chocolate milk', 'Milk chocolate']);
    expect(namesOf(await list('q=milk%20oat'))).toEqual(['Oat milk']);
    expect(namesOf(await list('q=ZUCCHINI'))).toEqual(['Zucchini']);
    expect(namesOf(await list('q=zucchini%20bread'))).toEqual([]);
    expect(namesOf(await list('q=ilk'))).toEqual([]); // not the start of a word
    expect(namesOf(await list('q=cr%C3%A8me'))).toEqual(['Crème fraîche']);
    expect(namesOf(await list('q=FRAICHE'))).toEqual(['Crème fraîche']);
  });

  it('takes punctuation and LIKE wildcards in q literally', async () => {
    expect(namesOf(await list('q=%25'))).toEqual([]);
    expect(namesOf(await list('q=100%25'))).toEqual(['100% orange juice']);
    expect(namesOf(await list('q=_'))).toEqual([]);
    expect(namesOf(await list('q=snap_'))).toEqual(['Snap_peas']);
    expect(namesOf(await list('q=peas'))).toEqual(['Snap_peas']);
    expect(namesOf(await list('q=p_e'))).toEqual([]);
  });

  it('follows renames, SKU, barcode and category changes and deactivation', async () => {
    const own = await createTenant(app);
    const send = (method: 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
      checkedInject(app, { method, url, headers: own.owner.headers, ...(payload ? { payload } : {}) });
    const tax = (
      await send('POST', '/tax-categories', { name: 'S', rates: [{ name: 'S', rateBp: 2000 }] })
    ).json().id;
    const p = (
      await send('POST', '/products', { sku: 'OLD-1', name: 'Old name', price: 1, taxCategoryId: tax })
    ).json();
    const found = async (q: string) => (await list(`q=${q}`, own)).items.map((i) => i.id);
    expect(await found('old')).toEqual([p.id]);
    await send('PATCH', `/products/${p.id}`, { name: 'Fresh name', sku: 'NEW-1' });
    expect(await found('old')).toEqual([]);
    expect(await found('fresh')).toEqual([p.id]);
    expect(await found('new-')).toEqual([p.id]);
    await send('POST', `/products/${p.id}/barcodes`, { code: '96385074' });
    expect(await found('9638')).toEqual([p.id]);
    await send('PATCH', `/products/${p.id}`, { barcodes: [{ code: '4006381333931' }] });
    expect(await found('9638')).toEqual([]);
    expect(await found('4006')).toEqual([p.id]);
    await send('DELETE', `/products/${p.id}/barcodes/4006381333931`);
    expect(await found('4006')).toEqual([]);
    const category = (await send('POST', '/categories', { name: 'Fresh things' })).json().id;
    await send('PATCH', `/products/${p.id}`, { categoryId: category });
    expect(await found(`fresh&categoryId=${category}`)).toEqual([p.id]);
    expect(await found('fresh&active=true')).toEqual([p.id]);
    await send('DELETE', `/products/${p.id}`);
    expect(await found('fresh&active=true')).toEqual([]);
    expect(await found('fresh&active=false')).toEqual([p.id]);
  });

  it('matches a SKU prefix and a barcode prefix', async () => {
    expect((await list('q=NAMED-1')).items.map((i) => i.sku).sort()).toEqual([
      'NAMED-1',
      'NAMED-10',
      'NAMED-11',
    ]);
    expect((await list('q=item-4')).items.map((i) => i.sku).sort()).toEqual(
      Array.from({ length: 9 }, (_, i) => `ITEM-4${i}`),
    );
    expect(namesOf(await list(`q=${withCheckDigit('400000000003')}`))).toEqual(['Chocolate milk']);
    expect((await list('q=50000000004')).items).toHaveLength(9); // 5000000000400..5000000000489 → ITEM-40..48
    expect((await list('q=5000&limit=200')).items).toHaveLength(49);
    expect((await list('q=AMED-1')).items).toEqual([]); // SKUs match by prefix only
  });

  it('filters by active flag and category, and pages through a search', async () => {
    expect(namesOf(await list('q=apple&active=true'))).toEqual(['Apple juice']);
    expect(namesOf(await list('q=apple&active=false'))).toEqual(['apple pie']);
    expect(namesOf(await list(`categoryId=${categoryId}&limit=200`))).toEqual([
      '100% orange juice',
      'Apple juice',
      'Chocolate milk',
      'Milk chocolate',
      'Oat milk',
      'Skimmed MILK',
    ]);
    const { seen } = await pageThrough(`q=milk&categoryId=${categoryId}`, 3);
    expect(seen.map((i) => i.name)).toEqual(['Chocolate milk', 'Milk chocolate', 'Oat milk', 'Skimmed MILK']);
    expect((await list(`categoryId=${randomUUID()}`)).items).toEqual([]);
  });

  it("never shows another tenant's products", async () => {
    expect(namesOf(await list('q=cider'))).toEqual([]);
    expect(namesOf(await list('q=apple', other))).toEqual(['Apple cider']);
  });

  it.each([
    ['a garbage cursor', 'cursor=garbage!', 'cursor'],
    [
      'a cursor that is not one of ours',
      `cursor=${Buffer.from('["x","y"]').toString('base64url')}`,
      'cursor',
    ],
    ['a limit of 0', 'limit=0', 'limit'],
    ['a limit above 200', 'limit=201', 'limit'],
    ['a non-numeric limit', 'limit=ten', 'limit'],
    ['an over-long q', `q=${'x'.repeat(101)}`, 'q'],
    ['a bad active flag', 'active=maybe', 'active'],
    ['a bad categoryId', 'categoryId=nope', 'categoryId'],
    ['an unknown parameter', 'sort=price', 'sort'],
  ])('refuses %s with a 400 naming %s', async (_, query, field) => {
    const res = await checkedInject(app, {
      method: 'GET',
      url: `/products?${query}`,
      headers: t.cashier.headers,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields).toHaveProperty([field]);
  });

  it('gives the same pages whether it walks products in name order or merges the terms of the longest word', async () => {
    const db = app.get(Database);
    const pages = (q: string, filters: { active?: boolean; categoryId?: string }, maxMergedTerms: number) =>
      db.tenant({ tenantId: t.tenantId }, async (tx) => {
        const ids: string[][] = [];
        let after: { name: string; id: string } | undefined;
        for (;;) {
          const rows = await searchProducts(
            tx,
            t.tenantId,
            { words: queryWords(q), ...filters, after, limit: 4 },
            maxMergedTerms,
          );
          if (rows.length === 0) return ids;
          ids.push(rows.map((r) => r.id));
          after = { name: rows.at(-1)!.name, id: rows.at(-1)!.id };
        }
      });
    for (const [q, filters] of [
      ['item', {}],
      ['i', {}],
      ['milk', { categoryId }],
      ['apple', { active: true }],
      ['choc mil', {}],
      ['5000 item', {}],
      ['nothing-like-this', {}],
    ] as const) {
      const walked = await pages(q, filters, 0); // every prefix counts as too wide to merge
      const merged = await pages(q, filters, 1_000_000);
      expect(merged, q).toEqual(walked);
    }
    expect((await pages('item', {}, 0)).flat()).toHaveLength(49);
  });

  it('orders by name under the database collation and breaks ties by id', async () => {
    const db = app.get(Database);
    const expected = await db.tenant({ tenantId: t.tenantId }, (tx) =>
      tx
        .selectFrom('products')
        .select('id')
        .where('tenant_id', '=', t.tenantId)
        .orderBy('name')
        .orderBy('id')
        .execute(),
    );
    const { seen } = await pageThrough('', 13);
    expect(seen.map((i) => i.id)).toEqual(expected.map((r) => r.id));
  });
  it('pages past products with the longest names the contract allows', async () => {
    const own = await createTenant(app);
    const send = (url: string, payload: object) =>
      checkedInject(app, { method: 'POST', url, headers: own.owner.headers, payload });
    const tax = (await send('/tax-categories', { name: 'S', rates: [{ name: 'S', rateBp: 2000 }] })).json()
      .id;
    // 200 characters that JSON writes longest (a control character is six bytes: \u0001) and of three bytes.
    const longest = ['\u0001'.repeat(199) + 'a', '€'.repeat(199) + 'b', '\u0001'.repeat(199) + 'c'];
    for (const [i, name] of longest.entries())
      expect(
        (await send('/products', { sku: `LONG-${i}`, name, price: 1, taxCategoryId: tax })).statusCode,
      ).toBe(201);
    const first = await list('limit=1', own);
    expect(first.nextCursor).not.toBeNull();
    const second = await list(`limit=1&cursor=${first.nextCursor}`, own);
    const third = await list(`limit=1&cursor=${second.nextCursor}`, own);
    expect([...first.items, ...second.items, ...third.items].map((i) => i.sku).sort()).toEqual([
      'LONG-0',
      'LONG-1',
      'LONG-2',
    ]);
  });
});
