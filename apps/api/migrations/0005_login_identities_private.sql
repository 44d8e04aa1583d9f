-- login_identities maps every email to its tenant: cross-tenant personal data that only the SECURITY DEFINER
-- login functions may read. The reporting role of the container stack (zakpos_readonly, docker/postgres/init.sql)
-- receives SELECT on every new table by default privileges; take it back here. The role does not exist in the
-- embedded default, hence the check.
do $$
begin
  if exists (select 1 from pg_roles where rolname = 'zakpos_readonly') then
    revoke all on table login_identities from zakpos_readonly;
  end if;
end
$$;
