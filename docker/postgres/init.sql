-- ZakPOS database roles, database and extensions, run once by the superuser when the cluster is
-- created (docker/postgres/init.sh runs it from /docker-entrypoint-initdb.d with psql). Re-runnable.
-- Mirrors apps/api/src/db/bootstrap.ts (the embedded default) and adds the read-only role.
--
-- psql variables (-v), all required:
--   db_name            the application database
--   owner_password     zakpos_owner: owns the database and schema public, runs the migrations
--   app_password       zakpos_app: what the API logs in as (CONNECT + USAGE; tables granted by migrations)
--   readonly_password  zakpos_readonly: reporting; SELECT on the tables zakpos_owner creates
--
-- None of the three is superuser or has BYPASSRLS, and only zakpos_owner owns anything. Every tenant
-- table has row-level security ENABLEd and FORCEd, so zakpos_readonly, like zakpos_app, sees no tenant
-- row unless its transaction sets app.tenant_id (`select set_config('app.tenant_id', '<uuid>', true)`),
-- and then only that tenant's rows. Whole-database backups (pg_dump) therefore run as the postgres
-- superuser over the container's socket, not as zakpos_readonly.
\set ON_ERROR_STOP on

-- Passwords travel in these statements: keep them out of the server log whatever the log settings.
set log_statement = 'none';
set log_min_duration_statement = -1;

select format(
         '%s role %I login nosuperuser nocreatedb nocreaterole noreplication nobypassrls password %L',
         case when exists (select 1 from pg_roles where rolname = r.name) then 'alter' else 'create' end,
         r.name, r.password)
  from (values ('zakpos_owner', :'owner_password'),
               ('zakpos_app', :'app_password'),
               ('zakpos_readonly', :'readonly_password')) as r (name, password)
\gexec

select format('create database %I owner zakpos_owner encoding %L template template0', :'db_name', 'UTF8')
 where not exists (select 1 from pg_database where datname = :'db_name')
\gexec
-- The image's POSTGRES_DB may have created it already, owned by the superuser.
alter database :"db_name" owner to zakpos_owner;
revoke all on database :"db_name" from public;
grant connect on database :"db_name" to zakpos_app, zakpos_readonly;

\connect :"db_name"
set log_statement = 'none';
set log_min_duration_statement = -1;

-- Extensions need a superuser (pg_stat_statements) or are created here once for all (citext; migration
-- 0001 repeats it with `if not exists`). pg_stat_statements also needs shared_preload_libraries.
create extension if not exists pg_stat_statements;
create extension if not exists citext;

alter schema public owner to zakpos_owner;
revoke create on schema public from public;
grant usage on schema public to zakpos_app, zakpos_readonly;

-- Read-only reporting: every table and sequence the migrations create (as zakpos_owner) from now on.
-- Tenant tables stay behind row-level security; the few tables without it are readable in full, except
-- login_identities (email -> tenant), which migration 0005 takes back. The test
-- docker/postgres/postgres.int.spec.ts lists them, so a new one is a deliberate choice.
alter default privileges for role zakpos_owner in schema public
  grant select on tables to zakpos_readonly;
alter default privileges for role zakpos_owner in schema public
  grant select on sequences to zakpos_readonly;
-- And what already exists, when run again on a migrated database.
grant select on all tables in schema public to zakpos_readonly;
grant select on all sequences in schema public to zakpos_readonly;
