-- Sessions and login throttling (issue 9, findings 4, 6 and 9).

-- 1. Session versions. Every access token carries the version of its user at signing; every unit of work
-- opened for a request checks it (app_session_check, in the same round trip as BEGIN). Losing rights ends
-- every access token at once: a change of role, active flag or password, or a store taken away, bumps the
-- version here, whoever writes the row. An administrator's change of another user's email or PIN bumps it
-- explicitly (the API).
alter table users add column session_version integer not null default 1 check (session_version > 0);

create function users_bump_session_version() returns trigger
  language plpgsql set search_path = pg_catalog, public, pg_temp
  as $$
begin
  if new.role is distinct from old.role
     or new.active is distinct from old.active
     or new.password_hash is distinct from old.password_hash then
    new.session_version := old.session_version + 1;
  end if;
  return new;
end $$;

create trigger users_session_version before update on users
  for each row execute function users_bump_session_version();

-- Stores are replaced by delete + insert; the delete is what takes a store away. Adding a store leaves old
-- tokens with fewer stores than the user has, which gives nothing away.
create function user_stores_bump_session_version() returns trigger
  language plpgsql set search_path = pg_catalog, public, pg_temp
  as $$
begin
  update public.users u set session_version = u.session_version + 1
   where (u.tenant_id, u.id) in (select distinct r.tenant_id, r.user_id from removed r);
  return null;
end $$;

create trigger user_stores_session_version after delete on user_stores
  referencing old table as removed
  for each statement execute function user_stores_bump_session_version();

-- Raises ZA001 unless the user of the current tenant is active and still at the token's version. Runs as
-- the caller, under row-level security: one primary-key lookup.
create function app_session_check(p_user_id uuid, p_version integer) returns void
  language plpgsql stable set search_path = pg_catalog, public, pg_temp
  as $$
begin
  perform 1 from public.users u
   where u.tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid
     and u.id = p_user_id and u.active and u.session_version = p_version;
  if not found then
    raise exception 'session ended' using errcode = 'ZA001';
  end if;
end $$;

revoke all on function app_session_check(uuid, integer) from public;
grant execute on function app_session_check(uuid, integer) to zakpos_app;

-- The hard per-account lock (one counter for passwords and PINs) is replaced by the throttles below.
alter table users drop column failed_login_count, drop column locked_until;

-- 2. Throttling of failed attempts, shared by every API instance. A failure of `kind` (password, pin,
-- email_check) counts in up to three scopes: the account from every source, the account from one source,
-- and one source for every account. Within a scope, failures after the first `free_failures` each block
-- the scope for base · 2^(n - free - 1) seconds, at most `max_delay_seconds`; a series is forgotten after
-- `forget_after_seconds` without a failure. A blocked scope answers 429 with Retry-After before any secret
-- is checked. The numbers are argued in apps/api/src/auth/throttle.repository.ts.
create table auth_throttle_policies (
  kind text not null,
  scope text not null check (scope in ('account', 'account_source', 'source')),
  free_failures integer not null check (free_failures >= 0),
  base_delay_seconds integer not null check (base_delay_seconds > 0),
  max_delay_seconds integer not null check (max_delay_seconds >= base_delay_seconds),
  forget_after_seconds integer not null check (forget_after_seconds >= max_delay_seconds),
  primary key (kind, scope)
);

insert into auth_throttle_policies values
  ('password', 'account_source', 4, 30, 900, 3600),
  ('password', 'account', 20, 1, 60, 3600),
  ('password', 'source', 100, 1, 900, 3600),
  ('pin', 'account', 4, 30, 3600, 86400),
  ('pin', 'source', 20, 1, 900, 3600),
  ('email_check', 'account', 10, 60, 3600, 3600),
  ('email_check', 'source', 20, 60, 3600, 3600);

-- Cross-tenant (sources are not tenant-bound), with emails and IP addresses: reachable only through the
-- SECURITY DEFINER functions below, like login_identities. `account` is '' in a source scope, `source`
-- is '' in an account scope.
create table auth_throttles (
  kind text not null,
  account text not null,
  source text not null,
  failures integer not null check (failures > 0),
  last_failure_at timestamptz not null,
  blocked_until timestamptz,
  -- When the row no longer matters (series forgotten, block over): swept by auth_throttle_fail.
  expires_at timestamptz not null,
  primary key (kind, account, source)
);
create index auth_throttles_expiry on auth_throttles (expires_at);

revoke all on table auth_throttles, auth_throttle_policies from public;
do $$
begin
  if exists (select 1 from pg_roles where rolname = 'zakpos_readonly') then
    revoke all on table auth_throttles, auth_throttle_policies from zakpos_readonly;
  end if;
end
$$;

-- Seconds until an attempt of `kind` on this account from this source may be checked (0: now).
create function auth_throttle_wait(p_kind text, p_account text, p_source text) returns integer
  language sql stable security definer set search_path = pg_catalog, public, pg_temp
  as $$
  select coalesce(max(ceil(extract(epoch from t.blocked_until - now()))), 0)::integer
    from public.auth_throttles t
   where t.kind = p_kind and t.blocked_until > now()
     and ((t.account = p_account and p_account <> '' and t.source in ('', p_source))
          or (t.account = '' and t.source = p_source and p_source <> ''))
$$;

-- Counts a failure in every scope the kind has a policy for; returns the longest block it set, in seconds.
create function auth_throttle_fail(p_kind text, p_account text, p_source text) returns integer
  language plpgsql security definer set search_path = pg_catalog, public, pg_temp
  as $$
declare
  p public.auth_throttle_policies;
  v_account text;
  v_source text;
  v_failures integer;
  v_delay integer;
  v_longest integer := 0;
begin
  for p in select * from public.auth_throttle_policies ap where ap.kind = p_kind order by ap.scope loop
    v_account := case when p.scope = 'source' then '' else p_account end;
    v_source := case when p.scope = 'account' then '' else p_source end;
    continue when (p.scope <> 'source' and v_account = '') or (p.scope <> 'account' and v_source = '');

    insert into public.auth_throttles as t (kind, account, source, failures, last_failure_at, expires_at)
    values (p_kind, v_account, v_source, 1, now(), now())
    on conflict (kind, account, source) do update
      set failures = case
            when t.last_failure_at > now() - make_interval(secs => p.forget_after_seconds) then t.failures + 1
            else 1 end,
          last_failure_at = now()
    returning t.failures into v_failures;

    v_delay := case
      when v_failures <= p.free_failures then 0
      else least(p.max_delay_seconds::float8,
                 p.base_delay_seconds * power(2::float8, least(v_failures - p.free_failures - 1, 30)))::integer
    end;
    update public.auth_throttles t
       set blocked_until = case when v_delay > 0 then greatest(t.blocked_until, now() + make_interval(secs => v_delay))
                                else t.blocked_until end,
           expires_at = now() + make_interval(secs => p.forget_after_seconds)
     where t.kind = p_kind and t.account = v_account and t.source = v_source;
    v_longest := greatest(v_longest, v_delay);
  end loop;

  delete from public.auth_throttles t
   where (t.kind, t.account, t.source) in (
     select x.kind, x.account, x.source from public.auth_throttles x
      where x.expires_at < now() and (x.blocked_until is null or x.blocked_until < now())
      limit 100);
  return v_longest;
end $$;

-- A success: the account's series end, from every source and from this one. The source's own series
-- stays (an attacker's own account must not clear the source it sprays from).
create function auth_throttle_clear(p_kind text, p_account text, p_source text) returns void
  language sql security definer set search_path = pg_catalog, public, pg_temp
  as $$
  delete from public.auth_throttles t
   where t.kind = p_kind and t.account = p_account and p_account <> '' and t.source in ('', p_source)
$$;

-- The secret was replaced (an administrator's reset): every series against the account ends.
create function auth_throttle_forget_account(p_kind text, p_account text) returns void
  language sql security definer set search_path = pg_catalog, public, pg_temp
  as $$
  delete from public.auth_throttles t where t.kind = p_kind and t.account = p_account and p_account <> ''
$$;

revoke all on function auth_throttle_wait(text, text, text), auth_throttle_fail(text, text, text),
  auth_throttle_clear(text, text, text), auth_throttle_forget_account(text, text) from public;
grant execute on function auth_throttle_wait(text, text, text), auth_throttle_fail(text, text, text),
  auth_throttle_clear(text, text, text), auth_throttle_forget_account(text, text) to zakpos_app;
