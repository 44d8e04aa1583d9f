-- Sales: what a checkout records, once, in one transaction (sales/checkout.service.ts). Everything a
-- receipt, a refund or a report needs is stored as it was at the moment of sale (names, prices, taxes,
-- costs), so a later catalog change never rewrites history. Amounts are bigint minor units of the
-- tenant's currency, quantities thousandths (as the stock ledger counts).
--
-- Exactly once: the sale id is minted by the register and is the primary key, so a second insert of the
-- same id is a unique violation whatever the timing; request_hash tells a retry (same body) from a
-- different request reusing the id.

-- Tenders beyond cash and card that a tenant defines (vouchers, gift cards, bank transfer...). Each has its
-- own clearing account: accounts(purpose 'other_tender_clearing', tender_key = code).
create table payment_methods (
  tenant_id uuid not null references tenants (id),
  id uuid not null,
  code text not null check (code ~ '^[a-z0-9][a-z0-9_-]{0,39}$'),
  name text not null check (length(name) between 1 and 60),
  active boolean not null default true,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, code)
);

-- The register's document numbers (receipts of sales and refunds). Taken by an upsert ... RETURNING inside
-- the document's own transaction (the first document of a register creates the row): the row stays locked
-- until commit, and a rolled-back checkout rolls its number back with it, so the numbers of a register are
-- gapless and never reused.
create table register_counters (
  tenant_id uuid not null,
  register_id uuid not null,
  last_document_number bigint not null default 0 check (last_document_number >= 0),
  primary key (tenant_id, register_id),
  foreign key (tenant_id, register_id) references registers (tenant_id, id)
);

create table sales (
  tenant_id uuid not null references tenants (id),
  id uuid not null,
  -- Listing order only (newest first); not a key and never shown.
  seq bigint generated always as identity,
  store_id uuid not null,
  register_id uuid not null,
  cash_session_id uuid not null,
  receipt_number bigint not null check (receipt_number >= 1),
  cart_id uuid,
  customer_id uuid,
  cashier_id uuid not null,
  status text not null default 'completed' check (status in ('completed', 'voided')),
  currency char(3) not null,
  pricing text not null check (pricing in ('inclusive', 'exclusive')),
  cart_discount_bp integer check (cart_discount_bp between 0 and 10000),
  cart_discount_amount bigint check (cart_discount_amount between 0 and 9007199254740991),
  discount_approved_by uuid,
  extended bigint not null check (extended >= 0),
  line_discount bigint not null check (line_discount >= 0),
  cart_discount bigint not null check (cart_discount >= 0),
  net bigint not null,
  tax bigint not null,
  gross bigint not null check (gross >= 0),
  -- What cash rounding added (> 0) or forgave (< 0); gross + cash_rounding is what was paid.
  cash_rounding bigint not null,
  tendered bigint not null check (tendered >= 0),
  change bigint not null check (change >= 0),
  -- The COGS of the sale: the lines' unit costs × quantities, as booked.
  cost bigint not null check (cost >= 0),
  note text check (length(note) between 1 and 500),
  request_hash text not null check (length(request_hash) = 64),
  created_at timestamptz not null default now(),
  voided_at timestamptz,
  voided_by uuid,
  primary key (tenant_id, id),
  unique (tenant_id, register_id, receipt_number),
  check (cart_discount_bp is null or cart_discount_amount is null),
  check (extended - line_discount - cart_discount = case when pricing = 'inclusive' then gross else net end),
  check (net + tax = gross),
  check (tendered - change = gross + cash_rounding),
  check ((status = 'voided') = (voided_at is not null) and (voided_at is null) = (voided_by is null)),
  foreign key (tenant_id, store_id) references stores (tenant_id, id),
  foreign key (tenant_id, register_id) references registers (tenant_id, id),
  foreign key (tenant_id, cash_session_id) references cash_sessions (tenant_id, id),
  foreign key (tenant_id, cart_id) references carts (tenant_id, id),
  foreign key (tenant_id, customer_id) references customers (tenant_id, id),
  foreign key (tenant_id, cashier_id) references users (tenant_id, id),
  foreign key (tenant_id, discount_approved_by) references users (tenant_id, id),
  foreign key (tenant_id, voided_by) references users (tenant_id, id)
);
-- A cart checks out at most once.
create unique index sales_cart on sales (tenant_id, cart_id) where cart_id is not null;
-- Reports and listings by store and time; a customer's purchases; a session's takings.
create index sales_store_time on sales (tenant_id, store_id, created_at);
create index sales_order on sales (tenant_id, seq desc);
create index sales_customer on sales (tenant_id, customer_id, seq desc) where customer_id is not null;
create index sales_session on sales (tenant_id, cash_session_id);

create table sale_lines (
  tenant_id uuid not null,
  sale_id uuid not null,
  line_no integer not null check (line_no between 1 and 1000),
  product_id uuid not null,
  -- As the catalog had them at the moment of sale.
  name text not null,
  sku text,
  category_id uuid,
  barcode text,
  quantity bigint not null check (quantity >= 1),
  unit_price bigint not null check (unit_price >= 0),
  unit_cost bigint not null check (unit_cost >= 0),
  discount_bp integer check (discount_bp between 0 and 10000),
  discount_amount bigint check (discount_amount >= 0),
  approved_by uuid,
  extended bigint not null check (extended >= 0),
  line_discount bigint not null check (line_discount >= 0),
  cart_discount bigint not null check (cart_discount >= 0),
  net bigint not null,
  tax bigint not null,
  gross bigint not null,
  -- unit_cost × quantity / 1000, rounded half up: what the sale took out of inventory.
  cost bigint not null check (cost >= 0),
  primary key (tenant_id, sale_id, line_no),
  check (discount_bp is null or discount_amount is null),
  check (net + tax = gross),
  foreign key (tenant_id, sale_id) references sales (tenant_id, id),
  foreign key (tenant_id, product_id) references products (tenant_id, id),
  foreign key (tenant_id, approved_by) references users (tenant_id, id)
);
create index sale_lines_product on sale_lines (tenant_id, product_id);

-- Each tax of each line (a line can carry two rates, e.g. GST and QST): the tax report sums these.
create table sale_line_taxes (
  tenant_id uuid not null,
  sale_id uuid not null,
  line_no integer not null,
  code text not null check (length(code) between 1 and 40),
  rate_ppm integer not null check (rate_ppm >= 0),
  taxable_net bigint not null,
  tax bigint not null,
  primary key (tenant_id, sale_id, line_no, code),
  foreign key (tenant_id, sale_id, line_no) references sale_lines (tenant_id, sale_id, line_no)
);

create table sale_payments (
  tenant_id uuid not null,
  sale_id uuid not null,
  payment_no integer not null check (payment_no between 1 and 100),
  kind text not null check (kind in ('cash', 'card', 'other')),
  -- The tenant's payment method for 'other' tenders (voucher, gift card...).
  method_code text check (method_code ~ '^[a-z0-9][a-z0-9_-]{0,39}$'),
  -- Handed over (cash) or charged (card, other).
  amount bigint not null check (amount >= 1),
  -- What stays with the sale: the amount, less the change for cash.
  applied bigint not null check (applied >= 0 and applied <= amount),
  -- What the external card terminal returned (a card is never charged by ZakPOS itself).
  provider text check (length(provider) between 1 and 40),
  reference text check (length(reference) between 1 and 100),
  approval_code text check (length(approval_code) between 1 and 40),
  primary key (tenant_id, sale_id, payment_no),
  check ((kind = 'other') = (method_code is not null)),
  check (kind = 'card' or (provider is null and approval_code is null)),
  check (kind = 'cash' or applied = amount),
  foreign key (tenant_id, sale_id) references sales (tenant_id, id),
  foreign key (tenant_id, method_code) references payment_methods (tenant_id, code)
);

-- The transactional outbox: events written in the transaction of what they report, published by a relay
-- later. seq is per tenant and increases in commit order: it is taken from the tenant's counter row (an
-- upsert) as the last statement of the transaction, so the row lock orders the commits.
create table tenant_counters (
  tenant_id uuid primary key references tenants (id),
  last_event_seq bigint not null default 0 check (last_event_seq >= 0)
);

create table outbox (
  tenant_id uuid not null references tenants (id),
  seq bigint not null check (seq >= 1),
  id uuid not null,
  type text not null check (type ~ '^[a-z]+(\.[a-z_]+)+$'),
  aggregate_type text not null check (aggregate_type ~ '^[a-z_]+$'),
  aggregate_id uuid not null,
  payload jsonb not null,
  created_at timestamptz not null default now(),
  published_at timestamptz,
  primary key (tenant_id, seq),
  unique (tenant_id, id)
);
create index outbox_unpublished on outbox (tenant_id, seq) where published_at is null;

select app_isolate_tenant_tables(
  'payment_methods', 'register_counters', 'sales', 'sale_lines', 'sale_line_taxes', 'sale_payments',
  'outbox');
-- tenant_counters is keyed by the tenant itself.
alter table tenant_counters enable row level security;
alter table tenant_counters force row level security;
create policy tenant_isolation on tenant_counters
  using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
  with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);

grant select, insert, update on payment_methods to zakpos_app;
grant select, insert, update on register_counters, tenant_counters to zakpos_app;
-- A sale changes only by being voided; lines, taxes and payments never change.
grant select, insert on sales, sale_lines, sale_line_taxes, sale_payments, outbox to zakpos_app;
grant update (status, voided_at, voided_by) on sales to zakpos_app;

-- Once a tenant has sold, its currency is fixed: every amount recorded is in it. A sale is refused when
-- its currency is not the tenant's (a checkout priced before a currency change commits after it), and a
-- currency change takes SHARE on sales first, so it waits for any checkout in flight and then sees its sale.
create function sales_currency_is_tenants() returns trigger
  language plpgsql
  as $$
begin
  -- Another tenant's row is invisible here: row-level security refuses that insert right after.
  if exists (select 1 from tenants where id = new.tenant_id and currency <> new.currency) then
    raise exception 'the sale is in %, not in the tenant''s currency', new.currency
      using errcode = 'ZS001';
  end if;
  return new;
end $$;
create trigger sales_currency before insert on sales
  for each row execute function sales_currency_is_tenants();

create function tenants_currency_locked() returns trigger
  language plpgsql security definer set search_path = pg_catalog, public, pg_temp
  as $$
begin
  if new.currency is distinct from old.currency then
    lock table sales in share mode;
    if exists (select 1 from sales where tenant_id = new.id) then
      raise exception 'the tenant has sales in %: its currency cannot change', old.currency
        using errcode = 'ZS002';
    end if;
  end if;
  return new;
end $$;
create trigger tenants_currency_locked before update of currency on tenants
  for each row execute function tenants_currency_locked();
