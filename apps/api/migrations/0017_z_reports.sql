-- Z reports: the figures of a cash session, taken once in the unit of work that closes it and stored as
-- they were (cash/cash-report.ts builds them; an X report is the same figures read live, never stored).
-- Numbered per register without gaps, like receipts: the counter row is taken in the closing
-- transaction and rolls back with it.
alter table register_counters add column last_z_number bigint not null default 0 check (last_z_number >= 0);

create table z_reports (
  tenant_id uuid not null references tenants (id),
  id uuid not null,
  register_id uuid not null,
  store_id uuid not null,
  cash_session_id uuid not null,
  z_number bigint not null check (z_number >= 1),
  report jsonb not null,
  created_by uuid not null,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, register_id, z_number),
  unique (tenant_id, cash_session_id),
  foreign key (tenant_id, register_id) references registers (tenant_id, id),
  foreign key (tenant_id, store_id) references stores (tenant_id, id),
  foreign key (tenant_id, cash_session_id) references cash_sessions (tenant_id, id),
  foreign key (tenant_id, created_by) references users (tenant_id, id)
);

select app_isolate_tenant_tables('z_reports');

-- A Z report is never changed or removed.
grant select, insert on z_reports to zakpos_app;
