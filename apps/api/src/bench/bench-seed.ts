import pg from 'pg';
import { ADJECTIVES, BRANDS, NOUNS, SIZES } from './bench-data.js';

/**
 * Bulk-loads one tenant with `count` products (one EAN-13 each) straight in SQL, as the owner role
 * under the tenant's row-level-security context, then vacuums and analyzes like autovacuum would.
 */
export async function seedBenchTenant(
  ownerUrl: string,
  count: number,
  user: { email: string; passwordHash: string },
) {
  const client = new pg.Client({ connectionString: ownerUrl, application_name: 'zakpos-bench-seed' });
  await client.connect();
  try {
    const tenantId = (await client.query<{ id: string }>('select gen_random_uuid() as id')).rows[0]!.id;
    await client.query(`select set_config('app.tenant_id', $1, false)`, [tenantId]);
    await client.query(`
      create function pg_temp.ean13(body text) returns text language sql immutable as $$
        select body || ((10 - sum(substr(body, 13 - i, 1)::int * case when i % 2 = 1 then 3 else 1 end) % 10) % 10)::text
        from generate_series(1, 12) as i
      $$`);
    await client.query('begin');
    await client.query(
      `insert into tenants (id, name, currency, weighted_barcode_prefixes)
       values ($1, 'Bench Market', 'EUR', '[{"prefix":"21","kind":"weight"},{"prefix":"22","kind":"price"}]')`,
      [tenantId],
    );
    const storeId = (await client.query<{ id: string }>('select gen_random_uuid() as id')).rows[0]!.id;
    await client.query(
      `insert into stores (tenant_id, id, code, name) values ($1, $2, 'BENCH', 'Bench store')`,
      [tenantId, storeId],
    );
    const userId = (await client.query<{ id: string }>('select gen_random_uuid() as id')).rows[0]!.id;
    await client.query(
      `insert into users (tenant_id, id, email, name, role, password_hash) values ($1, $2, $3, 'Bench cashier', 'cashier', $4)`,
      [tenantId, userId, user.email, user.passwordHash],
    );
    await client.query('select auth_claim_email($1, $2)', [user.email, userId]);
    await client.query('insert into user_stores (tenant_id, user_id, store_id) values ($1, $2, $3)', [
      tenantId,
      userId,
      storeId,
    ]);
    const taxId = (await client.query<{ id: string }>('select gen_random_uuid() as id')).rows[0]!.id;
    await client.query(`insert into tax_categories (tenant_id, id, name) values ($1, $2, 'Standard')`, [
      tenantId,
      taxId,
    ]);
    await client.query(
      `insert into tax_category_rates (tenant_id, tax_category_id, position, name, rate_bp) values ($1, $2, 0, 'VAT', 2000)`,
      [tenantId, taxId],
    );
    await client.query(
      `insert into categories (tenant_id, id, name) select $1, gen_random_uuid(), 'Category ' || g from generate_series(1, 20) g`,
      [tenantId],
    );
    // Product g: brand, adjective, noun and size cycle at different rates, so names repeat rarely.
    await client.query(
      `with cats as (select array_agg(id order by name) as ids from categories where tenant_id = $1)
       insert into products (tenant_id, id, sku, name, price, cost, tax_category_id, category_id)
       select $1, gen_random_uuid(), 'BN-' || lpad(g::text, 7, '0'),
              ($3::text[])[1 + g % cardinality($3::text[])] || ' ' ||
              ($4::text[])[1 + (g / 7) % cardinality($4::text[])] || ' ' ||
              ($5::text[])[1 + (g / 3) % cardinality($5::text[])] || ' ' ||
              ($6::text[])[1 + (g / 11) % cardinality($6::text[])],
              50 + (g * 37) % 5000, 20 + (g * 17) % 2500, $2, cats.ids[1 + g % 20]
         from generate_series(1, $7::int) g, cats`,
      [tenantId, taxId, BRANDS, ADJECTIVES, NOUNS, SIZES, count],
    );
    await client.query(
      `insert into product_barcodes (tenant_id, code, product_id, symbology)
       select $1, pg_temp.ean13('40' || lpad(substr(p.sku, 4)::int::text, 10, '0')), p.id, 'ean13'
         from products p where p.tenant_id = $1`,
      [tenantId],
    );
    // The same terms catalog/search-terms.ts derives (the names here are plain ASCII, so lower() folds them).
    await client.query(
      `insert into product_search_terms (tenant_id, product_id, term, name, active, category_id)
       select distinct $1::uuid, p.id, t.term, p.name, p.active, p.category_id
         from products p
         cross join lateral (
           select regexp_split_to_table(lower(p.name), '\\s+') as term
           union select regexp_split_to_table(lower(p.name), '[^a-z0-9]+')
           union select lower(p.sku)
           union select b.code from product_barcodes b where b.tenant_id = p.tenant_id and b.product_id = p.id
         ) t
        where p.tenant_id = $1 and t.term <> ''`,
      [tenantId],
    );
    await client.query('commit');
    await client.query(
      'vacuum (analyze) products, product_barcodes, product_search_terms, categories, tax_categories',
    );
    return { tenantId };
  } finally {
    await client.end();
  }
}
