#!/usr/bin/env bash
# TEST-ONLY stand-in for the entrypoint of the official postgres image, written for this project: the parts of
# its contract the ZakPOS stack relies on. `postgres ...` (or only flags) as the command:
# - as root: hands PGDATA and the socket folder to the postgres user, then runs itself again as postgres (gosu);
# - on an empty PGDATA: initdb as POSTGRES_USER (default postgres) with POSTGRES_PASSWORD or the file named by
#   POSTGRES_PASSWORD_FILE, a temporary server on the socket only (listen_addresses='') started with the
#   command's own flags, POSTGRES_DB created, each /docker-entrypoint-initdb.d/*.sh run (executed when
#   executable, sourced otherwise) and *.sql fed to psql, the temporary server stopped;
# - then exec's the command. Anything else as the command is exec'd as it is.
set -Eeo pipefail

# file_env VAR [DEFAULT]: VAR from itself or from the file VAR_FILE names, never both.
file_env() {
  local var="$1" file_var="${1}_FILE" def="${2:-}" val
  if [ -n "${!var:-}" ] && [ -n "${!file_var:-}" ]; then
    echo "error: both $var and $file_var are set (but are exclusive)" >&2
    exit 1
  fi
  val="$def"
  if [ -n "${!var:-}" ]; then
    val="${!var}"
  elif [ -n "${!file_var:-}" ]; then
    val="$(<"${!file_var}")"
  fi
  export "$var=$val"
  unset "$file_var"
}

if [ "${1:0:1}" = '-' ]; then set -- postgres "$@"; fi
if [ "$1" != postgres ]; then exec "$@"; fi

if [ "$(id -u)" = 0 ]; then
  mkdir -p "$PGDATA" /var/run/postgresql
  chown -R postgres:postgres "$PGDATA" /var/run/postgresql
  chmod 700 "$PGDATA"
  chmod 2775 /var/run/postgresql
  exec gosu postgres "$BASH_SOURCE" "$@"
fi

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  file_env POSTGRES_PASSWORD
  file_env POSTGRES_USER postgres
  file_env POSTGRES_DB "$POSTGRES_USER"
  if [ -z "$POSTGRES_PASSWORD" ]; then
    echo 'error: database is uninitialized and no superuser password is given (POSTGRES_PASSWORD[_FILE])' >&2
    exit 1
  fi
  mkdir -p "$PGDATA"
  chmod 700 "$PGDATA"
  initdb --username="$POSTGRES_USER" --pwfile=<(printf '%s\n' "$POSTGRES_PASSWORD") \
    --auth-local=peer --auth-host=scram-sha-256 ${POSTGRES_INITDB_ARGS:-}

  # The temporary server: the command's flags (config_file, hba_file), reachable on the socket only.
  temp_args=("${@:2}" -c listen_addresses='' -p "${PGPORT:-5432}")
  pg_ctl -D "$PGDATA" -o "$(printf '%q ' "${temp_args[@]}")" -w start
  psql=(psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --no-password --no-psqlrc)
  if [ "$POSTGRES_DB" != postgres ]; then
    "${psql[@]}" --dbname postgres --set db="$POSTGRES_DB" <<<'CREATE DATABASE :"db" ;'
  fi
  export PGUSER="$POSTGRES_USER" PGDATABASE="$POSTGRES_DB"
  for f in /docker-entrypoint-initdb.d/*; do
    case "$f" in
      *.sh)
        if [ -x "$f" ]; then
          echo "$0: running $f"
          "$f"
        else
          echo "$0: sourcing $f"
          # shellcheck disable=SC1090
          . "$f"
        fi
        ;;
      *.sql)
        echo "$0: running $f"
        "${psql[@]}" --dbname "$POSTGRES_DB" -f "$f"
        ;;
      *) [ "$f" = '/docker-entrypoint-initdb.d/*' ] || echo "$0: ignoring $f" ;;
    esac
  done
  pg_ctl -D "$PGDATA" -m fast -w stop
  unset PGUSER PGDATABASE
  echo 'PostgreSQL init process complete; ready for start up.'
fi

exec "$@"
