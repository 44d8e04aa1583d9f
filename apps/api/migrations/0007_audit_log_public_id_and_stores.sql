-- The audit log, as a tenant sees it.
--
-- public_id: the entry's id in the API. audit_log.id comes from one identity sequence shared by every
-- tenant, so showing it let a tenant count the other tenants' activity between two of its own entries.
-- It stays, for ordering only; entries are named by a random UUID instead.
--
-- store_ids: the stores an entry concerns (null: none, a tenant-wide entry), so the log can be scoped
-- like every other store-bound read (a manager reads the entries of their stores). Recorded with the
-- entry; filled here for the entries already written, from what each one already names.

alter table audit_log add column public_id uuid not null default gen_random_uuid();
alter table audit_log add constraint audit_log_tenant_id_public_id_key unique (tenant_id, public_id);

alter table audit_log add column store_ids uuid[] check (cardinality(store_ids) > 0);

-- Row-level security is forced on the owner too, which would hide every row from this backfill; it is
-- lifted for this transaction only (the ALTERs hold their tables' exclusive locks until commit).
alter table audit_log no force row level security;
alter table registers no force row level security;

update audit_log set store_ids = array[entity_id::uuid]
 where entity_type = 'store' and entity_id is not null;
update audit_log a set store_ids = array[r.store_id]
  from registers r
 where a.entity_type = 'register' and r.tenant_id = a.tenant_id and r.id::text = a.entity_id;
update audit_log set store_ids = array[(data ->> 'storeId')::uuid]
 where entity_type in ('stock_adjustment', 'stock_count') and data ? 'storeId';
update audit_log set store_ids = array[(data ->> 'fromStoreId')::uuid, (data ->> 'toStoreId')::uuid]
 where entity_type = 'transfer' and data ? 'fromStoreId' and data ? 'toStoreId';

alter table audit_log force row level security;
alter table registers force row level security;
