#!/bin/sh
# The redis service's command: redis-server with docker/redis/redis.conf, plus the password read from its secret
# file and given through stdin (`-` reads more config from stdin), so it never appears in the config or the
# process list. Started as root (dev and test, where /data may be a folder Docker made root-owned), it first hands
# /data to the redis user and runs as it, as the image's entrypoint does for a plain `redis-server` command but
# not for this script; prod starts it as redis (999) already.
set -eu

if [ "$(id -u)" = 0 ]; then
  find /data \! -user redis -exec chown redis '{}' +
  exec gosu redis "$0" "$@"
fi
exec redis-server /usr/local/etc/redis/redis.conf - <<CONF
requirepass $(cat /run/secrets/redis_password)
CONF
