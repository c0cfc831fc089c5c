#!/usr/bin/env bash
# serve.sh — load on `dyad serve` (make bench-serve): the Reuters-grown store of BENCH_EVENTS
# events (build/bench/store.db, kept by `make bench-store BENCH_KEEP=1`, grown here when
# absent), a server on loopback, and bench/serve_load's 20 clients for 30 s: half ask
# /api/events for a page of one country-year (8 countries, the store's years), half
# /api/places for a year. Prints each class's median, p95 and max, the errors, and the
# server's resident memory at the start and the end. Bounded: loopback, SERVE_SECONDS (30).
set -u
cd "$(dirname "$0")/.."
db=build/bench/store.db
clients=${SERVE_CLIENTS:-20} secs=${SERVE_SECONDS:-30}
if [ ! -s "$db" ]; then
  if ! ls ../shared/data/corpus/reut2-*.sgm >/dev/null 2>&1; then
    echo "bench-serve: ../shared/data/corpus not found; nothing to measure"; exit 0
  fi
  make --no-print-directory bench-store BENCH_KEEP=1 >/dev/null || exit 1
fi
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && { kill $pid 2>/dev/null; wait $pid 2>/dev/null; }; rm -rf "$tmp"' EXIT
years=$(build/dyad query --db "$db" --by month --format jsonl | jq -r '.period[0:4]' | sort -u)
countries="USA GBR JPN CAN FRA DEU AUS CHN"
for y in $years; do
  for c in $countries; do echo "/api/events?country=$c&from=$y-01-01&to=$y-12-31&limit=100"; done
  echo "/api/places?from=$y-01-01&to=$y-12-31&zoom=2" >>"$tmp/places"
done >"$tmp/events"
build/dyad serve --db "$db" --listen 127.0.0.1:0 --threads 4 --cache-seconds "${SERVE_CACHE:-60}" 2>"$tmp/log" &
pid=$!
port=
for _ in $(seq 100); do
  port=$(sed -n 's/^dyad serve: listening on http:\/\/127\.0\.0\.1:\([0-9]*\)\/.*/\1/p' "$tmp/log")
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { echo "bench-serve: the server did not start: $(cat "$tmp/log")"; exit 1; }
# resident memory: all of it, and the process's own (anonymous) part apart from the pages of
# the store file it maps (SQLite's mmap: the page cache, shared, given back under pressure)
rss() { awk '/^VmRSS/ {t = $2} /^RssAnon/ {a = $2} /^RssFile/ {f = $2}
             END {printf "%.1f MB (own %.1f MB, store file mapped %.1f MB)", t / 1024, a / 1024, f / 1024}' /proc/$pid/status; }
curl -s -o /dev/null "http://127.0.0.1:$port/healthz"
echo "bench-serve: $db ($(du -m "$db" | cut -f1) MB), years $(echo $years | tr '\n' ' '); $clients clients for $secs s on 127.0.0.1:$port"
echo "server RSS at start: $(rss)"
build/bench/serve_load "$port" "$clients" "$secs" events="$tmp/events" places="$tmp/places"
rc=$?
echo "server RSS at end:   $(rss)"
curl -s "http://127.0.0.1:$port/metrics" | grep -E '^dyad_http_requests_total\{route="(events|places)"' | sed 's/^/server: /'
echo "targets: /api/events country-year p95 < 100 ms; /api/places year p95 < 300 ms; no error"
exit $rc
