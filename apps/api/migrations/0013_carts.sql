-- Server-side carts per register (a second screen can follow the live cart later). A cart is priced by
-- @zakpos/pricing on every read and write; nothing priced is stored, only what pricing takes: the unit
-- price as looked up when the line was added, the quantity and the discounts.
--
-- version: every write names the version it read and the UPDATE ... WHERE version = $v decides, so two
-- devices never silently overwrite each other (carts/cart.repository.ts bumpCartVersion).
-- Discounts: a percent in basis points or an amount in minor units, never both.

-- The cashier's own limit on a discount, in basis points of the discounted amount (1000 = 10 %); above it a
-- manager approves with their PIN on the register.
alter table tenants
  add column max_cashier_discount_bp integer not null default 1000
    check (max_cashier_discount_bp between 0 and 10000);

create table carts (
  tenant_id uuid not null,
  id uuid not null,
  store_id uuid not null,
  register_id uuid not null,
  status text not null default 'open' check (status in ('open', 'parked', 'voided', 'checked_out')),
  customer_id uuid,
  note text check (length(note) between 1 and 500),
  discount_bp integer check (discount_bp between 0 and 10000),
  discount_amount bigint check (discount_amount between 0 and 9007199254740991),
  discount_approved_by uuid,
  version integer not null default 1 check (version >= 1),
  created_by uuid not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  check (discount_bp is null or discount_amount is null),
  check (discount_approved_by is null or discount_bp is not null or discount_amount is not null),
  foreign key (tenant_id, store_id) references stores (tenant_id, id),
  foreign key (tenant_id, register_id) references registers (tenant_id, id),
  foreign key (tenant_id, customer_id) references customers (tenant_id, id),
  foreign key (tenant_id, created_by) references users (tenant_id, id),
  foreign key (tenant_id, discount_approved_by) references users (tenant_id, id)
);
-- GET /stores/{id}/carts?status=parked: keyset order (updated_at, id) within a store and status.
create index carts_store_status_order on carts (tenant_id, store_id, status, updated_at, id);

create table cart_lines (
  tenant_id uuid not null,
  cart_id uuid not null,
  id uuid not null,
  position integer not null check (position >= 1),
  product_id uuid not null,
  -- Thousandths, as the stock ledger counts: 1000 is one item, 1234 is 1.234 kg.
  quantity bigint not null check (quantity between 1 and 9007199254740991),
  unit_price bigint not null check (unit_price between 0 and 9007199254740991),
  discount_bp integer check (discount_bp between 0 and 10000),
  discount_amount bigint check (discount_amount between 0 and 9007199254740991),
  -- Who approved a discount beyond the cashier's limit (null: within it, or none).
  approved_by uuid,
  barcode text check (length(barcode) between 1 and 64),
  created_at timestamptz not null default now(),
  primary key (tenant_id, cart_id, id),
  unique (tenant_id, cart_id, position),
  check (discount_bp is null or discount_amount is null),
  check (approved_by is null or discount_bp is not null or discount_amount is not null),
  foreign key (tenant_id, cart_id) references carts (tenant_id, id) on delete cascade,
  foreign key (tenant_id, product_id) references products (tenant_id, id),
  foreign key (tenant_id, approved_by) references users (tenant_id, id)
);

select app_isolate_tenant_tables('carts', 'cart_lines');

-- Carts are never deleted (voided instead); lines are removed from an open cart.
grant select, insert, update on carts to zakpos_app;
grant select, insert, update, delete on cart_lines to zakpos_app;
