-- Inventory: stock levels, the append-only movement ledger, transfers between stores and stock counts.
-- Quantities are bigint thousandths: 1000 = one unit (unit 'each') or one kilogram (unit 'kg').
--
-- The ledger is the truth. stock_levels.on_hand is written ONLY by the trigger on stock_movements
-- (the API role may not touch on_hand, nor update or delete a movement), so a level always equals
-- the sum of its movements. The same trigger enforces the store's oversell policy, race-free: the
-- upsert holds the level's row lock while the result is checked.

create table stock_levels (
  tenant_id uuid not null,
  store_id uuid not null,
  product_id uuid not null,
  on_hand bigint not null default 0 check (on_hand between -9007199254740991 and 9007199254740991),
  -- null: no low-stock alert for this product in this store.
  low_stock_threshold bigint check (low_stock_threshold between 0 and 9007199254740991),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, store_id, product_id),
  foreign key (tenant_id, store_id) references stores (tenant_id, id),
  foreign key (tenant_id, product_id) references products (tenant_id, id)
);
create index stock_levels_low on stock_levels (tenant_id, store_id)
  where low_stock_threshold is not null and on_hand <= low_stock_threshold;

create table stock_movements (
  tenant_id uuid not null,
  id uuid not null,
  -- Listing order only (newest first); not a key.
  seq bigint generated always as identity,
  store_id uuid not null,
  product_id uuid not null,
  quantity bigint not null check (quantity <> 0 and quantity between -9007199254740991 and 9007199254740991),
  reason text not null check (reason in ('adjustment', 'transfer_out', 'transfer_in', 'sale', 'refund')),
  -- Set exactly for adjustments (a count's variance is an adjustment with code 'count').
  reason_code text check (reason_code in ('received', 'damaged', 'lost', 'theft', 'expired', 'correction', 'count')),
  reference_type text check (reference_type in ('adjustment', 'transfer', 'count', 'sale', 'refund')),
  reference_id uuid,
  note text check (length(note) <= 500),
  -- Actor ids are not foreign keys (like audit_log): history outlives user records.
  user_id uuid,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  check ((reason = 'adjustment') = (reason_code is not null)),
  check ((reference_type is null) = (reference_id is null)),
  check (reason <> 'transfer_out' or quantity < 0),
  check (reason <> 'transfer_in' or quantity > 0),
  foreign key (tenant_id, store_id) references stores (tenant_id, id),
  foreign key (tenant_id, product_id) references products (tenant_id, id)
);
create index stock_movements_store on stock_movements (tenant_id, store_id, seq desc);
create index stock_movements_product on stock_movements (tenant_id, store_id, product_id, seq desc);
create index stock_movements_reference on stock_movements (tenant_id, reference_type, reference_id);

-- Applies a movement to its level and refuses it when it would take a 'refuse' store below zero.
-- SECURITY DEFINER because the API role may not write on_hand itself; row-level security still
-- applies (FORCE), so it only ever reaches the current tenant's rows.
create function stock_movements_apply() returns trigger
  language plpgsql security definer set search_path = pg_catalog, public
  as $$
declare
  v_on_hand bigint;
  v_policy text;
begin
  insert into stock_levels as l (tenant_id, store_id, product_id, on_hand)
  values (new.tenant_id, new.store_id, new.product_id, new.quantity)
  on conflict (tenant_id, store_id, product_id)
  do update set on_hand = l.on_hand + excluded.on_hand, updated_at = now()
  returning l.on_hand into v_on_hand;

  if new.quantity < 0 and v_on_hand < 0 then
    select s.oversell_policy into v_policy from stores s where s.tenant_id = new.tenant_id and s.id = new.store_id;
    if v_policy = 'refuse' then
      raise exception 'insufficient stock'
        using errcode = 'ZI001',
              detail = json_build_object(
                'storeId', new.store_id,
                'productId', new.product_id,
                'available', v_on_hand - new.quantity,
                'requested', -new.quantity)::text;
    end if;
  end if;
  return null;
end $$;
revoke all on function stock_movements_apply() from public;

create trigger stock_movements_apply after insert on stock_movements
  for each row execute function stock_movements_apply();

-- Stock in transit between two stores: sent (transfer_out at the source) and later received
-- (transfer_in at the destination).
create table transfers (
  tenant_id uuid not null,
  id uuid not null,
  seq bigint generated always as identity,
  from_store_id uuid not null,
  to_store_id uuid not null,
  status text not null check (status in ('in_transit', 'received')),
  note text check (length(note) <= 500),
  sent_by uuid,
  sent_at timestamptz not null default now(),
  received_by uuid,
  received_at timestamptz,
  primary key (tenant_id, id),
  check (from_store_id <> to_store_id),
  check ((status = 'received') = (received_at is not null)),
  foreign key (tenant_id, from_store_id) references stores (tenant_id, id),
  foreign key (tenant_id, to_store_id) references stores (tenant_id, id)
);
create index transfers_seq on transfers (tenant_id, seq desc);
create index transfers_incoming on transfers (tenant_id, to_store_id) where status = 'in_transit';

create table transfer_lines (
  tenant_id uuid not null,
  transfer_id uuid not null,
  product_id uuid not null,
  quantity bigint not null check (quantity between 1 and 9007199254740991),
  primary key (tenant_id, transfer_id, product_id),
  foreign key (tenant_id, transfer_id) references transfers (tenant_id, id),
  foreign key (tenant_id, product_id) references products (tenant_id, id)
);

-- A count sheet: expected quantities snapshotted when a product joins the sheet, counted
-- quantities recorded while open, and the variance posted (as 'count' adjustments) on completion.
create table stock_counts (
  tenant_id uuid not null,
  id uuid not null,
  seq bigint generated always as identity,
  store_id uuid not null,
  status text not null check (status in ('open', 'completed')),
  note text check (length(note) <= 500),
  opened_by uuid,
  opened_at timestamptz not null default now(),
  completed_by uuid,
  completed_at timestamptz,
  primary key (tenant_id, id),
  check ((status = 'completed') = (completed_at is not null)),
  foreign key (tenant_id, store_id) references stores (tenant_id, id)
);
create index stock_counts_store on stock_counts (tenant_id, store_id, seq desc);

create table stock_count_lines (
  tenant_id uuid not null,
  count_id uuid not null,
  product_id uuid not null,
  expected bigint not null check (expected between -9007199254740991 and 9007199254740991),
  counted bigint check (counted between 0 and 9007199254740991),
  counted_at timestamptz,
  -- Posted at completion: counted minus on hand at that moment.
  variance bigint check (variance between -9007199254740991 and 9007199254740991),
  primary key (tenant_id, count_id, product_id),
  foreign key (tenant_id, count_id) references stock_counts (tenant_id, id),
  foreign key (tenant_id, product_id) references products (tenant_id, id)
);

select app_isolate_tenant_tables('stock_levels', 'stock_movements', 'transfers', 'transfer_lines', 'stock_counts', 'stock_count_lines');

-- The API may create a level row (on_hand then starts at 0) and set its threshold, never on_hand.
grant select on stock_levels to zakpos_app;
grant insert (tenant_id, store_id, product_id, low_stock_threshold) on stock_levels to zakpos_app;
grant update (low_stock_threshold, updated_at) on stock_levels to zakpos_app;
-- The ledger is append-only.
grant select, insert on stock_movements to zakpos_app;
grant select, insert on transfers, transfer_lines, stock_counts to zakpos_app;
grant update (status, received_by, received_at) on transfers to zakpos_app;
grant update (status, completed_by, completed_at) on stock_counts to zakpos_app;
grant select, insert on stock_count_lines to zakpos_app;
grant update (counted, counted_at, variance) on stock_count_lines to zakpos_app;
