-- The outbox relay: when a row may be published, the relay's door across tenants, and the consumers'
-- dedupe table.
--
-- When a row may be published. A tenant's events must leave in seq order, and 0020's seqs follow the
-- order of the writes, not of the commits: a transaction holding seq 9 may commit after the one holding 10.
-- The relay therefore works in passes (app_outbox_barrier, below): it notes each pending tenant's last
-- drawn seq and takes a fresh xid B; every transaction that had drawn one of those seqs had its xid before
-- that (the trigger below draws the xid first), so its xid is below B. Once the oldest running transaction
-- is at or past B, every seq up to the noted ones is committed and visible, or rolled back for good: the
-- relay publishes those, in seq order, and nothing after them.
alter table outbox alter column seq drop default;
alter table outbox alter column xid drop default;

create function outbox_number() returns trigger
  language plpgsql
  as $$
begin
  new.xid := pg_current_xact_id();
  new.seq := app_next_event_seq();
  return new;
end $$;
create trigger outbox_number before insert on outbox
  for each row execute function outbox_number();

create index outbox_pending on outbox (tenant_id, seq) where published_at is null;
drop index outbox_unpublished;

-- The relay's door across tenants. The SECURITY DEFINER functions below run as this migration's role;
-- this policy lets that role (and no other) see and mark every tenant's outbox rows. zakpos_app still
-- sees only the tenant of its unit of work.
do $$
begin
  execute format('create policy relay_door on outbox to %I using (true) with check (true)', current_user);
end $$;

-- A pass's barrier: a fresh xid (committed with the call, so it holds nothing back) and, for each tenant
-- with rows not yet published, the last seq its sequence has drawn.
create function app_outbox_barrier()
  returns table (barrier xid8, tenant_id uuid, upto bigint)
  language plpgsql volatile security definer set search_path = pg_catalog, public, pg_temp
  as $$
declare
  v_tenants uuid[] := '{}';
  v_upto bigint[] := '{}';
  v_tenant uuid;
  v_last bigint;
  v_called boolean;
begin
  for v_tenant in select distinct o.tenant_id from public.outbox o where o.published_at is null loop
    execute format('select last_value, is_called from public.outbox_seq_%s', replace(v_tenant::text, '-', ''))
      into v_last, v_called;
    v_tenants := v_tenants || v_tenant;
    v_upto := v_upto || case when v_called then v_last else v_last - 1 end;
  end loop;
  -- After the seqs are read: a seq drawn later may belong to a transaction younger than the barrier.
  return query select pg_current_xact_id(), t, u from unnest(v_tenants, v_upto) as x(t, u);
end $$;

-- True once every transaction older than the barrier has ended.
create function app_outbox_barrier_passed(p_barrier xid8) returns boolean
  language sql stable
  as $$ select pg_snapshot_xmin(pg_current_snapshot()) >= p_barrier $$;

-- Up to p_limit rows of a passed barrier's tenants, each up to its noted seq, in seq order per tenant,
-- taking the tenants in turn (round robin) so one tenant's backlog cannot hold up the others.
create function app_outbox_ready(p_tenants uuid[], p_upto bigint[], p_limit integer)
  returns table (tenant_id uuid, seq bigint, id uuid, type text, aggregate_type text, aggregate_id uuid,
                 payload jsonb, created_at timestamptz)
  language sql stable security definer set search_path = pg_catalog, public, pg_temp
  as $$
  with cut as (
    select * from unnest(p_tenants, p_upto) as c(tenant_id, upto)
  ), ready as (
    select o.tenant_id, o.seq, o.id, o.type, o.aggregate_type, o.aggregate_id, o.payload, o.created_at,
           row_number() over (partition by o.tenant_id order by o.seq) as turn
      from public.outbox o
      join cut c on c.tenant_id = o.tenant_id and o.seq <= c.upto
     where o.published_at is null
  )
  select r.tenant_id, r.seq, r.id, r.type, r.aggregate_type, r.aggregate_id, r.payload, r.created_at
    from ready r
   order by r.turn, r.tenant_id
   limit greatest(p_limit, 0)
$$;

-- Marks rows published once the broker acknowledged them; returns how many it marked.
create function app_outbox_mark_published(p_tenants uuid[], p_seqs bigint[]) returns integer
  language sql security definer set search_path = pg_catalog, public, pg_temp
  as $$
  with marked as (
    update public.outbox o set published_at = now()
      from unnest(p_tenants, p_seqs) as m(tenant_id, seq)
     where o.tenant_id = m.tenant_id and o.seq = m.seq and o.published_at is null
    returning 1
  )
  select count(*)::integer from marked
$$;

-- The backlog, for the metrics: rows not yet published and the creation time of the oldest.
create function app_outbox_backlog() returns table (pending bigint, oldest timestamptz)
  language sql stable security definer set search_path = pg_catalog, public, pg_temp
  as $$
  select count(*), min(o.created_at) from public.outbox o where o.published_at is null
$$;

-- Published rows are kept a while for inspection, then removed by the housekeeping job.
create function app_outbox_purge(p_older_than interval) returns integer
  language sql security definer set search_path = pg_catalog, public, pg_temp
  as $$
  with gone as (
    delete from public.outbox o where o.published_at < now() - p_older_than returning 1
  )
  select count(*)::integer from gone
$$;

revoke all on function app_outbox_barrier(), app_outbox_ready(uuid[], bigint[], integer),
  app_outbox_mark_published(uuid[], bigint[]), app_outbox_backlog(), app_outbox_purge(interval) from public;
grant execute on function app_outbox_barrier(), app_outbox_ready(uuid[], bigint[], integer),
  app_outbox_mark_published(uuid[], bigint[]), app_outbox_backlog(), app_outbox_purge(interval) to zakpos_app;

-- What each consumer has applied, by event id: a redelivered event (at-least-once) is applied once.
create table processed_events (
  tenant_id uuid not null references tenants (id),
  consumer text not null check (consumer ~ '^[a-z][a-z0-9_.-]{0,62}$'),
  event_id uuid not null,
  processed_at timestamptz not null default now(),
  primary key (tenant_id, consumer, event_id)
);
select app_isolate_tenant_tables('processed_events');
grant select, insert, delete on processed_events to zakpos_app;

-- Low-stock alerts, raised by the low-stock consumer of stock.changed when a level falls to or below its
-- threshold: one per product and store per day (the store's day in UTC), however often it crosses.
create table low_stock_alerts (
  tenant_id uuid not null references tenants (id),
  store_id uuid not null,
  product_id uuid not null,
  day date not null,
  on_hand bigint not null,
  threshold bigint not null check (threshold >= 0),
  event_id uuid not null,
  created_at timestamptz not null default now(),
  primary key (tenant_id, store_id, product_id, day),
  foreign key (tenant_id, store_id) references stores (tenant_id, id),
  foreign key (tenant_id, product_id) references products (tenant_id, id)
);
select app_isolate_tenant_tables('low_stock_alerts');
grant select, insert on low_stock_alerts to zakpos_app;
