#!/bin/sh
# TEST-ONLY (see ../README.md): the official image's entrypoint as the stack uses it; `minio server /data`
# and `server /data` both start the server.
set -e
if [ "$1" != "minio" ] && [ -n "$1" ]; then
  set -- minio "$@"
fi
exec "$@"
