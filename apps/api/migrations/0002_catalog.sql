-- Catalog: tax categories and their rates, product categories, products, their barcodes and their
-- search terms. Every index starts with tenant_id, so one tenant's 100,000 products are searched alone.

create table tax_categories (
  tenant_id uuid not null references tenants (id),
  id uuid not null,
  name text not null check (length(name) between 1 and 120),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  constraint tax_categories_name_key unique (tenant_id, name)
);

-- A category may carry several rates (e.g. 5 % GST + 9.975 % QST), each in basis points.
create table tax_category_rates (
  tenant_id uuid not null,
  tax_category_id uuid not null,
  position smallint not null check (position between 0 and 9),
  name text not null check (length(name) between 1 and 60),
  rate_bp integer not null check (rate_bp between 0 and 100000),
  primary key (tenant_id, tax_category_id, position),
  foreign key (tenant_id, tax_category_id) references tax_categories (tenant_id, id) on delete cascade
);

create table categories (
  tenant_id uuid not null references tenants (id),
  id uuid not null,
  name text not null check (length(name) between 1 and 120),
  parent_id uuid,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  constraint categories_name_key unique (tenant_id, name),
  foreign key (tenant_id, parent_id) references categories (tenant_id, id)
);
create index categories_parent on categories (tenant_id, parent_id);

create table products (
  tenant_id uuid not null references tenants (id),
  id uuid not null,
  sku text not null check (sku ~ '^[A-Za-z0-9._/-]{1,64}$'),
  name text not null check (length(name) between 1 and 200),
  price bigint not null check (price between 0 and 9007199254740991),
  cost bigint not null default 0 check (cost between 0 and 9007199254740991),
  tax_category_id uuid not null,
  category_id uuid,
  unit text not null default 'each' check (unit in ('each', 'kg')),
  -- Item code carried by weighted EAN-13 labels (5 digits), when the product is sold by such labels.
  plu text check (plu ~ '^[0-9]{5}$'),
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  constraint products_sku_key unique (tenant_id, sku),
  constraint products_plu_key unique (tenant_id, plu),
  foreign key (tenant_id, tax_category_id) references tax_categories (tenant_id, id),
  foreign key (tenant_id, category_id) references categories (tenant_id, id)
);
-- Keyset pagination order (name, id), optionally within a category.
create index products_name_order on products (tenant_id, name, id);
create index products_category_name_order on products (tenant_id, category_id, name, id);
create index products_tax_category on products (tenant_id, tax_category_id);

create table product_barcodes (
  tenant_id uuid not null,
  code text not null check (length(code) between 1 and 80),
  product_id uuid not null,
  symbology text not null check (symbology in ('ean13', 'ean8', 'upca', 'code128')),
  constraint product_barcodes_pkey primary key (tenant_id, code),
  foreign key (tenant_id, product_id) references products (tenant_id, id) on delete cascade
);
create index product_barcodes_product on product_barcodes (tenant_id, product_id);

-- What GET /products?q= searches: the folded words of each product's name, its SKU and its barcodes
-- (rewritten by the catalog service on every product write, see catalog/search-terms.ts), with copies
-- of the product's sort key and filters. A query word matches the terms it begins, with starts_with():
-- it is LEAKPROOF, so the planner may use this index under row-level security. LIKE, ILIKE and the
-- pg_trgm and full-text operators are not leakproof, and their indexes are never used for a role that
-- RLS applies to. text_pattern_ops makes prefix scans independent of the collation; within one term
-- the index keeps products in (name, id) order, so a page is read from the index alone.
create table product_search_terms (
  tenant_id uuid not null,
  product_id uuid not null,
  term text not null check (length(term) between 1 and 80),
  name text not null,
  active boolean not null,
  category_id uuid,
  primary key (tenant_id, product_id, term),
  foreign key (tenant_id, product_id) references products (tenant_id, id) on delete cascade
);
create index product_search_terms_lookup
  on product_search_terms (tenant_id, term text_pattern_ops, name, product_id) include (active, category_id);

select app_isolate_tenant_tables('tax_categories', 'tax_category_rates', 'categories', 'products', 'product_barcodes', 'product_search_terms');

grant select, insert, update, delete
  on tax_categories, tax_category_rates, categories, products, product_barcodes, product_search_terms to zakpos_app;
