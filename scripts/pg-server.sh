#!/usr/bin/env bash
# A private PostgreSQL server for dyad's tests and benchmarks: installs the Debian packages
# when missing (through install-deps.sh), makes a cluster under DIR (default build/pg), starts
# it listening only on a Unix socket in DIR, and creates the database.
#
# Usage: scripts/pg-server.sh start [DIR]   prints the store's URI on stdout
#        scripts/pg-server.sh stop [DIR]
#        scripts/pg-server.sh destroy [DIR]  stops it and removes DIR (the cluster and its logs)
#        scripts/pg-server.sh uri [DIR]     the URI of the server's database
#        scripts/pg-server.sh status [DIR]  exits 0 when the server runs
#
# DIR defaults to a directory of /tmp named for this checkout (the server's owner must be able
# to reach it, and a socket path has to stay short). The cluster uses the C locale, so text
# sorts byte-wise as in SQLite, and runs without fsync: it holds test data only. PostgreSQL
# refuses to run as root; as root the server runs as the 'postgres' user the package creates.
set -euo pipefail
cmd=${1:-start}
top=$(cd "$(dirname "$0")/.." && pwd)
dir=${2:-${TMPDIR:-/tmp}/dyad-pg-$(id -u)-$(printf '%s' "$top" | cksum | cut -d' ' -f1)}
case "$dir" in /*) ;; *) dir=$(pwd)/$dir ;; esac
data=$dir/data
port=${DYAD_PG_PORT:-54329}
db=dyad_test
here=$(cd "$(dirname "$0")" && pwd)

bindir() {
  local b
  b=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$b" ] || { echo "pg-server.sh: no PostgreSQL server binaries under /usr/lib/postgresql" >&2; exit 3; }
  echo "$b"
}

# Runs a command as the cluster's owner.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

uri() {
  local user
  if [ "$(id -u)" -eq 0 ]; then user=postgres; else user=$(id -un); fi
  # libpq URIs take a socket directory as a percent-encoded host
  local host
  host=$(printf '%s' "$dir" | sed 's|/|%2F|g')
  echo "postgresql://$user@$host:$port/$db"
}

case "$cmd" in
  start)
    "$here/install-deps.sh" postgres
    mkdir -p "$dir"
    bin=$(bindir)
    if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir"; fi
    if [ ! -f "$data/PG_VERSION" ]; then
      as_owner "$bin/initdb" -D "$data" --locale=C --encoding=UTF8 --auth=trust >"$dir/initdb.log" 2>&1 ||
        { cat "$dir/initdb.log" >&2; exit 3; }
    fi
    if ! as_owner "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
      as_owner "$bin/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 60 \
        -o "-k $dir -c listen_addresses='' -p $port -c fsync=off -c full_page_writes=off" start >/dev/null ||
        { cat "$dir/server.log" >&2; exit 3; }
    fi
    as_owner "$bin/psql" -h "$dir" -p "$port" -d postgres -qtAc \
      "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1 ||
      as_owner "$bin/createdb" -h "$dir" -p "$port" "$db"
    uri
    ;;
  stop)
    bin=$(bindir)
    [ -f "$data/PG_VERSION" ] && as_owner "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
    ;;
  destroy)
    if [ -f "$data/PG_VERSION" ]; then as_owner "$(bindir)/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true; fi
    rm -rf "$dir"
    ;;
  uri)
    uri
    ;;
  status)
    [ -f "$data/PG_VERSION" ] && as_owner "$(bindir)/pg_ctl" -D "$data" status >/dev/null 2>&1
    ;;
  *)
    echo "usage: scripts/pg-server.sh start|stop|destroy|uri|status [DIR]" >&2
    exit 2
    ;;
esac
