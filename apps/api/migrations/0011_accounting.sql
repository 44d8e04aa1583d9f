-- Double-entry accounting: a chart of accounts per tenant and an immutable, always balanced journal.
-- Amounts are bigint minor units of the tenant's currency (the API reads them as safe integers).
--
-- The journal is the accounting truth, and PostgreSQL keeps it honest, not only the code: the API role
-- may only select and insert entries and lines, a trigger refuses UPDATE and DELETE for every role
-- (a correction is a reversing entry), and a deferred constraint trigger checks at commit that every
-- entry written has at least two lines and debits equal to its credits.

create table accounts (
  tenant_id uuid not null references tenants (id),
  id uuid not null default gen_random_uuid(),
  code text not null check (code ~ '^[0-9A-Z][0-9A-Z._-]{0,19}$'),
  name text not null check (length(name) between 1 and 120),
  -- The normal balance follows the type: debit for assets and expenses, credit for the others. A contra
  -- account (discounts given, under revenue) keeps its type's and simply carries the opposite sign.
  type text not null check (type in ('asset', 'liability', 'equity', 'revenue', 'expense')),
  -- The system accounts the engine posts to, found by purpose (null: an account the tenant keeps).
  purpose text check (purpose in (
    'cash_on_hand', 'card_clearing', 'other_tender_clearing', 'sales_revenue', 'discounts_given',
    'sales_tax_payable', 'cogs', 'inventory', 'inventory_in_transit', 'goods_received_not_invoiced',
    'inventory_shrinkage', 'cash_over_short', 'rounding', 'opening_equity')),
  -- One clearing account per tenant-defined tender, one tax account per rate: null is the default one.
  tender_key text check (length(tender_key) between 1 and 60),
  tax_rate_key text check (length(tax_rate_key) between 1 and 60),
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, code),
  check (tender_key is null or purpose = 'other_tender_clearing'),
  check (tax_rate_key is null or purpose = 'sales_tax_payable')
);
create unique index accounts_purpose on accounts (tenant_id, purpose, coalesce(tender_key, ''), coalesce(tax_rate_key, ''))
  where purpose is not null;

create table journal_entries (
  tenant_id uuid not null references tenants (id),
  id uuid not null,
  -- Listing order only (newest first); not a key and never shown.
  seq bigint generated always as identity,
  posted_at timestamptz not null default now(),
  -- What the entry records ('stock_adjustment', 'stock_count', 'transfer_send', 'sale', ...): a source
  -- posts once, so a retried or concurrent writer cannot post it twice.
  source_type text not null check (source_type ~ '^[a-z][a-z_]{0,39}$'),
  source_id uuid not null,
  memo text check (length(memo) <= 500),
  -- Not a foreign key (like audit_log): history outlives user records.
  created_by uuid,
  primary key (tenant_id, id),
  unique (tenant_id, source_type, source_id)
);
create index journal_entries_seq on journal_entries (tenant_id, seq desc);
create index journal_entries_posted on journal_entries (tenant_id, posted_at, seq);

create table journal_lines (
  tenant_id uuid not null,
  entry_id uuid not null,
  line_no integer not null check (line_no between 1 and 100000),
  account_id uuid not null,
  debit bigint not null default 0 check (debit between 0 and 9007199254740991),
  credit bigint not null default 0 check (credit between 0 and 9007199254740991),
  store_id uuid,
  primary key (tenant_id, entry_id, line_no),
  check ((debit > 0) <> (credit > 0)),
  foreign key (tenant_id, entry_id) references journal_entries (tenant_id, id),
  foreign key (tenant_id, account_id) references accounts (tenant_id, id),
  foreign key (tenant_id, store_id) references stores (tenant_id, id)
);
create index journal_lines_account on journal_lines (tenant_id, account_id, entry_id);

select app_isolate_tenant_tables('accounts', 'journal_entries', 'journal_lines');

grant select, insert on accounts to zakpos_app;
grant select, insert on journal_entries, journal_lines to zakpos_app;

-- No role changes the journal, the owner included: corrections are reversing entries.
create function journal_immutable() returns trigger
  language plpgsql
  as $$
begin
  raise exception 'the journal is immutable: post a reversing entry instead'
    using errcode = 'ZJ002';
end $$;

create trigger journal_entries_immutable before update or delete on journal_entries
  for each row execute function journal_immutable();
create trigger journal_lines_immutable before update or delete on journal_lines
  for each row execute function journal_immutable();
create trigger journal_entries_no_truncate before truncate on journal_entries
  for each statement execute function journal_immutable();
create trigger journal_lines_no_truncate before truncate on journal_lines
  for each statement execute function journal_immutable();

-- At commit, for each entry the transaction wrote an entry or a line of: two lines at least, and
-- Σ debit = Σ credit. Runs as the writer, so row-level security shows it the writer's tenant only,
-- which is the tenant the entry was written for.
create function journal_entry_balanced() returns trigger
  language plpgsql
  as $$
declare
  v_entry uuid;
  v_lines bigint;
  v_debit numeric;
  v_credit numeric;
begin
  if tg_table_name = 'journal_entries' then
    v_entry := new.id;
  else
    v_entry := new.entry_id;
  end if;
  select count(*), coalesce(sum(debit), 0), coalesce(sum(credit), 0)
    into v_lines, v_debit, v_credit
    from journal_lines
   where tenant_id = new.tenant_id and entry_id = v_entry;
  if v_lines < 2 or v_debit <> v_credit then
    raise exception 'journal entry % does not balance (% lines, debit %, credit %)', v_entry, v_lines, v_debit, v_credit
      using errcode = 'ZJ001',
            detail = json_build_object('entryId', v_entry, 'lines', v_lines, 'debit', v_debit, 'credit', v_credit)::text;
  end if;
  return null;
end $$;

create constraint trigger journal_entries_balanced after insert on journal_entries
  deferrable initially deferred
  for each row execute function journal_entry_balanced();
create constraint trigger journal_lines_balanced after insert on journal_lines
  deferrable initially deferred
  for each row execute function journal_entry_balanced();

-- The standard chart of a tenant: called by signup and by this migration. Runs as the caller, so
-- row-level security only lets it write the chart of the caller's current tenant.
create function app_create_chart_of_accounts(p_tenant uuid) returns void
  language sql
  as $$
  insert into accounts (tenant_id, code, name, type, purpose)
  select p_tenant, c.code, c.name, c.type, c.purpose
    from (values
      ('1000', 'Cash on hand', 'asset', 'cash_on_hand'),
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
      ('5300', 'Rounding', 'expense', 'rounding')
    ) as c (code, name, type, purpose)
$$;
revoke all on function app_create_chart_of_accounts(uuid) from public;
grant execute on function app_create_chart_of_accounts(uuid) to zakpos_app;

-- Every existing tenant gets the chart, and the stock it already holds its opening value: Dr inventory
-- (per store) / Cr opening balance equity, at today's cost, valued per level exactly like the API values
-- a movement (thousandths × cost / 1000, rounded half away from zero). Each tenant is written under its
-- own app.tenant_id, so row-level security stays forced; only the tenants list is read without it.
alter table tenants no force row level security;

do $$
declare
  t record;
  v_entry uuid;
begin
  for t in select id from tenants loop
    perform set_config('app.tenant_id', t.id::text, true);
    perform app_create_chart_of_accounts(t.id);
    v_entry := gen_random_uuid();
    with value_by_store as (
      select l.store_id, sum(round(l.on_hand::numeric * p.cost / 1000))::bigint as value
        from stock_levels l
        join products p on p.tenant_id = l.tenant_id and p.id = l.product_id
       where l.tenant_id = t.id
       group by l.store_id
      having sum(round(l.on_hand::numeric * p.cost / 1000)) <> 0
    ), total as (
      select coalesce(sum(value), 0) as value from value_by_store
    ), entry as (
      insert into journal_entries (tenant_id, id, source_type, source_id, memo)
      select t.id, v_entry, 'opening_balance', t.id, 'Opening value of the stock on hand'
        from total where value <> 0
      returning id
    ), lines as (
      select v.store_id, v.value, row_number() over (order by v.store_id) as n from value_by_store v
    )
    insert into journal_lines (tenant_id, entry_id, line_no, account_id, debit, credit, store_id)
    select t.id, e.id, l.n, a.id, greatest(l.value, 0), greatest(-l.value, 0), l.store_id
      from entry e cross join lines l
      join accounts a on a.tenant_id = t.id and a.purpose = 'inventory'
    union all
    select t.id, e.id, (select count(*) from lines) + 1, a.id, greatest(-tt.value, 0), greatest(tt.value, 0), null
      from entry e cross join total tt
      join accounts a on a.tenant_id = t.id and a.purpose = 'opening_equity';
    -- The balance check runs now, while this tenant is the current one.
    set constraints journal_entries_balanced, journal_lines_balanced immediate;
    set constraints journal_entries_balanced, journal_lines_balanced deferred;
  end loop;
  perform set_config('app.tenant_id', '', true);
end $$;

alter table tenants force row level security;
