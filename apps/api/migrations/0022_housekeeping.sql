-- Housekeeping across tenants (the repeatable `housekeeping` job, jobs/housekeeping.job.ts), through one
-- SECURITY DEFINER function and a door on each table it trims (a DELETE with a WHERE must also see the rows), open to this migration's role
-- (the function's owner) and no other.
do $$
begin
  execute format('create policy housekeeping_door on refresh_tokens to %I using (true)', current_user);
  execute format('create policy housekeeping_door on processed_events to %I using (true)', current_user);
end $$;

-- Removes refresh tokens expired longer than p_token_grace ago (they can no longer be used; their family's
-- theft detection ends with them), outbox rows published longer than p_outbox_keep ago, and consumers'
-- dedupe records older than p_processed_keep (a redelivery comes within minutes, never weeks). One row per
-- table with the number removed.
create function app_housekeeping(p_token_grace interval, p_outbox_keep interval, p_processed_keep interval)
  returns table (what text, removed integer)
  language plpgsql security definer set search_path = pg_catalog, public, pg_temp
  as $$
declare
  v_count integer;
begin
  delete from public.refresh_tokens t where t.expires_at < now() - p_token_grace;
  get diagnostics v_count = row_count;
  return query select 'refresh_tokens'::text, v_count;
  delete from public.outbox o where o.published_at < now() - p_outbox_keep;
  get diagnostics v_count = row_count;
  return query select 'outbox'::text, v_count;
  delete from public.processed_events p where p.processed_at < now() - p_processed_keep;
  get diagnostics v_count = row_count;
  return query select 'processed_events'::text, v_count;
end $$;
revoke all on function app_housekeeping(interval, interval, interval) from public;
grant execute on function app_housekeeping(interval, interval, interval) to zakpos_app;

-- 0021's purge is folded into app_housekeeping.
drop function app_outbox_purge(interval);
