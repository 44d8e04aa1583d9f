-- Core tenancy: tenants, stores, registers, users, the global login index and the audit log.
-- Every tenant-owned table: tenant_id first in every key, ENABLE + FORCE row-level security,
-- one policy on current_setting('app.tenant_id', true). The API's role zakpos_app has no BYPASSRLS.

create extension if not exists citext;

-- Row-level security for tenant-owned tables: ENABLE + FORCE and the one isolation policy on
-- app.tenant_id. Every migration that adds a tenant table calls it.
create function app_isolate_tenant_tables(variadic p_tables regclass[]) returns void
  language plpgsql
  as $$
declare t regclass;
begin
  foreach t in array p_tables loop
    execute format('alter table %s enable row level security', t);
    execute format('alter table %s force row level security', t);
    execute format($p$create policy tenant_isolation on %s
      using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
      with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)$p$, t);
  end loop;
end $$;
revoke all on function app_isolate_tenant_tables(regclass[]) from public;

create table tenants (
  id uuid primary key,
  name text not null check (length(name) between 1 and 120),
  currency char(3) not null check (currency ~ '^[A-Z]{3}$'),
  locale text not null default 'en-US' check (length(locale) between 2 and 35),
  prices_include_tax boolean not null default true,
  -- Cash payments are rounded to a multiple of this many minor units (1 = no rounding).
  cash_rounding_increment integer not null default 1 check (cash_rounding_increment between 1 and 100000),
  -- Weighted EAN-13 prefixes: [{"prefix":"21","kind":"weight"|"price"}]
  weighted_barcode_prefixes jsonb not null default '[]'::jsonb,
  created_at timestamptz not null default now()
);
alter table tenants enable row level security;
alter table tenants force row level security;
create policy tenant_isolation on tenants
  using (id = nullif(current_setting('app.tenant_id', true), '')::uuid)
  with check (id = nullif(current_setting('app.tenant_id', true), '')::uuid);

create table stores (
  tenant_id uuid not null references tenants (id),
  id uuid not null,
  code text not null check (code ~ '^[A-Z0-9][A-Z0-9_-]{0,19}$'),
  name text not null check (length(name) between 1 and 120),
  time_zone text not null default 'UTC',
  address text check (length(address) <= 500),
  oversell_policy text not null default 'allow_negative' check (oversell_policy in ('allow_negative', 'refuse')),
  active boolean not null default true,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, code)
);

create table registers (
  tenant_id uuid not null,
  id uuid not null,
  store_id uuid not null,
  name text not null check (length(name) between 1 and 120),
  active boolean not null default true,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, store_id, name),
  foreign key (tenant_id, store_id) references stores (tenant_id, id)
);

create table users (
  tenant_id uuid not null references tenants (id),
  id uuid not null,
  email citext not null check (length(email) <= 254),
  name text not null check (length(name) between 1 and 120),
  role text not null check (role in ('owner', 'manager', 'cashier')),
  password_hash text not null,
  pin_hash text,
  active boolean not null default true,
  -- Growing lockout after repeated failed logins (see the auth module).
  failed_login_count integer not null default 0,
  locked_until timestamptz,
  password_changed_at timestamptz not null default now(),
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, email)
);

create table user_stores (
  tenant_id uuid not null,
  user_id uuid not null,
  store_id uuid not null,
  primary key (tenant_id, user_id, store_id),
  foreign key (tenant_id, user_id) references users (tenant_id, id) on delete cascade,
  foreign key (tenant_id, store_id) references stores (tenant_id, id)
);

-- Append-only record of money- and security-relevant actions.
create table audit_log (
  tenant_id uuid not null references tenants (id),
  id bigint generated always as identity,
  at timestamptz not null default now(),
  actor_user_id uuid,
  action text not null,
  entity_type text not null,
  entity_id text,
  ip inet,
  user_agent text,
  data jsonb not null default '{}'::jsonb,
  primary key (tenant_id, id)
);
create index audit_log_at on audit_log (tenant_id, at desc);

select app_isolate_tenant_tables('stores', 'registers', 'users', 'user_stores', 'audit_log');

grant select, insert, update on tenants to zakpos_app;
grant select, insert, update, delete on stores, registers, users, user_stores to zakpos_app;
grant select, insert on audit_log to zakpos_app;

-- Email → tenant index for login. Not tenant-owned and not granted to the app role:
-- reached only through the SECURITY DEFINER functions below.
create table login_identities (
  email citext primary key,
  tenant_id uuid not null,
  user_id uuid not null,
  unique (tenant_id, user_id)
);

-- Which tenant and user an email belongs to (login). Reveals nothing beyond the two ids.
create function auth_lookup_email(p_email text)
  returns table (tenant_id uuid, user_id uuid)
  language sql stable security definer set search_path = pg_catalog, public
  as $$ select li.tenant_id, li.user_id from public.login_identities li where li.email = p_email::citext $$;

-- Claim or move an email for a user of the current tenant. Raises unique_violation when taken.
create function auth_claim_email(p_email text, p_user_id uuid)
  returns void
  language plpgsql security definer set search_path = pg_catalog, public
  as $$
declare
  v_tenant uuid := nullif(current_setting('app.tenant_id', true), '')::uuid;
begin
  if v_tenant is null then
    raise exception 'no tenant context' using errcode = '42501';
  end if;
  if not exists (select 1 from public.users u where u.tenant_id = v_tenant and u.id = p_user_id) then
    raise exception 'user % is not in the current tenant', p_user_id using errcode = '42501';
  end if;
  delete from public.login_identities where tenant_id = v_tenant and user_id = p_user_id;
  insert into public.login_identities (email, tenant_id, user_id) values (p_email::citext, v_tenant, p_user_id);
end $$;

revoke all on function auth_lookup_email(text), auth_claim_email(text, uuid) from public;
grant execute on function auth_lookup_email(text), auth_claim_email(text, uuid) to zakpos_app;
