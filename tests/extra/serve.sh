#!/usr/bin/env bash
# serve.sh — `dyad serve`'s API with curl: every endpoint, every filter (the same records as
# `dyad query` with the same options), paging with the cursor (pages add up to the whole
# answer), the exports, happenings, series, places, stories, POST /api/code and
# /api/ingest; every bad parameter a 400 naming it; the bearer token (no token, a wrong one:
# nothing written; a read-only server: 403); the body, row, connection and time limits; no file
# outside the dashboard (/../../etc/passwd); /healthz, /metrics, /api/openapi.json.
# SERVE_BACKEND=postgresql runs the same against a PostgreSQL server (scripts/pg-server.sh).
# Every server it starts is stopped; ends with "serve: N passed, N failed" (or
# "serve-postgresql: ...").
set -u
cd "$(dirname "$0")/../.."
DYAD=${DYAD:-build/dyad}
pass=0 fail=0
ok()  { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() { local what=$1; shift; if "$@"; then ok; else bad "$what"; fi; }
same() { if [ "$2" = "$3" ]; then ok; else bad "$1: expected '$2', got '$3'"; fi; }
BACKEND=${SERVE_BACKEND:-sqlite}
name=serve; [ "$BACKEND" = postgresql ] && name=serve-postgresql
for t in curl jq; do
  command -v $t >/dev/null || { echo "$name: $t missing (scripts/install-deps.sh test)"; echo "$name: 0 passed, 1 failed"; exit 1; }
done
tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  rm -rf "$tmp"
  [ -n "${pg_started:-}" ] && scripts/pg-server.sh destroy >/dev/null 2>&1
}
trap cleanup EXIT
cp "$DYAD" "$tmp/dyad" && DYAD=$tmp/dyad
[ -d build/web ] || make --no-print-directory web >/dev/null 2>&1

show=../shared/examples/kadhimi-drone-attack-2021-11-07.txt
[ -f "$show" ] || show=examples/baghdad-protest.txt
stories=(tests/store/happenings.jsonl "$show" examples/baghdad-protest.txt)
if [ "$BACKEND" = postgresql ]; then
  scripts/pg-server.sh status >/dev/null 2>&1 || pg_started=1
  uri=$(scripts/pg-server.sh start) || { echo "$name: cannot start PostgreSQL (scripts/pg-server.sh)"; echo "$name: 0 passed, 1 failed"; exit 1; }
  server=${uri%/*}
  PGOPTIONS="-c client_min_messages=warning" psql "$server/postgres" -qc "DROP DATABASE IF EXISTS dyad_t_serve" \
    -c "CREATE DATABASE dyad_t_serve" >/dev/null
  DB=$server/dyad_t_serve
else
  DB=$tmp/store.db
fi
"$DYAD" ingest --quiet --db "$DB" "${stories[@]}" || bad "ingest the test stories"

# start NAME ARGS...: a server on a free port; its base URL in $base, its pid in $pid
start() {
  local log=$tmp/$1.log; shift
  "$DYAD" serve --listen 127.0.0.1:0 --web build/web "$@" >"$log" 2>&1 &
  pid=$!
  pids+=("$pid")
  base=$(scripts/serve-url.sh "$log" "$pid") && return 0
  echo "server did not start: $(cat "$log")"
  return 1
}
stop() { kill "$1" 2>/dev/null; wait "$1" 2>/dev/null; }
# get PATH: the body in $tmp/body, the status echoed
get() { curl -s -o "$tmp/body" -w '%{http_code}' "$base$1"; }
# refused PARAM PATH: a 400 naming PARAM
refused() {
  local code; code=$(get "$2")
  local p; p=$(jq -r '.error.parameter // ""' "$tmp/body" 2>/dev/null)
  if [ "$code" = 400 ] && [ "$p" = "$1" ]; then ok; else bad "$2: expected 400 naming '$1', got $code $(head -c 200 "$tmp/body")"; fi
}

# ---- usage ----
"$DYAD" serve --help >"$tmp/out" 2>&1; check "serve --help exits 0" test $? -eq 0
for o in --db --listen --token-file --web --threads --max-connections --max-body --max-rows --timeout; do
  check "serve --help documents $o" grep -q -- "$o" "$tmp/out"
done
"$DYAD" serve </dev/null >/dev/null 2>&1; check "serve without --db exits 2" test $? -eq 2
"$DYAD" serve --db "$DB" --listen nowhere >/dev/null 2>"$tmp/err"; check "a bad --listen exits 2" test $? -eq 2
check "... naming it" grep -q -- "--listen: 'nowhere' is not ADDR:PORT" "$tmp/err"
"$DYAD" serve --db "$DB" --threads 0 >/dev/null 2>"$tmp/err"; check "--threads 0 exits 2" test $? -eq 2
printf 'short\n' >"$tmp/short"
"$DYAD" serve --db "$DB" --token-file "$tmp/short" >/dev/null 2>&1; check "a token of 5 characters exits 2" test $? -eq 2
if [ "$BACKEND" = sqlite ]; then
  "$DYAD" serve --db "$tmp/none.db" >/dev/null 2>&1; check "a missing store exits 3" test $? -eq 3
fi

# ---- the server, with a token ----
printf 'test-token-0123456789abcdef\n' >"$tmp/token"
start main --db "$DB" --token-file "$tmp/token" --max-rows 50 --max-body 64K --threads 3 || { echo "$name: $pass passed, $((fail + 1)) failed"; exit 1; }
main_pid=$pid

same "GET /healthz" 200 "$(get /healthz)"
same "... says ok" ok "$(jq -r .status "$tmp/body")"
same "GET /api/openapi.json" 200 "$(get /api/openapi.json)"
for p in /api/events /api/happenings /api/series /api/places '/api/stories/{id}' /api/code /api/ingest /healthz /metrics; do
  check "the OpenAPI description has $p" jq -e --arg p "$p" '.paths[$p]' "$tmp/body" >/dev/null
done
check "the OpenAPI description is OpenAPI 3" jq -e '.openapi | startswith("3.")' "$tmp/body" >/dev/null

# every filter: the same events as dyad query with the same options, in the same order
ids_api() { get "/api/events?$1" >/dev/null; jq -r '.events[].id' "$tmp/body"; }
ids_cli() { "$DYAD" query --db "$DB" "$@" | jq -r .id; }
filters=("country=IRQ|--country IRQ" "from=2024-01-01&to=2024-02-15|--from 2024-01-01 --to 2024-02-15"
         "actor=IRQ|--actor IRQ" "code=185|--code 185" "root=14|--root 14" "near=33.34,44.40,100|--near 33.34,44.40,100"
         "text=drone|--text drone" "country=irq&root=18|--country IRQ --root 18" "to=2021-12-31|--to 2021-12-31")
for f in "${filters[@]}"; do
  q=${f%%|*} o=${f#*|}
  # shellcheck disable=SC2086
  same "events $q: as dyad query $o" "$(ids_cli $o --limit 50)" "$(ids_api "$q&limit=50")"
done
n_all=$("$DYAD" query --db "$DB" | wc -l)
check "the store has events to page through ($n_all)" test "$n_all" -gt 60

# paging: pages of 7 with the cursor add up to the whole answer, for each way a page is read
for q in "" "country=IRQ" "text=police" "actor=USA" "from=2024-01-10"; do
  : >"$tmp/paged"
  cursor="" pages=0
  while :; do
    get "/api/events?limit=7${q:+&$q}${cursor:+&cursor=$cursor}" >/dev/null
    jq -r '.events[].id' "$tmp/body" >>"$tmp/paged"
    cursor=$(jq -r '.next // empty' "$tmp/body")
    pages=$((pages + 1))
    [ -z "$cursor" ] || [ $pages -gt 200 ] && break
  done
  o=$(sed -e 's/=/ /' -e 's/^/--/' <<<"$q")
  # shellcheck disable=SC2086
  same "pages of 7 ($q) add up to dyad query's answer" "$(ids_cli ${q:+$o} --limit 100000)" "$(cat "$tmp/paged")"
done
code=$(get "/api/events?limit=3"); next=$(jq -r .next "$tmp/body")
curl -s -D "$tmp/h" -o /dev/null "$base/api/events?limit=3&format=gdelt"
check "a page of an export gives its cursor in X-Next-Cursor" grep -qi "^X-Next-Cursor: $next" "$tmp/h"

# the exports: as dyad query writes them
for fmt in gdelt phoenix icews acled; do
  get "/api/events?format=$fmt&limit=40&country=IRQ" >/dev/null
  same "format=$fmt: as dyad query" "$("$DYAD" query --db "$DB" --format $fmt --limit 40 --country IRQ | md5sum)" "$(md5sum <"$tmp/body")"
done
curl -s -D "$tmp/h" -o /dev/null "$base/api/events?format=acled&limit=1"
check "ACLED rows are text/csv" grep -qi '^Content-Type: text/csv' "$tmp/h"

# happenings, series, places
same "GET /api/happenings" 200 "$(get '/api/happenings?country=IRQ&limit=50')"
same "happenings: as dyad query --happenings" "$("$DYAD" query --db "$DB" --happenings --country IRQ --limit 50 | jq -c .id)" "$(jq -c '.happenings[].id' "$tmp/body")"
for by in day week month; do
  get "/api/series?by=$by&from=2024-01-01" >/dev/null
  same "series by $by: as dyad query --by $by" "$("$DYAD" query --db "$DB" --by $by --from 2024-01-01 --format jsonl | jq -c .)" "$(jq -c '.series[]' "$tmp/body")"
done
get /api/series >/dev/null; same "series: by day unless told" day "$(jq -r .by "$tmp/body")"
located=$("$DYAD" query --db "$DB" | jq -s '[.[] | select(.event_loc.lat != null)] | length')
same "GET /api/places" 200 "$(get '/api/places?zoom=3')"
same "places: every located event is in a cluster" "$located" "$(jq '[.features[].properties.count] | add' "$tmp/body")"
check "places: a GeoJSON FeatureCollection of points" jq -e '.type == "FeatureCollection" and (.features | all(.geometry.type == "Point"))' "$tmp/body" >/dev/null
z1=$(get '/api/places?zoom=1' >/dev/null; jq .clusters "$tmp/body"); z12=$(get '/api/places?zoom=12' >/dev/null; jq .clusters "$tmp/body")
check "places: fewer clusters zoomed out ($z1 at 1, $z12 at 12)" test "$z1" -lt "$z12"
get '/api/places?country=IRQ&from=2021-11-01&to=2021-11-30' >/dev/null
check "places: Iraq in November 2021 holds the showcase attack" jq -e '[.features[].properties.events[] | select(.root == "18")] | length > 0' "$tmp/body" >/dev/null

# a story with its records
sid=$(basename "$show" .txt)
same "GET /api/stories/$sid" 200 "$(get "/api/stories/$sid")"
same "... its events" "$("$DYAD" query --db "$DB" | jq -r "select(.story_id == \"$sid\") | .id" | sort)" "$(jq -r '.events[].id' "$tmp/body" | sort)"
check "... its text, which the spans index" jq -e '.text as $t | .events | all(.text_info.spans | all(.[1] <= ($t | length)))' "$tmp/body" >/dev/null
same "an unknown story: 404" 404 "$(get /api/stories/no-such-story)"
same "... naming the id" id "$(jq -r .error.parameter "$tmp/body")"

# POST /api/code: records, not stored
post() { # PATH TYPE DATA [curl args]: status; body in $tmp/body
  local p=$1 t=$2 d=$3; shift 3
  curl -s -o "$tmp/body" -w '%{http_code}' -X POST -H "Content-Type: $t" --data-binary "$d" "$@" "$base$p"
}
story='{"id":"api-1","date":"2022-03-07","text":"Russian troops shelled Kharkiv on Monday, killing three civilians."}'
before=$(get '/api/events?text=Kharkiv&limit=50' >/dev/null; jq .count "$tmp/body")
same "POST /api/code" 200 "$(post /api/code application/json "$story")"
check "... gives the records dyad code gives" test "$(jq -c '.records' "$tmp/body")" = "$(printf '%s\n' "$story" | "$DYAD" code --quiet | jq -sc .)"
same "POST /api/code with two stories" 2 "$(post /api/code application/json "{\"stories\":[$story,$story]}" >/dev/null; jq .stories "$tmp/body")"
same "POST /api/code, a text story" 200 "$(post /api/code text/plain $'date 2022-03-07\nRussian troops shelled Kharkiv on Monday.')"
check "... dated by its date line" jq -e '.records[0].date == "2022-03-07"' "$tmp/body" >/dev/null
same "POST /api/code stores nothing" "$before" "$(get '/api/events?text=Kharkiv&limit=50' >/dev/null; jq .count "$tmp/body")"
for b in '{"text": 5}|text' '{"date":"2024-02-30","text":"x"}|date' '{"title":"no text"}|text' '[]|stories' '{"text":"a","id":""}|id' 'not json|body'; do
  code=$(post /api/code application/json "${b%|*}")
  p=$(jq -r .error.parameter "$tmp/body")
  if [ "$code" = 400 ] && [ "$p" = "${b#*|}" ]; then ok; else bad "POST /api/code ${b%|*}: expected 400 naming ${b#*|}, got $code $(head -c 200 "$tmp/body")"; fi
done
big=$(head -c 70000 /dev/zero | tr '\0' a)
same "a body over --max-body: 413" 413 "$(post /api/code text/plain "$big")"
same "POST /api/code with another Content-Type: 400" 400 "$(post /api/code text/html '<p>x</p>')"

# POST /api/ingest: only with the token
ing='{"id":"api-ingest-1","date":"2022-03-08","text":"Ukrainian forces shelled Donetsk on Tuesday, killing two soldiers."}'
same "ingest without a token: 401" 401 "$(post /api/ingest application/json "$ing")"
curl -s -D "$tmp/h" -o /dev/null -X POST -H 'Content-Type: application/json' --data-binary "$ing" "$base/api/ingest"
check "... with WWW-Authenticate: Bearer" grep -qi '^WWW-Authenticate: Bearer' "$tmp/h"
same "ingest with a wrong token: 401" 401 "$(post /api/ingest application/json "$ing" -H 'Authorization: Bearer test-token-0123456789abcdeX')"
same "ingest with the token as a password (Basic): 401" 401 "$(post /api/ingest application/json "$ing" -u user:test-token-0123456789abcdef)"
same "... nothing was stored" 0 "$(get '/api/events?text=Donetsk' >/dev/null; jq .count "$tmp/body")"
same "ingest with the token: 200" 200 "$(post /api/ingest application/json "$ing" -H 'Authorization: Bearer test-token-0123456789abcdef')"
same "... one new story" 1 "$(jq .new "$tmp/body")"
check "... its events are served" test "$(get '/api/events?text=Donetsk' >/dev/null; jq .count "$tmp/body")" -ge 1
same "ingest again: unchanged" 1 "$(post /api/ingest application/json "$ing" -H 'Authorization: Bearer test-token-0123456789abcdef' >/dev/null; jq .unchanged "$tmp/body")"
same "ingest a story without an id: 400 naming id" id "$(post /api/ingest application/json '{"text":"x"}' -H 'Authorization: Bearer test-token-0123456789abcdef' >/dev/null; jq -r .error.parameter "$tmp/body")"

# places filtered by dates alone are counted from place_counts (kept at each ingest, the one
# above included): the same answer, byte for byte, as reading the events one by one
# (DYAD_STORE_PLACES=scan), for the whole store, open ends, whole months with the days at
# their edges, days within a month, one day
main_base=$base
export DYAD_STORE_PLACES=scan
start scan --db "$DB" --cache-seconds 0 || bad "a server reading places event by event starts"
unset DYAD_STORE_PLACES
scan_base=$base scan_pid=$pid base=$main_base
for u in 'zoom=3' 'zoom=12' 'from=2024-02-01&zoom=5' 'to=2024-03-07&zoom=5' 'from=2024-01-15&to=2024-05-10&zoom=2' \
         'from=2024-02-05&to=2024-02-20&zoom=8' 'from=2024-03-12&to=2024-03-12&zoom=12' 'from=2022-03-01&to=2022-03-31&zoom=0' \
         'from=2021-11-01&to=2024-12-31&zoom=1' 'from=2024-01-01&to=2024-01-31'; do
  curl -s -o "$tmp/counted" "$main_base/api/places?$u"; curl -s -o "$tmp/scanned" "$scan_base/api/places?$u"
  check "places?$u: counted as scanned ($(jq .events "$tmp/counted") events)" cmp -s "$tmp/counted" "$tmp/scanned"
done
check "places: the ingested story is counted" jq -e '.events > 0' <(curl -s "$main_base/api/places?from=2022-03-01&to=2022-03-31") >/dev/null
stop "$scan_pid"

# every bad parameter: a 400 naming it, in the words of dyad query
refused from '/api/events?from=2024-02-30'
check "... with the CLI's message" grep -q "February 2024 has 29 days" "$tmp/body"
refused to '/api/events?to=yesterday'
refused country '/api/events?country=XXX'
refused actor '/api/events?actor=RU'
refused code '/api/events?code=999'
refused root '/api/events?root=21'
refused near '/api/events?near=100,0,5'
refused near '/api/places?near=33,44'
refused text '/api/events?text='
# (PostgreSQL's websearch_to_tsquery reads any text; SQLite's FTS5 refuses a lone quote)
[ "$BACKEND" = sqlite ] && refused text '/api/events?text=%22unbalanced'
refused limit '/api/events?limit=0'
refused limit '/api/events?limit=51'
refused limit '/api/happenings?limit=abc'
refused cursor '/api/events?cursor=bad'
refused cursor '/api/events?cursor=2024-13-01~5'
refused format '/api/events?format=xml'
refused by '/api/series?by=year'
refused zoom '/api/places?zoom=21'
refused foo '/api/events?foo=1'
refused cursor '/api/series?cursor=2024-01-01~1'
refused country '/api/events?country=IRQ&country=SYR'
refused from '/api/events?from=2024-02-01&to=2024-01-01'
refused country '/api/events?country=%zz'
refused '' '/api/events?%zz=1'
refused country '/api/events?country=IR%00Q'
refused country '/api/events?country=%ff%fe'
same "an unknown endpoint: 404" 404 "$(get /api/nothing)"
same "POST to a GET endpoint: 405" 405 "$(post /api/events application/json '{}')"
same "GET on POST /api/code: 405" 405 "$(get /api/code)"

# no file outside the dashboard
for p in '/../../etc/passwd' '/%2e%2e/%2e%2e/etc/passwd' '/vendor/../../../../etc/passwd' '/.hidden' '//etc/passwd' '/vendor/..%2f..%2fetc/passwd'; do
  code=$(curl -s --path-as-is -o "$tmp/body" -w '%{http_code}' "$base$p")
  check "$p is refused ($code)" test "$code" = 404 -o "$code" = 400
  check "... without the file's content" test "$(grep -c 'root:' "$tmp/body")" = 0
done
ln -s /etc "$tmp/web-link" 2>/dev/null
same "GET / is the dashboard" 200 "$(get /)"
check "... as HTML" grep -q '<title>dyad' "$tmp/body"
same "GET /app.js" 200 "$(get /app.js)"
same "GET /vendor/leaflet.js" 200 "$(get /vendor/leaflet.js)"

# metrics count what was answered
same "GET /metrics" 200 "$(get /metrics)"
check "metrics count the 400s of /api/events" grep -q 'dyad_http_requests_total{route="events",code="400"}' "$tmp/body"
check "metrics have the latency histogram" grep -q 'dyad_http_request_seconds_bucket{route="events",le="+Inf"}' "$tmp/body"
check "metrics have the errors" grep -q 'dyad_http_errors_total{route="ingest"} [1-9]' "$tmp/body"
stop "$main_pid"

# ---- a read-only server: POST /api/ingest is 403 even with a token ----
start ro --db "$DB" || bad "read-only server starts"
same "ingest on a read-only server: 403" 403 "$(post /api/ingest application/json "$ing" -H 'Authorization: Bearer test-token-0123456789abcdef')"
same "... healthz says so" false "$(get /healthz >/dev/null; jq .writable "$tmp/body")"
stop "$pid"

# ---- the connection limit: a second connection is refused while one is open ----
start conn --db "$DB" --max-connections 1 --threads 1 || bad "server with one connection starts"
port=${base##*:}
exec 3<>"/dev/tcp/127.0.0.1/$port"
sleep 0.3
code=$(curl -s -m 3 -o /dev/null -w '%{http_code}' "$base/healthz")
check "a connection over --max-connections is refused ($code)" test "$code" != 200
exec 3>&-
sleep 0.3
same "... and served once the first is closed" 200 "$(curl -s -m 3 -o /dev/null -w '%{http_code}' "$base/healthz")"
stop "$pid"

# ---- the query timeout: 503 (a big store, when the Reuters corpus is there) ----
corpus=build/bench/reuters.jsonl
if [ -s "$corpus" ] && [ "$BACKEND" = sqlite ]; then
  "$DYAD" ingest --quiet --db "$tmp/reuters.db" "$corpus" "$show"
  start slow --db "$tmp/reuters.db" --timeout 1 || bad "server with --timeout 1 starts"
  code=$(get '/api/places?zoom=8')
  same "a query over --timeout: 503" 503 "$code"
  check "... saying it was stopped" grep -q 'query timeout' "$tmp/body"
  stop "$pid"
else
  echo "serve: query timeout not tested (needs build/bench/reuters.jsonl on SQLite)"
fi

echo "$name: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
