# shellcheck shell=bash
# Shared by scripts/backup, scripts/restore, scripts/health and scripts/cleanup (sourced, not run).
#
# Where the service commands run: the ONE switch, ZAKPOS_TARGET.
#   compose (default)  each command runs inside its service's container with `docker compose exec -T`: the prod
#                      stack publishes no database or Redis port, and pg_hba.conf refuses the postgres superuser
#                      over the network, so the superuser is reached only inside the postgres container, over
#                      the unix socket by peer authentication. redis-cli reads the password from the
#                      container's /run/secrets/redis_password.
#                      COMPOSE_FILES    compose files (default: docker-compose.yml docker-compose.prod.yml)
#                      COMPOSE_ENV_FILE env file (default: .env, the filled-in copy of .env.prod that
#                                       docs/operations.md has you make); both relative to the repository root
#   host               the very same commands run directly on this machine against servers it can reach. For
#                      installs without containers, and for the tests (this project's CI runs no Docker
#                      engine: they start PostgreSQL and redis-server from the system binaries).
#                      PGHOST, PGPORT         the PostgreSQL socket directory and port (superuser by peer auth)
#                      PG_RUN_AS              OS user the PostgreSQL client tools run as (peer auth), optional
#                      REDIS_HOST, REDIS_PORT, REDIS_PASSWORD_FILE, REDIS_DATA_DIR (Redis's `dir`)
#                      REDIS_STOP_CMD, REDIS_START_CMD   shell commands stopping/starting redis-server (restore)
#                      UPLOADS_DIR            the API's uploads directory
# Common: POSTGRES_DB (default zakpos), PG_SUPERUSER (default postgres).

ZAKPOS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ZAKPOS_TARGET="${ZAKPOS_TARGET:-compose}"
# A path as given when absolute, else relative to the repository root.
root_path() { if [[ "$1" = /* ]]; then echo "$1"; else echo "$ZAKPOS_ROOT/${1#./}"; fi; }
COMPOSE_ENV_PATH="$(root_path "${COMPOSE_ENV_FILE:-.env}")"

# Compose mode: POSTGRES_DB, ZAKPOS_VERSION and BACKUP_* not set in the environment are read from the
# stack's env file, so an operator sets them in one place (.env.example documents them).
if [[ "$ZAKPOS_TARGET" = compose && -f "$COMPOSE_ENV_PATH" ]]; then
  while IFS='=' read -r key value; do
    [[ "$key" =~ ^(POSTGRES_DB|ZAKPOS_VERSION|BACKUP_[A-Z_]+)$ && -z "${!key+set}" ]] || continue
    value="${value%\"}"
    value="${value#\"}"
    export "$key=$value"
  done <"$COMPOSE_ENV_PATH"
  unset key value
fi
POSTGRES_DB="${POSTGRES_DB:-zakpos}"
PG_SUPERUSER="${PG_SUPERUSER:-postgres}"
# Paths inside the containers (docker-compose.yml volumes).
REDIS_CONTAINER_DIR=/data
UPLOADS_CONTAINER_DIR=/var/lib/zakpos/uploads

SCRIPT_NAME="$(basename "$0")"
step() { printf 'step: %s\n' "$*"; }
info() { printf '  %s\n' "$*"; }
die() {
  printf '%s: FAILED: %s\n' "$SCRIPT_NAME" "$*" >&2
  exit 1
}

case "$ZAKPOS_TARGET" in
  compose | host) ;;
  *) die "ZAKPOS_TARGET must be compose or host, not '$ZAKPOS_TARGET'" ;;
esac

need() {
  local cmd
  for cmd in "$@"; do
    command -v "$cmd" >/dev/null 2>&1 || die "required command '$cmd' not found"
  done
}

# `docker compose` with the stack's files and env file.
# What compose mode needs before anything runs: the stack's env file and the docker client.
need_compose() {
  [[ -f "$COMPOSE_ENV_PATH" ]] ||
    die "env file $COMPOSE_ENV_PATH not found: copy .env.prod to .env and fill it in (or set COMPOSE_ENV_FILE)"
  need docker
}

compose() {
  local files=() f
  for f in ${COMPOSE_FILES:-docker-compose.yml docker-compose.prod.yml}; do files+=(-f "$(root_path "$f")"); done
  docker compose "${files[@]}" --env-file "$COMPOSE_ENV_PATH" "$@"
}

# in_service SERVICE CMD [ARG...]: runs CMD where SERVICE runs, stdin and stdout passed through.
# postgres commands run as the postgres OS user (peer authentication over the socket); redis-cli is given
# the password through REDISCLI_AUTH (never on the command line).
in_service() {
  local service="$1"
  shift
  if [[ "$ZAKPOS_TARGET" = compose ]]; then
    case "$service" in
      postgres) compose exec -T -u postgres postgres "$@" ;;
      redis)
        # shellcheck disable=SC2016 # expanded inside the container
        compose exec -T redis sh -c 'REDISCLI_AUTH="$(cat /run/secrets/redis_password)" exec "$@"' sh "$@"
        ;;
      *) compose exec -T "$service" "$@" ;;
    esac
    return
  fi
  case "$service" in
    postgres)
      if [[ -n "${PG_RUN_AS:-}" ]]; then
        runuser -u "$PG_RUN_AS" -- env PGHOST="${PGHOST:-}" PGPORT="${PGPORT:-}" "$@"
      else
        "$@"
      fi
      ;;
    redis)
      [[ -r "${REDIS_PASSWORD_FILE:-}" ]] || die "REDIS_PASSWORD_FILE is not set or not readable"
      REDISCLI_AUTH="$(cat "$REDIS_PASSWORD_FILE")" "$@"
      ;;
    *) "$@" ;;
  esac
}

# psql as the superuser on the application database: one value per line, unaligned, stops on error.
sql() { in_service postgres psql -X -q -v ON_ERROR_STOP=1 -At -U "$PG_SUPERUSER" -d "$POSTGRES_DB" -c "$1"; }

# The same psql reading a script (SQL and psql meta-commands) from stdin.
sql_script() { in_service postgres psql -X -q -v ON_ERROR_STOP=1 -At -U "$PG_SUPERUSER" -d "$POSTGRES_DB"; }

# Rows of every table of schema public as "table<TAB>count" lines, sorted: a psql script (\gexec runs one
# count per table). Run as the superuser, whom row-level security never filters.
# shellcheck disable=SC2034 # used by scripts/backup and scripts/restore
ROW_COUNTS_SQL="select format('select %L || chr(9) || count(*) from public.%I;', c.relname, c.relname)
  from pg_class c join pg_namespace n on n.oid = c.relnamespace
 where n.nspname = 'public' and c.relkind in ('r', 'p') order by c.relname \\gexec"

# redis-cli against the server (inside the container it is 127.0.0.1:6379).
rcli() {
  if [[ "$ZAKPOS_TARGET" = compose ]]; then
    in_service redis redis-cli --no-auth-warning "$@"
  else
    in_service redis redis-cli --no-auth-warning -h "${REDIS_HOST:-127.0.0.1}" -p "${REDIS_PORT:-6379}" "$@"
  fi
}

# One field of `INFO <section>` (the value without the trailing CR).
redis_info() { rcli INFO "$1" | tr -d '\r' | sed -n "s/^$2://p"; }

# Keys without an expiry over all databases, from INFO keyspace (`db0:keys=3,expires=1,...`): what a backup's
# manifest counts (scripts/backup).
redis_keys() {
  rcli INFO keyspace | tr -d '\r' | sed -n 's/^db[0-9]*:keys=\([0-9]*\),expires=\([0-9]*\),.*/\1 \2/p' |
    awk '{ n += $1 - $2 } END { print n + 0 }'
}

# data_sh SERVICE RUNNING SCRIPT [ARG...]: runs the sh SCRIPT where SERVICE's data lives, with $1 = that data
# directory (redis: Redis's dir; api: the uploads directory) and stdin/stdout passed through. RUNNING=no for
# a stopped service: compose runs a one-off container of it (same volumes, no dependencies).
data_sh() {
  local service="$1" running="$2" script="$3"
  shift 3
  local dir
  case "$service" in
    redis) dir="$([[ "$ZAKPOS_TARGET" = compose ]] && echo "$REDIS_CONTAINER_DIR" || echo "${REDIS_DATA_DIR:-}")" ;;
    api) dir="$([[ "$ZAKPOS_TARGET" = compose ]] && echo "$UPLOADS_CONTAINER_DIR" || echo "${UPLOADS_DIR:-}")" ;;
    *) die "no data directory known for service $service" ;;
  esac
  [[ -n "$dir" ]] || die "the data directory of $service is not set (host mode: REDIS_DATA_DIR / UPLOADS_DIR)"
  if [[ "$ZAKPOS_TARGET" = host ]]; then
    sh -c "$script" sh "$dir" "$@"
  elif [[ "$running" = yes ]]; then
    compose exec -T "$service" sh -c "$script" sh "$dir" "$@"
  else
    compose run --rm --no-deps -T --entrypoint sh "$service" -c "$script" sh "$dir" "$@"
  fi
}

# Stops / starts Redis and waits until it is down / answers PING.
redis_stop() {
  if [[ "$ZAKPOS_TARGET" = compose ]]; then
    compose stop redis >/dev/null
  else
    [[ -n "${REDIS_STOP_CMD:-}" ]] || die "host mode: set REDIS_STOP_CMD (a command that stops redis-server)"
    sh -c "$REDIS_STOP_CMD" || die "REDIS_STOP_CMD failed"
    local i
    for i in $(seq 1 100); do
      rcli PING >/dev/null 2>&1 || return 0
      sleep 0.1
    done
    die "redis still answers after REDIS_STOP_CMD"
  fi
}
redis_start() {
  if [[ "$ZAKPOS_TARGET" = compose ]]; then
    compose start redis >/dev/null
  else
    [[ -n "${REDIS_START_CMD:-}" ]] || die "host mode: set REDIS_START_CMD (a command that starts redis-server)"
    sh -c "$REDIS_START_CMD" || die "REDIS_START_CMD failed"
  fi
  local i
  for i in $(seq 1 300); do
    [[ "$(rcli PING 2>/dev/null | tr -d '\r')" = PONG ]] && return 0
    sleep 0.2
  done
  die "redis did not answer PING after starting"
}

# Backups: BACKUP_DIR holds one directory per backup, named by its UTC start time. A backup is written into
# <name>.partial and renamed when complete, so only complete backups have the plain name.
BACKUP_DIR="${BACKUP_DIR:-./backups}"
BACKUP_DIR="$(root_path "$BACKUP_DIR")"
BACKUP_NAME_RE='^[0-9]{8}T[0-9]{6}Z$'

# Complete backups, oldest first (the names sort by time).
complete_backups() {
  [[ -d "$BACKUP_DIR" ]] || return 0
  local d
  for d in "$BACKUP_DIR"/*/; do
    d="$(basename "$d")"
    [[ "$d" =~ $BACKUP_NAME_RE && -f "$BACKUP_DIR/$d/SHA256SUMS" ]] && echo "$d"
  done | sort
  return 0
}

# Holds an exclusive lock on BACKUP_DIR for the rest of the script (a backup and a cleanup never overlap).
lock_backup_dir() {
  mkdir -p "$BACKUP_DIR"
  exec 9>"$BACKUP_DIR/.lock"
  flock -n 9 || die "another backup or cleanup holds $BACKUP_DIR/.lock"
}

# Retention (DRY_RUN=1 only prints): removes every .partial directory, and each complete backup that is not
# among the newest BACKUP_KEEP_COUNT or is older than BACKUP_KEEP_DAYS (0 or unset: that rule is off). The
# newest complete backup is never removed. The caller holds the lock.
apply_retention() {
  local keep_count="${BACKUP_KEEP_COUNT:-0}" keep_days="${BACKUP_KEEP_DAYS:-0}"
  [[ "$keep_count" =~ ^[0-9]+$ ]] || die "BACKUP_KEEP_COUNT must be a whole number, not '$keep_count'"
  [[ "$keep_days" =~ ^[0-9]+$ ]] || die "BACKUP_KEEP_DAYS must be a whole number, not '$keep_days'"
  local verb="removing"
  [[ "${DRY_RUN:-0}" = 1 ]] && verb="would remove"
  local p
  for p in "$BACKUP_DIR"/*.partial; do
    [[ -d "$p" ]] || continue
    info "$verb incomplete backup $(basename "$p")"
    [[ "${DRY_RUN:-0}" = 1 ]] || rm -rf -- "$p"
  done
  local all=() b
  mapfile -t all < <(complete_backups)
  local total=${#all[@]} i=0 now cutoff
  now="$(date -u +%s)"
  cutoff=$((now - keep_days * 86400))
  for b in "${all[@]}"; do
    i=$((i + 1))
    [[ $i -eq $total ]] && break # the newest
    local reason=""
    if [[ "$keep_count" -gt 0 && $((total - i)) -ge "$keep_count" ]]; then
      reason="beyond the newest $keep_count"
    elif [[ "$keep_days" -gt 0 ]]; then
      local t
      t="$(date -u -d "${b:0:8} ${b:9:2}:${b:11:2}:${b:13:2}" +%s)"
      [[ "$t" -lt "$cutoff" ]] && reason="older than $keep_days days"
    fi
    [[ -n "$reason" ]] || continue
    info "$verb backup $b ($reason)"
    [[ "${DRY_RUN:-0}" = 1 ]] || rm -rf -- "${BACKUP_DIR:?}/$b"
  done
}

# gpg without a terminal; GNUPGHOME as set by the caller.
gpg_batch() { gpg --batch --yes --quiet --no-tty "$@"; }
