-- Customers of a tenant: the minimum a sale names. Tenant-wide (not bound to a store): a customer buys in
-- any of the tenant's stores. Loyalty attaches later as its own tables keyed by (tenant_id, customer_id)
-- with a foreign key to customers (an account, a points ledger), so nothing here changes for it.
--
-- email is citext: unique per tenant whatever its case. phone is stored normalised by the contract
-- (digits with an optional leading +, separators removed), so "+49 151 2345-678" and "+491512345678" are
-- one number; the check below keeps any other writer to that form.
create table customers (
  tenant_id uuid not null references tenants (id),
  id uuid not null,
  name text not null check (length(name) between 1 and 200),
  phone text check (phone ~ '^\+?[0-9]{4,20}$'),
  email citext check (length(email) between 3 and 254),
  note text check (length(note) between 1 and 1000),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  constraint customers_email_key unique (tenant_id, email),
  constraint customers_phone_key unique (tenant_id, phone)
);
-- Keyset pagination order (name, id).
create index customers_name_order on customers (tenant_id, name, id);

-- What GET /customers?q= searches, as product_search_terms does for products (see 0002_catalog.sql): the
-- folded words of the name, the email, and the phone's digits (see customers/customer-search-terms.ts),
-- rewritten on every customer write. starts_with() is LEAKPROOF, so this text_pattern_ops index serves a
-- prefix under row-level security; LIKE/ILIKE and pg_trgm would never use an index for the app role.
create table customer_search_terms (
  tenant_id uuid not null,
  customer_id uuid not null,
  term text not null check (length(term) between 1 and 80),
  primary key (tenant_id, customer_id, term),
  foreign key (tenant_id, customer_id) references customers (tenant_id, id) on delete cascade
);
create index customer_search_terms_prefix
  on customer_search_terms (tenant_id, term text_pattern_ops, customer_id);

select app_isolate_tenant_tables('customers', 'customer_search_terms');

-- No delete on customers: a sale will reference them. The terms are rewritten, so they are deleted too.
grant select, insert, update on customers to zakpos_app;
grant select, insert, delete on customer_search_terms to zakpos_app;
