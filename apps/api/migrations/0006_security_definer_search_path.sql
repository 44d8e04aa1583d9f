-- SECURITY DEFINER functions run as the schema owner. PostgreSQL searches the caller's temporary schema
-- first unless the search path names pg_temp, so where the API role may create temporary objects
-- (PostgreSQL's default for PUBLIC on a new database) a temporary table or domain named like one these
-- functions used unqualified (stock_levels, stores, citext) ran the caller's code as the owner: enough to
-- disable row-level security or read every tenant's login_identities. The same functions again, with
-- pg_temp searched last and every table and type of ours named with its schema. Functions and operators
-- are never looked up in pg_temp, and pg_catalog comes first, so built-ins cannot be shadowed.
-- `create or replace` keeps each function's owner, grants and the trigger that calls it.
-- The test apps/api/src/db/security-definer.int.spec.ts checks every SECURITY DEFINER function's path.

create or replace function stock_movements_apply() returns trigger
  language plpgsql security definer set search_path = pg_catalog, public, pg_temp
  as $$
declare
  v_on_hand bigint;
  v_policy text;
begin
  insert into public.stock_levels as l (tenant_id, store_id, product_id, on_hand)
  values (new.tenant_id, new.store_id, new.product_id, new.quantity)
  on conflict (tenant_id, store_id, product_id)
  do update set on_hand = l.on_hand + excluded.on_hand, updated_at = now()
  returning l.on_hand into v_on_hand;

  if new.quantity < 0 and v_on_hand < 0 then
    select s.oversell_policy into v_policy
      from public.stores s where s.tenant_id = new.tenant_id and s.id = new.store_id;
    if v_policy = 'refuse' then
      raise exception 'insufficient stock'
        using errcode = 'ZI001',
              detail = json_build_object(
                'storeId', new.store_id,
                'productId', new.product_id,
                'available', v_on_hand - new.quantity,
                'requested', -new.quantity)::text;
    end if;
  end if;
  return null;
end $$;

create or replace function auth_lookup_email(p_email text)
  returns table (tenant_id uuid, user_id uuid)
  language sql stable security definer set search_path = pg_catalog, public, pg_temp
  as $$ select li.tenant_id, li.user_id from public.login_identities li where li.email = p_email::public.citext $$;

create or replace function auth_claim_email(p_email text, p_user_id uuid)
  returns void
  language plpgsql security definer set search_path = pg_catalog, public, pg_temp
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
  insert into public.login_identities (email, tenant_id, user_id)
  values (p_email::public.citext, v_tenant, p_user_id);
end $$;
