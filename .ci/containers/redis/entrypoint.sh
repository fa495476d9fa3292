#!/bin/sh
# The official image's rule, without its extras: only `redis-server` is moved off root.
set -e
if [ "$1" = redis-server ] && [ "$(id -u)" = 0 ]; then
  exec setpriv --reuid=redis --regid=redis --init-groups "$@"
fi
exec "$@"
