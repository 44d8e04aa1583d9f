import { sql } from 'kysely';
import type { Tx } from '../db/database.js';
import { type ProductRow, withBarcodes } from './product.repository.js';

/**
 * When a query word begins more distinct terms than this (a letter or two, a barcode prefix shared by
 * thousands), it matches so much that walking all products in name order finds a page fastest.
 */
const MAX_MERGED_TERMS = 50;

/** Where a page of products (ordered by name, then id) ended. */
export interface ProductCursor {
  name: string;
  id: string;
}

export interface ProductSearch {
  /** Folded query words; each must begin one of the product's terms. */
  words: readonly string[];
  active?: boolean | undefined;
  categoryId?: string | undefined;
  after?: ProductCursor | undefined;
  limit: number;
}

/** What the search index keeps of a product. */
export interface SearchableProduct {
  id: string;
  name: string;
  active: boolean;
  categoryId: string | null;
}

/** Rewrites a product's rows in the search index (see search-terms.ts); every product write calls it. */
export async function replaceSearchTerms(
  tx: Tx,
  tenantId: string,
  product: SearchableProduct,
  terms: readonly string[],
): Promise<void> {
  await tx
    .deleteFrom('product_search_terms')
    .where('tenant_id', '=', tenantId)
    .where('product_id', '=', product.id)
    .execute();
  if (terms.length) {
    await tx
      .insertInto('product_search_terms')
      .values(
        terms.map((term) => ({
          tenant_id: tenantId,
          product_id: product.id,
          term,
          name: product.name,
          active: product.active,
          category_id: product.categoryId,
        })),
      )
      .execute();
  }
}

/**
 * One page of products ordered by (name, id), after the cursor: keyset pagination, so a page costs the
 * same wherever it is and concurrent inserts cause neither duplicates nor gaps. Every condition uses
 * a leakproof operator (=, row comparison, starts_with), so PostgreSQL may serve it from an index under
 * row-level security.
 *
 * With query words, the longest one drives. Its prefix is expanded into the distinct terms it begins
 * ("sal" → salad, salmon, salted); the index holds each term's products in (name, id) order, so the
 * first page is merged from the first few entries of each term, whatever the size of the catalog and
 * wherever the matches fall in the alphabet. A prefix of more than MAX_MERGED_TERMS terms matches so
 * widely that walking the products in name order is quicker.
 */
export async function searchProducts(
  tx: Tx,
  tenantId: string,
  s: ProductSearch,
  maxMergedTerms = MAX_MERGED_TERMS,
): Promise<ProductRow[]> {
  if (s.words.length === 0) return walkInNameOrder(tx, tenantId, s);
  const driver = s.words.reduce((longest, w) => (w.length > longest.length ? w : longest));
  const terms = await termsStartingWith(tx, tenantId, driver, maxMergedTerms + 1);
  if (terms.length === 0) return [];
  if (terms.length > maxMergedTerms) return walkInNameOrder(tx, tenantId, s);
  return mergeTerms(
    tx,
    tenantId,
    s,
    terms,
    s.words.filter((w) => w !== driver),
  );
}

/** Up to `max` distinct terms beginning with `prefix`, skipping from one to the next in the index. */
async function termsStartingWith(tx: Tx, tenantId: string, prefix: string, max: number): Promise<string[]> {
  const result = await sql<{ term: string }>`
    with recursive d(term) as (
      (select term from product_search_terms
        where tenant_id = ${tenantId} and starts_with(term, ${prefix})
        order by term using ~<~ limit 1)
      union all
      select (select t.term from product_search_terms t
               where t.tenant_id = ${tenantId} and starts_with(t.term, ${prefix}) and t.term ~>~ d.term
               order by t.term using ~<~ limit 1)
        from d where d.term is not null
    )
    select term from d where term is not null limit ${max}`.execute(tx);
  return result.rows.map((r) => r.term);
}

/** Products with a term beginning with `word`. */
function productsMatching(word: string, tenantId: string) {
  return sql`(select product_id from product_search_terms
               where tenant_id = ${tenantId} and starts_with(term, ${word}))`;
}

/**
 * The page from each term's first `limit` matching entries, already in (name, id) order in the index:
 * any product of the page is among the first `limit` entries of each of its terms.
 */
async function mergeTerms(
  tx: Tx,
  tenantId: string,
  s: ProductSearch,
  terms: readonly string[],
  otherWords: readonly string[],
): Promise<ProductRow[]> {
  const conditions = [sql`t.tenant_id = ${tenantId}`, sql`t.term = d.term`];
  if (s.after) conditions.push(sql`(t.name, t.product_id) > (${s.after.name}, ${s.after.id}::uuid)`);
  if (s.active !== undefined) conditions.push(sql`t.active = ${s.active}`);
  if (s.categoryId !== undefined) conditions.push(sql`t.category_id = ${s.categoryId}::uuid`);
  for (const word of otherWords) conditions.push(sql`t.product_id in ${productsMatching(word, tenantId)}`);
  const result = await sql<ProductRow>`
    select p.*,
           (select coalesce(json_agg(b order by b.code), '[]')
              from (select code, symbology from product_barcodes
                     where tenant_id = p.tenant_id and product_id = p.id) b) as barcodes
      from (select distinct m.name, m.product_id
              from unnest(${terms}::text[]) as d(term)
             cross join lateral (
                   select t.name, t.product_id from product_search_terms t
                    where ${sql.join(conditions, sql` and `)}
                    order by t.name, t.product_id
                    limit ${s.limit}) m
             order by m.name, m.product_id
             limit ${s.limit}) page
      join products p on p.tenant_id = ${tenantId} and p.id = page.product_id
     order by page.name, page.product_id`.execute(tx);
  return result.rows;
}

function walkInNameOrder(tx: Tx, tenantId: string, s: ProductSearch): Promise<ProductRow[]> {
  let query = withBarcodes(tx, tenantId);
  if (s.active !== undefined) query = query.where('p.active', '=', s.active);
  if (s.categoryId !== undefined) query = query.where('p.category_id', '=', s.categoryId);
  if (s.after) {
    const { name, id } = s.after;
    query = query.where((eb) => eb(eb.refTuple('p.name', 'p.id'), '>', eb.tuple(name, id)));
  }
  for (const word of s.words) {
    query = query.where(sql<boolean>`p.id in ${productsMatching(word, tenantId)}`);
  }
  return query.orderBy('p.name').orderBy('p.id').limit(s.limit).execute();
}
