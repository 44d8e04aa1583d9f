-- The time a unit of work records: the transaction's start (now()), or a business time set for it in
-- app.now. Only a seed sets it (TenantScope.at, db/database.ts), to write past days of trading through
-- the same code as live selling, so the demo's history is as consistent as the real thing: the sale,
-- its journal entry, its stock movements, its cash session and Z report all carry the same day.
create function app_now() returns timestamptz
  language sql stable
  as $$ select coalesce(nullif(current_setting('app.now', true), '')::timestamptz, now()) $$;
grant execute on function app_now() to zakpos_app;

alter table sales alter column created_at set default app_now();
alter table refunds alter column created_at set default app_now();
alter table sale_voids alter column created_at set default app_now();
alter table journal_entries alter column posted_at set default app_now();
alter table stock_movements alter column created_at set default app_now();
alter table cash_sessions alter column opened_at set default app_now();
alter table cash_movements alter column created_at set default app_now();
alter table z_reports alter column created_at set default app_now();
alter table outbox alter column created_at set default app_now();
alter table audit_log alter column at set default app_now();
