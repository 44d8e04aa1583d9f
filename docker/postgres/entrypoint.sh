#!/bin/sh
# The postgres service's entrypoint: the image's own docker-entrypoint.sh, after one check. The image initialises
# an empty data directory once and skips initialisation whenever the directory holds a cluster, so a first start
# whose init script failed (an unreadable secret file, say) left a cluster without the ZakPOS roles that every
# later start took as initialised. init.sh marks the directory while it runs: a marked directory is a failed
# initialisation holding nothing but what that attempt made, so it is emptied here and initialised again.
set -eu

data="${PGDATA:-/var/lib/postgresql/data}"
if [ -e "$data/zakpos-init.incomplete" ]; then
  echo "zakpos entrypoint: the last initialisation of $data failed (see the log above it); emptying it to initialise again" >&2
  find "$data" -mindepth 1 -delete
fi
exec docker-entrypoint.sh "$@"
