-- Refresh tokens: opaque `<tenantId>.<secret>` strings stored only as the SHA-256 of the whole string.
-- A login starts a family; every refresh rotates to a new row of the same family. Presenting a rotated
-- token again is treated as theft and revokes the whole family.
create table refresh_tokens (
  tenant_id uuid not null,
  id uuid not null,
  user_id uuid not null,
  family_id uuid not null,
  token_hash text not null check (token_hash ~ '^[0-9a-f]{64}$'),
  -- Set for PIN sessions: the register the session is bound to.
  register_id uuid,
  expires_at timestamptz not null,
  rotated_at timestamptz,
  replaced_by uuid,
  revoked_at timestamptz,
  created_at timestamptz not null default now(),
  ip inet,
  user_agent text check (length(user_agent) <= 500),
  primary key (tenant_id, id),
  unique (tenant_id, token_hash),
  foreign key (tenant_id, user_id) references users (tenant_id, id) on delete cascade,
  foreign key (tenant_id, register_id) references registers (tenant_id, id) on delete cascade,
  foreign key (tenant_id, replaced_by) references refresh_tokens (tenant_id, id) on delete set null (replaced_by)
);
create index refresh_tokens_family on refresh_tokens (tenant_id, family_id);
create index refresh_tokens_user on refresh_tokens (tenant_id, user_id) where revoked_at is null;

select app_isolate_tenant_tables('refresh_tokens');

grant select, insert, update, delete on refresh_tokens to zakpos_app;
