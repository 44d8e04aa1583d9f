-- Refunds and voids (refunds/refund.service.ts, refunds/void.service.ts): what each records, once, in one
-- transaction, like a sale. Amounts are bigint minor units, quantities thousandths.
--
-- Exactly once: the refund id and the void id are minted by the register and are primary keys, so a
-- second insert of the same id is a unique violation whatever the timing; request_hash tells a retry
-- (same body) from a different request reusing the id.

-- A refund hands back some units of some lines of a sale (sale_id), or, without a receipt (sale_id null),
-- products at their price of the day. Its receipt number is the register's next document number, the
-- counter sales take theirs from (register_counters).
create table refunds (
  tenant_id uuid not null references tenants (id),
  id uuid not null,
  -- Listing order only; not a key and never shown.
  seq bigint generated always as identity,
  sale_id uuid,
  store_id uuid not null,
  register_id uuid not null,
  -- The register's open session when the refund was made: a cash refund is paid from its till (required
  -- for cash, recorded whenever one is open).
  cash_session_id uuid,
  receipt_number bigint not null check (receipt_number >= 1),
  cashier_id uuid not null,
  -- The manager whose PIN let a cashier refund.
  approved_by uuid,
  currency char(3) not null,
  pricing text not null check (pricing in ('inclusive', 'exclusive')),
  reason text not null check (length(reason) between 1 and 500),
  extended bigint not null check (extended >= 0),
  discount bigint not null check (discount >= 0),
  net bigint not null,
  tax bigint not null,
  gross bigint not null check (gross >= 0),
  -- What cash rounding added to (> 0) or took from (< 0) the cash paid back.
  cash_rounding bigint not null,
  -- What was paid back: gross + cash_rounding.
  paid bigint not null check (paid >= 0),
  -- The value the restocked lines put back into inventory (the levels' value change).
  restocked_value bigint not null check (restocked_value >= 0),
  request_hash text not null check (length(request_hash) = 64),
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, register_id, receipt_number),
  check (net + tax = gross),
  check (paid = gross + cash_rounding),
  foreign key (tenant_id, sale_id) references sales (tenant_id, id),
  foreign key (tenant_id, store_id) references stores (tenant_id, id),
  foreign key (tenant_id, register_id) references registers (tenant_id, id),
  foreign key (tenant_id, cash_session_id) references cash_sessions (tenant_id, id),
  foreign key (tenant_id, cashier_id) references users (tenant_id, id),
  foreign key (tenant_id, approved_by) references users (tenant_id, id)
);
create index refunds_sale on refunds (tenant_id, sale_id, seq) where sale_id is not null;
create index refunds_session on refunds (tenant_id, cash_session_id) where cash_session_id is not null;

create table refund_lines (
  tenant_id uuid not null,
  refund_id uuid not null,
  line_no integer not null check (line_no between 1 and 1000),
  -- The sale line refunded (with the refund's sale), or null without a receipt.
  sale_id uuid,
  sale_line_no integer,
  product_id uuid not null,
  name text not null,
  sku text,
  quantity bigint not null check (quantity >= 1),
  unit_price bigint not null check (unit_price >= 0),
  -- Back into stock, or not (damaged).
  restock boolean not null,
  extended bigint not null check (extended >= 0),
  discount bigint not null check (discount >= 0),
  net bigint not null,
  tax bigint not null,
  gross bigint not null,
  primary key (tenant_id, refund_id, line_no),
  check (net + tax = gross),
  check ((sale_id is null) = (sale_line_no is null)),
  -- A sale line appears once in a refund.
  unique (tenant_id, refund_id, sale_line_no),
  foreign key (tenant_id, refund_id) references refunds (tenant_id, id),
  foreign key (tenant_id, sale_id, sale_line_no) references sale_lines (tenant_id, sale_id, line_no),
  foreign key (tenant_id, product_id) references products (tenant_id, id)
);
create index refund_lines_sale on refund_lines (tenant_id, sale_id, sale_line_no) where sale_id is not null;

create table refund_line_taxes (
  tenant_id uuid not null,
  refund_id uuid not null,
  line_no integer not null,
  code text not null check (length(code) between 1 and 40),
  rate_ppm integer not null check (rate_ppm >= 0),
  taxable_net bigint not null,
  tax bigint not null,
  primary key (tenant_id, refund_id, line_no, code),
  foreign key (tenant_id, refund_id, line_no) references refund_lines (tenant_id, refund_id, line_no)
);

create table refund_payments (
  tenant_id uuid not null,
  refund_id uuid not null,
  payment_no integer not null check (payment_no between 1 and 100),
  kind text not null check (kind in ('cash', 'card', 'other')),
  method_code text check (method_code ~ '^[a-z0-9][a-z0-9_-]{0,39}$'),
  -- Paid back to the customer.
  amount bigint not null check (amount >= 1),
  provider text check (length(provider) between 1 and 40),
  reference text check (length(reference) between 1 and 100),
  approval_code text check (length(approval_code) between 1 and 40),
  primary key (tenant_id, refund_id, payment_no),
  check ((kind = 'other') = (method_code is not null)),
  check (kind = 'card' or (provider is null and approval_code is null)),
  foreign key (tenant_id, refund_id) references refunds (tenant_id, id),
  foreign key (tenant_id, method_code) references payment_methods (tenant_id, code)
);

-- A void cancels a sale of the register's open session as a whole: one per sale, keyed by its own id.
create table sale_voids (
  tenant_id uuid not null references tenants (id),
  id uuid not null,
  sale_id uuid not null,
  cash_session_id uuid not null,
  voided_by uuid not null,
  -- The manager whose PIN let a cashier void.
  approved_by uuid,
  reason text not null check (length(reason) between 1 and 500),
  request_hash text not null check (length(request_hash) = 64),
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, sale_id),
  foreign key (tenant_id, sale_id) references sales (tenant_id, id),
  foreign key (tenant_id, cash_session_id) references cash_sessions (tenant_id, id),
  foreign key (tenant_id, voided_by) references users (tenant_id, id),
  foreign key (tenant_id, approved_by) references users (tenant_id, id)
);

select app_isolate_tenant_tables('refunds', 'refund_lines', 'refund_line_taxes', 'refund_payments', 'sale_voids');

-- Refunds and voids are history: written once, never changed.
grant select, insert on refunds, refund_lines, refund_line_taxes, refund_payments, sale_voids to zakpos_app;
