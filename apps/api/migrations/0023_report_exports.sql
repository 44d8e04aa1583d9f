-- Report exports (reports/report-export.service.ts): a report written as a CSV file by a background job,
-- its progress as the job writes it, and where the file is kept (export storage, by file_key).
create table report_exports (
  tenant_id uuid not null references tenants (id),
  id uuid not null,
  report text not null,
  from_date date not null,
  to_date date not null check (to_date >= from_date),
  store_ids uuid[] not null,
  requested_by uuid not null,
  -- Tells a retry of the request from another request under the same id (sales/request-hash.ts).
  request_hash text not null,
  status text not null default 'queued' check (status in ('queued', 'running', 'completed', 'failed')),
  rows_written integer not null default 0 check (rows_written >= 0),
  total_rows integer check (total_rows >= 0),
  bytes bigint check (bytes >= 0),
  file_key text,
  error text,
  created_at timestamptz not null default now(),
  completed_at timestamptz,
  primary key (tenant_id, id),
  foreign key (tenant_id, requested_by) references users (tenant_id, id),
  check ((status = 'completed') = (file_key is not null and bytes is not null and completed_at is not null))
);
create index report_exports_by_user on report_exports (tenant_id, requested_by, created_at desc);
select app_isolate_tenant_tables('report_exports');
grant select, insert, update on report_exports to zakpos_app;
