#!/bin/sh
# Runs docker/postgres/init.sql with the passwords read from the Docker secret files. Mounted as
# /docker-entrypoint-initdb.d/10-zakpos-init.sh (the postgres image runs it once, as the postgres OS
# user, against its temporary server on the local socket) with init.sql at /etc/postgresql/init.sql.
#
#   ZAKPOS_DB_NAME                    database to create (default: $POSTGRES_DB, else zakpos)
#   POSTGRES_OWNER_PASSWORD_FILE      default /run/secrets/postgres_owner_password
#   POSTGRES_APP_PASSWORD_FILE        default /run/secrets/postgres_app_password
#   POSTGRES_READONLY_PASSWORD_FILE   default /run/secrets/postgres_readonly_password
#   ZAKPOS_INIT_SQL                   default /etc/postgresql/init.sql
set -eu

# Marks the data directory until the roles and the database exist; docker/postgres/entrypoint.sh empties a
# marked directory on the next start, so a failed initialisation is run again instead of taken as done.
marker="${PGDATA:+$PGDATA/zakpos-init.incomplete}"
[ -z "$marker" ] || : >"$marker"

secret() {
  if [ ! -r "$1" ]; then
    echo "zakpos init: cannot read the secret file $1 as uid $(id -u): scripts/setup writes it readable by its reader" >&2
    exit 1
  fi
  if [ ! -s "$1" ]; then
    echo "zakpos init: secret file $1 is missing or empty" >&2
    exit 1
  fi
  cat "$1"
}

db_name="${ZAKPOS_DB_NAME:-${POSTGRES_DB:-zakpos}}"
if [ "$db_name" = postgres ]; then
  echo "zakpos init: set POSTGRES_DB or ZAKPOS_DB_NAME to the application database, not postgres" >&2
  exit 1
fi
owner_password="$(secret "${POSTGRES_OWNER_PASSWORD_FILE:-/run/secrets/postgres_owner_password}")"
app_password="$(secret "${POSTGRES_APP_PASSWORD_FILE:-/run/secrets/postgres_app_password}")"
readonly_password="$(secret "${POSTGRES_READONLY_PASSWORD_FILE:-/run/secrets/postgres_readonly_password}")"

echo "zakpos init: roles, database $db_name and extensions"
psql --no-psqlrc --quiet --set ON_ERROR_STOP=1 \
  --username "${POSTGRES_USER:-postgres}" --dbname postgres \
  --set db_name="$db_name" \
  --set owner_password="$owner_password" \
  --set app_password="$app_password" \
  --set readonly_password="$readonly_password" \
  --file "${ZAKPOS_INIT_SQL:-/etc/postgresql/init.sql}"
[ -z "$marker" ] || rm -f "$marker"
