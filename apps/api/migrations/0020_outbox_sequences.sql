-- Outbox seqs without a lock held to the commit. 0014 numbered a tenant's events from one counter row,
-- which every sale of the tenant locked from its outbox write to its commit: the tenant's commits queued
-- one behind another, each waiting for the previous one's WAL flush (the checkout benchmark's ceiling).
--
-- Now each tenant has its own PostgreSQL sequence (outbox_seq_<tenant id without dashes>, created by its
-- first event): seqs increase per tenant, are never shared with another tenant, and take no lock. They
-- follow the order the events were written, not the order their transactions commit, and a rolled-back
-- event leaves a gap; so each row also records its transaction (xid), and the relay publishes a row only
-- once every transaction older than the oldest one still running has ended (pg_snapshot_xmin), in seq
-- order: a row that commits late with a lower seq is never skipped.
create function app_next_event_seq() returns bigint
  language plpgsql security definer set search_path = pg_catalog, public, pg_temp
  as $$
declare
  v_tenant uuid := nullif(current_setting('app.tenant_id', true), '')::uuid;
  v_name text;
begin
  if v_tenant is null then
    raise exception 'an event needs the tenant of the unit of work' using errcode = '42501';
  end if;
  v_name := 'public.outbox_seq_' || replace(v_tenant::text, '-', '');
  if to_regclass(v_name) is null then
    begin
      execute format('create sequence if not exists %s', v_name);
    exception when unique_violation or duplicate_table then
      null; -- a concurrent first event created it
    end;
  end if;
  return nextval(v_name);
end $$;
revoke all on function app_next_event_seq() from public;
grant execute on function app_next_event_seq() to zakpos_app;

alter table outbox alter column seq set default app_next_event_seq();
alter table outbox add column xid xid8 not null default pg_current_xact_id();

-- Existing tenants' sequences continue after their last seq.
alter table tenants no force row level security;
do $$
declare
  t record;
begin
  for t in select tenant_id, max(seq) as last from outbox group by tenant_id loop
    execute format('create sequence public.outbox_seq_%s start %s', replace(t.tenant_id::text, '-', ''), t.last + 1);
  end loop;
end $$;
alter table tenants force row level security;

drop table tenant_counters;
