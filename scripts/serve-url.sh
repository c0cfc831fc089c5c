#!/usr/bin/env bash
# serve-url.sh LOG [PID]: waits (up to 10 s) for a `dyad serve` started with its stderr in LOG
# to say where it listens, and prints that base URL without the final slash
# ("http://127.0.0.1:41234"). Exits 1 at once when PID, if given, has died, or after 10 s.
# Used by the tests and the bench that start servers on a free port (--listen 127.0.0.1:0).
set -u
log=$1 pid=${2:-}
for _ in $(seq 100); do
  url=$(sed -n 's/^dyad serve: listening on \(http:[^ ]*\)\/ .*/\1/p' "$log" 2>/dev/null)
  [ -n "$url" ] && { printf '%s\n' "$url"; exit 0; }
  [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null && exit 1
  sleep 0.1
done
exit 1
