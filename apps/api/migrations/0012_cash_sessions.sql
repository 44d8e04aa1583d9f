-- Cash sessions: a register's till from the opening float to the count at closing, and the cash moved in
-- and out of it in between. Amounts are bigint minor units of the tenant's currency.
--
-- PostgreSQL keeps the rules: one open session per register (a partial unique index), a closed session
-- never changes again and no session is deleted (a trigger, for every role), a movement only enters an
-- open session and is never changed (a trigger), and the closing figures are consistent (checks).

-- The till's cash comes from and goes back to the store's safe; cash paid out of the till (a purchase
-- paid in cash) is an expense. Two new system accounts, for every tenant from now on and for every
-- tenant that exists.
alter table accounts drop constraint accounts_purpose_check;
alter table accounts add constraint accounts_purpose_check check (purpose in (
  'cash_on_hand', 'card_clearing', 'other_tender_clearing', 'sales_revenue', 'discounts_given',
  'sales_tax_payable', 'cogs', 'inventory', 'inventory_in_transit', 'goods_received_not_invoiced',
  'inventory_shrinkage', 'cash_over_short', 'rounding', 'opening_equity', 'cash_in_safe', 'cash_paid_out'));

create or replace function app_create_chart_of_accounts(p_tenant uuid) returns void
  language sql
  as $$
  insert into accounts (tenant_id, code, name, type, purpose)
  select p_tenant, c.code, c.name, c.type, c.purpose
    from (values
      ('1000', 'Cash on hand', 'asset', 'cash_on_hand'),
      ('1005', 'Cash in safe', 'asset', 'cash_in_safe'),
      ('1010', 'Card clearing', 'asset', 'card_clearing'),
      ('1020', 'Other tender clearing', 'asset', 'other_tender_clearing'),
      ('1200', 'Inventory', 'asset', 'inventory'),
      ('1210', 'Inventory in transit', 'asset', 'inventory_in_transit'),
      ('2000', 'Goods received not invoiced', 'liability', 'goods_received_not_invoiced'),
      ('2100', 'Sales tax payable', 'liability', 'sales_tax_payable'),
      ('3000', 'Opening balance equity', 'equity', 'opening_equity'),
      ('4000', 'Sales revenue', 'revenue', 'sales_revenue'),
      ('4100', 'Discounts given', 'revenue', 'discounts_given'),
      ('5000', 'Cost of goods sold', 'expense', 'cogs'),
      ('5100', 'Inventory shrinkage and adjustments', 'expense', 'inventory_shrinkage'),
      ('5200', 'Cash over/short', 'expense', 'cash_over_short'),
      ('5300', 'Rounding', 'expense', 'rounding'),
      ('5400', 'Cash paid out', 'expense', 'cash_paid_out')
    ) as c (code, name, type, purpose)
$$;

-- Existing tenants: the two accounts, under each tenant's own app.tenant_id (row-level security stays
-- forced; only the tenants list is read without it). A code a tenant already uses is skipped: the
-- account then needs a code by hand, and posting to it fails loudly until it exists.
alter table tenants no force row level security;

do $$
declare
  t record;
begin
  for t in select id from tenants loop
    perform set_config('app.tenant_id', t.id::text, true);
    insert into accounts (tenant_id, code, name, type, purpose)
    values (t.id, '1005', 'Cash in safe', 'asset', 'cash_in_safe'),
           (t.id, '5400', 'Cash paid out', 'expense', 'cash_paid_out')
    on conflict do nothing;
  end loop;
  perform set_config('app.tenant_id', '', true);
end $$;

alter table tenants force row level security;

create table cash_sessions (
  tenant_id uuid not null references tenants (id),
  id uuid not null,
  -- Listing order only (newest first); not a key and never shown.
  seq bigint generated always as identity,
  store_id uuid not null,
  register_id uuid not null,
  -- Not foreign keys (like the journal's created_by): history outlives user records.
  opened_by uuid not null,
  opened_at timestamptz not null default now(),
  opening_float bigint not null check (opening_float between 0 and 9007199254740991),
  closed_by uuid,
  closed_at timestamptz,
  -- What was counted by denomination, [{"value": minor units, "count": n}, ...]; null when counted by total.
  counted jsonb check (jsonb_typeof(counted) = 'array'),
  counted_total bigint check (counted_total between 0 and 9007199254740991),
  expected_total bigint check (expected_total between -9007199254740991 and 9007199254740991),
  over_short bigint,
  primary key (tenant_id, id),
  foreign key (tenant_id, store_id) references stores (tenant_id, id),
  foreign key (tenant_id, register_id) references registers (tenant_id, id),
  -- Open: no closing figure. Closed: all of them, and over/short is counted − expected.
  check (
    (closed_at is null and closed_by is null and counted is null and counted_total is null
      and expected_total is null and over_short is null)
    or (closed_at is not null and closed_by is not null and counted_total is not null
      and expected_total is not null and over_short = counted_total - expected_total)
  )
);
create unique index cash_sessions_one_open on cash_sessions (tenant_id, register_id) where closed_at is null;
create index cash_sessions_store on cash_sessions (tenant_id, store_id, seq desc);
create index cash_sessions_register on cash_sessions (tenant_id, register_id, seq desc);

create table cash_movements (
  tenant_id uuid not null,
  id uuid not null,
  session_id uuid not null,
  kind text not null check (kind in ('cash_in', 'cash_out')),
  amount bigint not null check (amount between 1 and 9007199254740991),
  reason_code text not null,
  note text check (length(note) between 1 and 500),
  created_by uuid not null,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, session_id) references cash_sessions (tenant_id, id),
  check (
    (kind = 'cash_in' and reason_code in ('float_top_up', 'change_delivery', 'other'))
    or (kind = 'cash_out' and reason_code in ('safe_drop', 'paid_out', 'other'))
  ),
  check (reason_code <> 'other' or note is not null)
);
create index cash_movements_session on cash_movements (tenant_id, session_id, created_at, id);

select app_isolate_tenant_tables('cash_sessions', 'cash_movements');

grant select, insert, update on cash_sessions to zakpos_app;
grant select, insert on cash_movements to zakpos_app;

-- A session changes once, from open to closed, and then never again; its opening never changes and no
-- session is deleted (for every role: these are the till's books).
create function cash_session_guard() returns trigger
  language plpgsql
  as $$
begin
  if tg_op in ('DELETE', 'TRUNCATE') then
    raise exception 'a cash session is never deleted' using errcode = 'ZC001';
  end if;
  if old.closed_at is not null then
    raise exception 'cash session % is closed', old.id using errcode = 'ZC001';
  end if;
  if (new.tenant_id, new.id, new.store_id, new.register_id, new.opened_by, new.opened_at, new.opening_float)
     is distinct from
     (old.tenant_id, old.id, old.store_id, old.register_id, old.opened_by, old.opened_at, old.opening_float) then
    raise exception 'the opening of cash session % never changes', old.id using errcode = 'ZC001';
  end if;
  return new;
end $$;

create trigger cash_sessions_guard before update or delete on cash_sessions
  for each row execute function cash_session_guard();
create trigger cash_sessions_no_truncate before truncate on cash_sessions
  for each statement execute function cash_session_guard();

-- A movement enters an open session only, and never changes. The insert check runs after the row is
-- written (so row-level security has refused another tenant's row first); FOR SHARE waits for a
-- concurrent close and then sees it.
create function cash_movement_guard() returns trigger
  language plpgsql
  as $$
begin
  if tg_op <> 'INSERT' then
    raise exception 'a cash movement never changes' using errcode = 'ZC001';
  end if;
  perform 1 from cash_sessions
    where tenant_id = new.tenant_id and id = new.session_id and closed_at is null
    for share;
  if not found then
    raise exception 'cash session % is not open', new.session_id using errcode = 'ZC001';
  end if;
  return null;
end $$;

create trigger cash_movements_open_session after insert on cash_movements
  for each row execute function cash_movement_guard();
create trigger cash_movements_immutable before update or delete on cash_movements
  for each row execute function cash_movement_guard();
create trigger cash_movements_no_truncate before truncate on cash_movements
  for each statement execute function cash_movement_guard();
