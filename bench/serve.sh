#!/usr/bin/env bash
# serve.sh — load on `dyad serve` (make bench-serve): the Reuters-grown store of BENCH_EVENTS
# events (build/bench/store.db, kept by `make bench-store BENCH_KEEP=1`, grown here when
# absent; a store of an earlier schema is brought to the current one first), a server on
# loopback, and bench/serve_load's 20 clients for 30 s, twice: first with the server's answer
# cache off (--cache-seconds 0), so that every request is computed, then with it on (60 s).
# Half the clients ask /api/events for a page of one country-year (the store's 24 busiest
# countries × its busy years), half /api/places for a busy year at zoom 1, 2 or 3; each client walks
# the list from its own place, so the filters vary from one request to the next. Prints each
# class's median, p95 and max, the errors, and each server's resident memory at its start,
# every 10 s and at the end; then, cache off, 2 clients for 10 s (one per class): what a
# request takes without waiting behind others. Bounded: loopback, SERVE_SECONDS (30) per run.
set -u
cd "$(dirname "$0")/.."
db=build/bench/store.db
clients=${SERVE_CLIENTS:-20} secs=${SERVE_SECONDS:-30}
DYAD=${DYAD:-build/dyad} # another build to compare with: DYAD=path/to/dyad
if [ ! -s "$db" ]; then
  if ! ls ../shared/data/corpus/reut2-*.sgm >/dev/null 2>&1; then
    echo "bench-serve: ../shared/data/corpus not found; nothing to measure"; exit 0
  fi
  make --no-print-directory bench-store BENCH_KEEP=1 >/dev/null || exit 1
fi
# opened for writing, as `dyad ingest` does, so that an earlier schema is migrated: the stories
# of tests/store/happenings.jsonl, which the store holds already (nothing is written)
t0=$(date +%s.%N)
"$DYAD" ingest --quiet --db "$db" tests/store/happenings.jsonl || exit 1
echo "bench-serve: store opened for writing in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}') s (a migration when its schema was older)"
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && { kill $pid 2>/dev/null; wait $pid 2>/dev/null; }; rm -rf "$tmp"' EXIT
# the busy years, each with at least 5% of the events (1987-1990 of the Reuters-grown store,
# 190k-260k events each; its other years hold a few thousand or fewer and answer at once)
years=$("$DYAD" query --db "$db" --by month --format jsonl | jq -r '[.period[0:4], .events] | @tsv' |
  awk '{n[$1] += $2; all += $2} END {for (y in n) if (n[y] >= all / 20) print y}' | sort)
# the busiest countries a query takes (SUN, the Soviet Union of Reuters 1987, is not one)
countries=$(for c in $(sqlite3 "$db" "SELECT country FROM event_countries GROUP BY country ORDER BY count(*) DESC LIMIT 30" 2>/dev/null); do
  "$DYAD" query --db "$db" --country "$c" --limit 1 >/dev/null 2>&1 && echo "$c"; done | head -24)
[ -n "$countries" ] || countries="USA GBR JPN CAN FRA DEU AUS CHN"  # without the sqlite3 shell
# interleaved, so that consecutive requests differ in country and year
for c in $countries; do
  for y in $years; do echo "/api/events?country=$c&from=$y-01-01&to=$y-12-31&limit=100"; done
done | awk '{ print NR % 7, $0 }' | sort -s -n -k1,1 | cut -d' ' -f2- >"$tmp/events"
for z in 2 1 3; do
  for y in $years; do echo "/api/places?from=$y-01-01&to=$y-12-31&zoom=$z"; done
done >"$tmp/places"
# resident memory: all of it, and the process's own (anonymous) part apart from the pages of
# the store file it maps (SQLite's mmap: the page cache, shared, given back under pressure)
rss() { awk '/^VmRSS/ {t = $2} /^RssAnon/ {a = $2} /^RssFile/ {f = $2}
             END {printf "%.1f MB (own %.1f MB, store file mapped %.1f MB)", t / 1024, a / 1024, f / 1024}' /proc/$pid/status; }
own() { awk '/^RssAnon/ {printf "%.0f", $2 / 1024}' /proc/$pid/status; }
echo "bench-serve: $db ($(du -m "$db" | cut -f1) MB), years $(echo $years | tr '\n' ' '); $(wc -l <"$tmp/events") events URLs, $(wc -l <"$tmp/places") places URLs"
rc=0
for cache in 0 60; do
  "$DYAD" serve --db "$db" --listen 127.0.0.1:0 --threads 4 --cache-seconds "$cache" 2>"$tmp/log" &
  pid=$!
  port=$(scripts/serve-url.sh "$tmp/log" "$pid")
  port=${port##*:}
  [ -n "$port" ] || { echo "bench-serve: the server did not start: $(cat "$tmp/log")"; exit 1; }
  curl -s -o /dev/null "http://127.0.0.1:$port/healthz"
  echo
  if [ "$cache" = 0 ]; then echo "== cache off (--cache-seconds 0): every request computed; $clients clients for $secs s on 127.0.0.1:$port"
  else echo "== cache on (--cache-seconds $cache): repeated URLs answered from it; $clients clients for $secs s on 127.0.0.1:$port"; fi
  echo "server RSS at start: $(rss); load average $(cut -d' ' -f1-3 /proc/loadavg) (2 cores: other jobs count)"
  (while sleep 10; do own; echo; done) >"$tmp/own" 2>/dev/null &
  sampler=$!
  build/bench/serve_load "$port" "$clients" "$secs" events="$tmp/events" places="$tmp/places" || rc=1
  kill $sampler 2>/dev/null; wait $sampler 2>/dev/null
  echo "server own memory every 10 s: $(grep . "$tmp/own" | paste -sd' ' | sed 's/ / → /g') MB"
  echo "server RSS at end:   $(rss); load average $(cut -d' ' -f1-3 /proc/loadavg)"
  curl -s "http://127.0.0.1:$port/metrics" | grep -E '^dyad_http_requests_total\{route="(events|places)"' | sed 's/^/server: /'
  if [ "$cache" = 0 ]; then # what a request costs when it does not wait for others: 2 clients, one per class
    echo "-- the same, 2 clients for 10 s (one asking events, one places): a request without the queue"
    build/bench/serve_load "$port" 2 10 events="$tmp/events" places="$tmp/places" || rc=1
  fi
  kill $pid; wait $pid 2>/dev/null; pid=
done
echo
echo "targets: /api/events country-year p95 < 100 ms; /api/places year p95 < 300 ms; no error (cache off and on)"
exit $rc
