#!/bin/sh
# TEST-ONLY stand-in for the official redis image's entrypoint, written for this project: with redis-server as
# the command and run as root, hands /data to the redis user and runs as it (gosu); files it makes are private
# (umask 0077). Any other command is exec'd as it is.
set -e
if [ "${1#-}" != "$1" ] || [ "${1%.conf}" != "$1" ]; then set -- redis-server "$@"; fi
if [ "$1" = redis-server ] && [ "$(id -u)" = 0 ]; then
  find . \! -user redis -exec chown redis '{}' +
  exec gosu redis "$0" "$@"
fi
umask 0077
exec "$@"
