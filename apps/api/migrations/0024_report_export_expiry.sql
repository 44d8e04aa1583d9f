-- Report exports are kept a day (reports/export-expiry.job.ts). The hourly job finds the expired ones of every
-- tenant through one SECURITY DEFINER function and a door on the table open to this migration's role (the
-- function's owner) and no other, removes each one's file, then deletes its row in the tenant's own unit of
-- work: a row is never gone while its file stays.
do $$
begin
  execute format('create policy housekeeping_door on report_exports to %I using (true)', current_user);
end $$;

create function app_report_exports_expired(p_keep interval, p_limit integer)
  returns table (tenant_id uuid, id uuid, file_key text)
  language sql stable security definer set search_path = pg_catalog, public, pg_temp
  as $$
    select e.tenant_id, e.id, e.file_key from public.report_exports e
     where e.created_at < now() - p_keep
     order by e.created_at
     limit p_limit
  $$;
revoke all on function app_report_exports_expired(interval, integer) from public;
grant execute on function app_report_exports_expired(interval, integer) to zakpos_app;

create index report_exports_created on report_exports (created_at);
grant delete on report_exports to zakpos_app;
