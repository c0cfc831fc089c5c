#!/usr/bin/env bash
# store.sh — the event store (`dyad ingest`, `dyad query`): ingest is idempotent (twice gives
# identical counts and checksums, on the Reuters corpus and the showcase too); a story whose
# text changed replaces its records; ingest killed with SIGKILL at random moments and resumed
# loses nothing and doubles nothing; each query filter selects what the records say it should;
# time series add up; every export (GDELT, Phoenix, ICEWS, ACLED-like) is read back and
# compared with the PLOVER records. The sanitizer build runs the small cases when present.
# STORE_BACKEND=postgresql runs the same cases against a PostgreSQL server started by
# scripts/pg-server.sh (a fresh database per store), and checks that it holds what an SQLite
# store of the same stories holds. Ends with "store: N passed, N failed" (or
# "store-postgresql: ...").
set -u
cd "$(dirname "$0")/../.."
DYAD=${DYAD:-build/dyad}
ASAN=${ASAN:-build/asan/dyad}
KILLS=${KILLS:-6}
pass=0 fail=0
ok()  { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() { local what=$1; shift; if "$@"; then ok; else bad "$what"; fi; }
same() { # description, expected, got
  if [ "$2" = "$3" ]; then ok; else bad "$1: expected '$2', got '$3'"; fi; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
# a private copy: a build replacing build/dyad mid-run must not change or break the runs
cp "$DYAD" "$tmp/dyad" && DYAD=$tmp/dyad
if [ -x "$ASAN" ]; then cp "$ASAN" "$tmp/asan-dyad" && ASAN=$tmp/asan-dyad; fi
BACKEND=${STORE_BACKEND:-sqlite}
name=store; [ "$BACKEND" = postgresql ] && name=store-postgresql
command -v jq >/dev/null || { echo "$name: jq missing (scripts/install-deps.sh test)"; echo "$name: 0 passed, 1 failed"; exit 1; }
HAP=tests/store/happenings.jsonl
if [ "$BACKEND" = postgresql ]; then
  # a server this run starts is stopped and its cluster removed at its end: no daemon and no
  # file of it outlives `make test`
  scripts/pg-server.sh status || trap 'rm -rf "$tmp"; scripts/pg-server.sh destroy' EXIT
  uri=$(scripts/pg-server.sh start) || { echo "$name: cannot start PostgreSQL (scripts/pg-server.sh)"; echo "$name: 0 passed, 1 failed"; exit 1; }
  server=${uri%/*}
fi
# A fresh, empty store named $1: an SQLite file, or a new PostgreSQL database.
db() {
  if [ "$BACKEND" = postgresql ]; then
    PGOPTIONS="-c client_min_messages=warning" psql "$server/postgres" -qc "DROP DATABASE IF EXISTS dyad_t_$1" \
      -c "CREATE DATABASE dyad_t_$1" >/dev/null &&
      echo "$server/dyad_t_$1"
  else
    echo "$tmp/$1.db"
  fi
}

# ---- usage ----
"$DYAD" ingest --help >"$tmp/out" 2>&1; check "ingest --help exits 0" test $? -eq 0
check "ingest --help documents --db" grep -q -- '--db PATH|URI' "$tmp/out"
"$DYAD" query --help >"$tmp/out" 2>&1; check "query --help exits 0" test $? -eq 0
"$DYAD" ingest </dev/null >/dev/null 2>&1; check "ingest without --db exits 2" test $? -eq 2
if [ "$BACKEND" = postgresql ]; then
  "$DYAD" query --db "${server%:*}:1/none" >/dev/null 2>"$tmp/err"; rc=$?
  check "query of a server that is not there exits 3 and says why: $(head -c 200 "$tmp/err")" test $rc -eq 3 -a -s "$tmp/err"
  E=$(db empty)
  "$DYAD" query --db "$E" >/dev/null 2>"$tmp/err"; rc=$?
  check "query of a database that holds no store exits 3" test $rc -eq 3
  check "... saying it is not a dyad event store" grep -q 'not a dyad event store' "$tmp/err"
else
  "$DYAD" query --db "$tmp/none.db" >/dev/null 2>&1; check "query of a missing db exits 3" test $? -eq 3
  echo "not a database" >"$tmp/junk.db"
  "$DYAD" query --db "$tmp/junk.db" >/dev/null 2>&1; check "query of a file that is no store exits 3" test $? -eq 3
  "$DYAD" ingest --quiet --db "$tmp/junk.db" examples/baghdad-protest.txt >/dev/null 2>&1; check "ingest into a file that is no database exits 3" test $? -eq 3
fi

# ---- idempotent ingest: the happening set and the showcase, twice ----
show=../shared/examples/kadhimi-drone-attack-2021-11-07.txt
[ -f "$show" ] || show=examples/baghdad-protest.txt
A=$(db a)
"$DYAD" ingest --quiet --db "$A" "$HAP" "$show" examples/baghdad-protest.txt; check "ingest exits 0" test $? -eq 0
"$DYAD" query --db "$A" --stats >"$tmp/s1"
"$DYAD" ingest --db "$A" "$HAP" "$show" examples/baghdad-protest.txt 2>"$tmp/err"
"$DYAD" query --db "$A" --stats >"$tmp/s2"
check "a second ingest changes no count or checksum" cmp -s "$tmp/s1" "$tmp/s2"
check "a second ingest reports every story unchanged" grep -q '(0 new, 0 changed' "$tmp/err"
nstories=$(wc -l <"$HAP")
same "stories stored" "stories $((nstories + $( [ "$show" = examples/baghdad-protest.txt ] && echo 1 || echo 2 )))" "$(grep '^stories' "$tmp/s1")"
"$DYAD" query --db "$A" >"$tmp/plover"
same "events stored = events coded" "$("$DYAD" code --quiet "$HAP" "$show" examples/baghdad-protest.txt | jq -c 'select(.kind == "event")' | wc -l)" "$(wc -l <"$tmp/plover")"
# the same stories backwards, in small batches: the same store, happenings included
tac "$HAP" >"$tmp/rev.jsonl"
REV=$(db rev) FWD=$(db fwd)
"$DYAD" ingest --quiet --batch 13 --db "$REV" "$tmp/rev.jsonl"
"$DYAD" ingest --quiet --db "$FWD" "$HAP"
same "happenings do not depend on the input order (--stats)" \
  "$("$DYAD" query --db "$FWD" --stats | paste -sd' ')" "$("$DYAD" query --db "$REV" --stats | paste -sd' ')"

if [ "$BACKEND" = postgresql ]; then
  # two writers at once, each with half of the stories, in small batches
  PAR=$(db par)
  awk 'NR % 2' "$HAP" >"$tmp/odd.jsonl"; awk '!(NR % 2)' "$HAP" >"$tmp/even.jsonl"
  "$DYAD" ingest --quiet --batch 7 --db "$PAR" "$tmp/odd.jsonl" & p1=$!
  "$DYAD" ingest --quiet --batch 7 --db "$PAR" "$tmp/even.jsonl" & p2=$!
  wait $p1; r1=$?; wait $p2; r2=$?
  check "two writers at once both finish (exit $r1, $r2)" test $r1 -eq 0 -a $r2 -eq 0
  same "two writers at once: what one writer stores (--stats)" \
    "$("$DYAD" query --db "$FWD" --stats | paste -sd' ')" "$("$DYAD" query --db "$PAR" --stats | paste -sd' ')"
fi

# ---- stores of schema 1 (before event_countries), 2 (full-text index over sentences) and 3
# (before place_counts) are read as they are and migrated on write ----
if [ "$BACKEND" = sqlite ] && command -v sqlite3 >/dev/null; then
  # schema 2: sentences_fts over the sentences events cite, in place of events_fts
  s2="DROP TABLE place_counts; DROP INDEX events_place; DROP TABLE events_fts; CREATE VIRTUAL TABLE sentences_fts USING fts5(text, content='sentences',
    content_rowid='id', columnsize=0); INSERT INTO sentences_fts(rowid, text) SELECT id, text FROM
    sentences WHERE id IN (SELECT sentence_id FROM event_sentences);"
  cp "$A" "$tmp/old2.db"
  sqlite3 "$tmp/old2.db" "$s2 UPDATE meta SET value = '2' WHERE key = 'schema';"
  cp "$A" "$tmp/old.db"
  sqlite3 "$tmp/old.db" "$s2 DROP TABLE event_countries; DROP INDEX events_happening;
    CREATE INDEX events_happening ON events(happening_id); CREATE INDEX events_date ON events(date);
    CREATE INDEX events_country ON events(country_code); CREATE INDEX actors_country ON actors(country);
    INSERT INTO sentences_fts(sentences_fts) VALUES ('rebuild'); UPDATE meta SET value = '1' WHERE key = 'schema';"
  # schema 3: before place_counts
  cp "$A" "$tmp/old3.db"
  sqlite3 "$tmp/old3.db" "DROP TABLE place_counts; DROP INDEX events_place; UPDATE meta SET value = '3' WHERE key = 'schema';"
  counts="SELECT span, period, lat, lon, n, q1, q2, q3, q4, dead FROM place_counts WHERE n > 0 ORDER BY span, period, lat, lon"
  for v in 1 2 3; do
    old=$tmp/old.db; [ $v = 2 ] && old=$tmp/old2.db; [ $v = 3 ] && old=$tmp/old3.db
    for f in "--country UKR" "--country UKR --by day" "--text shelled" "--text shelled --limit 3" "--country UKR --text 'said OR says' --limit 4"; do
      eval "set -- $f"
      check "schema $v read-only: the same answer to $f" cmp -s <("$DYAD" query --db "$old" "$@") <("$DYAD" query --db "$A" "$@")
    done
    "$DYAD" ingest --quiet --db "$old" examples/baghdad-protest.txt
    same "schema $v migrated on write: schema 4" "4" "$(sqlite3 "$old" "SELECT value FROM meta WHERE key = 'schema'")"
    check "schema $v migrated: place_counts as a store made at schema 4 keeps them" cmp -s <(sqlite3 "$old" "$counts") <(sqlite3 "$A" "$counts")
    same "schema $v migrated on write: same counts and checksum" "$(cat "$tmp/s1")" "$("$DYAD" query --db "$old" --stats)"
    for f in "--country UKR" "--country UKR --by day" "--text shelled" "--text shelled --limit 3" "--country UKR --text 'said OR says' --limit 4"; do
      eval "set -- $f"
      check "schema $v migrated: the same answer to $f" cmp -s <("$DYAD" query --db "$old" "$@") <("$DYAD" query --db "$A" "$@")
    done
  done
  set --
fi

# ---- a bad line is named and skipped; every other story is stored ----
cat >"$tmp/bad.jsonl" <<'J'
{"id":"b1","date":"2024-03-05","source":"Reuters","text":"Russian forces shelled Kharkiv on Monday."}
{"id":"b2","date":"2024-03-05","text":
{"id":"b3","date":"2024-03-06","source":"AP","text":"China condemned Japan on Tuesday."}
J
BAD=$(db bad)
"$DYAD" ingest --db "$BAD" "$tmp/bad.jsonl" 2>"$tmp/bad.err"; rc=$?
same "ingest with a bad line: exit status 1" "1" "$rc"
check "ingest with a bad line: the line is named" grep -q "bad.jsonl:2:" "$tmp/bad.err"
same "ingest with a bad line: the others are stored" "stories 2" "$("$DYAD" query --db "$BAD" --stats | grep '^stories ')"
check "ingest with a bad line: the summary counts it" grep -q "1 rejected" "$tmp/bad.err"

# ---- a changed story replaces its records ----
cat >"$tmp/v1.jsonl" <<'J'
{"id":"c1","date":"2024-03-05","source":"Reuters","text":"Russian forces shelled Kharkiv on Monday."}
{"id":"c2","date":"2024-03-05","source":"AP","text":"Russian artillery pounded Kharkiv on Monday."}
J
cat >"$tmp/v2.jsonl" <<'J'
{"id":"c1","date":"2024-03-05","source":"Reuters","text":"China condemned Japan on Monday over its latest decision."}
J
C=$(db c) C2=$(db c2)
"$DYAD" ingest --quiet --db "$C" "$tmp/v1.jsonl"
same "two reports, one happening" "1" "$("$DYAD" query --db "$C" --happenings | jq -s 'length')"
same "the happening has 2 mentions from 2 sources" "2 2" "$("$DYAD" query --db "$C" --happenings | jq -r '"\(.mentions) \(.sources)"')"
"$DYAD" ingest --db "$C" "$tmp/v2.jsonl" 2>"$tmp/err"
check "the changed story is reported as changed" grep -q '1 changed' "$tmp/err"
same "its old events are gone, the new one stored" "c1-1 111|c2-1 194" "$("$DYAD" query --db "$C" | jq -r '"\(.id) \(.cameo.code)"' | sort | paste -sd'|')"
same "the shelling is now reported once" "1" "$("$DYAD" query --db "$C" --root 19 --happenings | jq -r .mentions)"
same "the old sentence is no longer found by --text" "0" "$("$DYAD" query --db "$C" --text shelled | wc -l)"
same "the new sentence is" "c1-1" "$("$DYAD" query --db "$C" --text condemned | jq -r .id)"
# both versions in one run (one batch): the first is replaced before it was ever committed
"$DYAD" ingest --quiet --db "$C2" "$tmp/v1.jsonl" "$tmp/v2.jsonl"
same "replaced within one batch: same records as in two runs" "$("$DYAD" query --db "$C" | jq -r .id | paste -sd,)" "$("$DYAD" query --db "$C2" | jq -r .id | paste -sd,)"
same "replaced within one batch: --text finds only the new sentence" "c1-1 c2-1" "$( ("$DYAD" query --db "$C2" --text condemned; "$DYAD" query --db "$C2" --text 'shelled OR pounded') | jq -r .id | paste -sd' ')"
# place_counts (what maps read) follows the replaced events: as counted again from the events
if [ "$BACKEND" = sqlite ] && command -v sqlite3 >/dev/null; then
  recount="SELECT * FROM (SELECT 1, coalesce(date, ''), lat, lon, count(*), sum(quad_class = 1), sum(quad_class = 2),
    sum(quad_class = 3), sum(quad_class = 4), sum(coalesce(dead, 0)) FROM events WHERE lat IS NOT NULL GROUP BY 2, 3, 4
    UNION ALL SELECT 2, substr(date, 1, 7), lat, lon, count(*), sum(quad_class = 1), sum(quad_class = 2), sum(quad_class = 3),
    sum(quad_class = 4), sum(coalesce(dead, 0)) FROM events WHERE lat IS NOT NULL AND date IS NOT NULL GROUP BY 2, 3, 4) ORDER BY 1, 2, 3, 4"
  kept="SELECT span, period, lat, lon, n, q1, q2, q3, q4, dead FROM place_counts WHERE n > 0 ORDER BY 1, 2, 3, 4"
  for x in "$C" "$C2"; do
    check "a replaced story: place_counts as counted again from the events ($(sqlite3 "$x" "SELECT count(*) FROM place_counts WHERE n > 0") rows)" \
      cmp -s <(sqlite3 "$x" "$kept") <(sqlite3 "$x" "$recount")
  done
fi

# ---- filters, against what the PLOVER records say ----
q() { "$DYAD" query --db "$A" "$@"; }
cnt() { jq -c "select($1)" "$tmp/plover" | wc -l; }
same "--root 19" "$(cnt '.cameo.root == "19"')" "$(q --root 19 | wc -l)"
same "--code 163" "$(cnt '.cameo.code == "163"')" "$(q --code 163 | wc -l)"
same "--from/--to" "$(cnt '.date >= "2024-02-01" and .date <= "2024-02-29"')" "$(q --from 2024-02-01 --to 2024-02-29 | wc -l)"
same "--actor RUS (prefix of any member)" "$(cnt '[.actor[], .recipient[]] | any(.code | startswith("RUS"))')" "$(q --actor RUS | wc -l)"
same "--country UKR (place or actor)" "$(cnt '.event_loc.country_code == "UKR" or ([.actor[], .recipient[]] | any(.country == "UKR"))')" "$(q --country UKR | wc -l)"
# Kharkiv 49.98,36.25: within 30 km only Kharkiv itself
near=$(q --near 49.98,36.25,30 | jq -r .event_loc.resolved_place | sort -u | paste -sd,)
same "--near Kharkiv,30km finds only Kharkiv" "Kharkiv" "$near"
check "--near finds events" test "$(q --near 49.98,36.25,30 | wc -l)" -gt 0
same "--near finds every Kharkiv event" "$(cnt '.event_loc.resolved_place == "Kharkiv"')" "$(q --near 49.98,36.25,30 | wc -l)"
same "--text 'shelled' matches the sentences" "$(jq -r '.text' "$tmp/plover" | grep -ciw shelled)" "$(q --text shelled | wc -l)"
same "--text with --root combine" "$(jq -c 'select(.cameo.root == "19")' "$tmp/plover" | jq -r .text | grep -ciw shelled)" "$(q --text shelled --root 19 | wc -l)"
same "--limit" "3" "$(q --limit 3 | wc -l)"
# a page filtered by a common actor, word or place is read in date order (EXISTS), a rare one
# by collecting the matches (IN): the same answer either way (DYAD_STORE_WALK_MATCHES=1 makes
# every filter common, a huge value none)
for f in "--actor RUS" "--actor USA --from 2024-02-01" "--text shelled" "--text 'said OR says'" \
         "--actor UKR --text shelled" "--near 49.98,36.25,300" "--near 49.98,36.25,300 --from 2024-02-01 --to 2024-03-31" \
         "--country UKR --actor RUS" "--country UKR --near 49.98,36.25,100 --to 2024-03-31"; do
  eval "set -- $f"
  page=$(DYAD_STORE_WALK_MATCHES=1000000000 q "$@" --limit 5)
  check "a page of $f: some events" test -n "$page"
  same "a page of $f: the same whichever plan" "$page" "$(DYAD_STORE_WALK_MATCHES=1 q "$@" --limit 5)"
done
set --
# a page with a word (SQLite): read from the full-text index in date order (o), the events
# walked and each probed (w), or every match collected first (c): the same answer each way
for f in "--text shelled" "--text 'said OR says'" "--text shelled --from 2024-02-01" \
         "--text 'said OR says' --to 2024-03-31" "--country UKR --text shelled" \
         "--country UKR --text 'said OR says' --from 2024-02-01 --to 2024-03-31" \
         "--actor UKR --text shelled" "--text shelled --root 19" "--text 'said OR says' --near 49.98,36.25,300"; do
  eval "set -- $f"
  page=$(DYAD_STORE_TEXT_PLAN=c q "$@" --limit 7)
  check "a page of $f: some events" test -n "$page"
  same "a page of $f: read from the index, the same" "$page" "$(DYAD_STORE_TEXT_PLAN=o q "$@" --limit 7)"
  same "a page of $f: walked, the same" "$page" "$(DYAD_STORE_TEXT_PLAN=w q "$@" --limit 7)"
  same "a page of $f: the first 7 of all" "$page" "$(q "$@" | head -7)"
done
set --

# ---- happenings and time series ----
same "every event is in one happening" "$(wc -l <"$tmp/plover")" "$(q --happenings | jq '.mentions' | paste -sd+ | bc)"
same "mention lists hold every event once" "$(jq -r .id "$tmp/plover" | sort | paste -sd,)" "$(q --happenings | jq -r '.mention_list[].event_id' | sort | paste -sd,)"
for by in day week month; do
  same "--by $by counts add up" "$(wc -l <"$tmp/plover")" "$(q --by $by | awk -F'\t' 'NR > 1 { s += $2 } END { print s + 0 }')"
done
same "--by month Goldstein sums add up" "$(jq '.cameo.goldstein' "$tmp/plover" | awk '{ s += $1 } END { printf "%.1f", s }')" "$(q --by month | awk -F'\t' 'NR > 1 { s += $4 } END { printf "%.1f", s }')"
same "--by week periods are Mondays" "" "$(q --by week | awk -F'\t' 'NR > 1 { print $1 }' | while read -r d; do [ "$(date -d "$d" +%u)" = 1 ] || echo "$d"; done)"
same "--by day --format jsonl dead sums" "$(jq '.size.dead.value // 0' "$tmp/plover" | paste -sd+ | bc)" "$(q --by day --format jsonl | jq .dead | paste -sd+ | bc)"

# ---- exports read back ----
jq -r '[.id, (.date | gsub("-"; "")), (.actor[0].code // ""), (.recipient[0].code // ""), .cameo.code, .cameo.root, (.event_loc.lat // "" | tostring), (.event_loc.country_code // "")] | @tsv' "$tmp/plover" >"$tmp/ref"
q --format gdelt >"$tmp/gdelt"
same "GDELT: one row per event" "$(wc -l <"$tmp/plover")" "$(wc -l <"$tmp/gdelt")"
same "GDELT: 61 columns on every row" "61" "$(awk -F'\t' '{ print NF }' "$tmp/gdelt" | sort -u | paste -sd,)"
same "GDELT: dates, actors, codes, places" "$(cut -f2- "$tmp/ref" | awk -F'\t' -v OFS='\t' '{ $6 = ($6 == "" ? "" : sprintf("%.4f", $6)); print }')" \
  "$(awk -F'\t' -v OFS='\t' '{ print $2, $6, $16, $27, $29, ($57 == "" ? "" : sprintf("%.4f", $57)), $54 }' "$tmp/gdelt")"
check "GDELT: codes kept as strings (leading zeros)" awk -F'\t' '$29 !~ /^[0-9][0-9]$/ { exit 1 }' "$tmp/gdelt"
q --format phoenix >"$tmp/phx"
same "Phoenix: 26 columns on every row" "26" "$(awk -F'\t' '{ print NF }' "$tmp/phx" | sort -u | paste -sd,)"
same "Phoenix: ids, dates, actors, codes" "$(cut -f1-6 "$tmp/ref")" "$(awk -F'\t' -v OFS='\t' '{ print $1, $2, $6, $10, $14, $15 }' "$tmp/phx")"
q --format icews >"$tmp/icews"
same "ICEWS: header + one row per event" "$(( $(wc -l <"$tmp/plover") + 1 ))" "$(wc -l <"$tmp/icews")"
same "ICEWS: 20 columns on every row" "20" "$(awk -F'\t' '{ print NF }' "$tmp/icews" | sort -u | paste -sd,)"
same "ICEWS: ids, dates, codes, intensity" "$(jq -r '[.id, .date, .cameo.code, (.cameo.goldstein | tostring)] | @tsv' "$tmp/plover" | awk -F'\t' -v OFS='\t' '{ $4 = sprintf("%.1f", $4); print }')" \
  "$(awk -F'\t' -v OFS='\t' 'NR > 1 { print $1, $2, $7, $8 }' "$tmp/icews")"
q --format acled >"$tmp/acled.csv"
# a CSV reader (RFC 4180: quoted fields, doubled quotes) printing fields 1, 5, 6, 19 and the count
csvread='{ n = 0; f = ""; inq = 0; line = $0
  for (i = 1; i <= length(line); i++) { c = substr(line, i, 1)
    if (inq) { if (c == "\"") { if (substr(line, i + 1, 1) == "\"") { f = f c; i++ } else inq = 0 } else f = f c }
    else if (c == "\"") inq = 1
    else if (c == ",") { v[++n] = f; f = "" } else f = f c }
  v[++n] = f; if (NR > 1) print v[1] "\t" v[5] "\t" v[6] "\t" v[19] "\t" n }'
awk "$csvread" "$tmp/acled.csv" >"$tmp/acled"
same "ACLED: the events with an ACLED type, 19 fields each, read back" \
  "$(jq -r 'select(.acled != null) | [.id, .acled.event_type, .acled.sub_event_type, (.size.dead.value // 0 | tostring), "19"] | @tsv' "$tmp/plover")" "$(cat "$tmp/acled")"
check "ACLED: some events exported" test -s "$tmp/acled"
same "PLOVER: records carry their happening" "$(wc -l <"$tmp/plover")" "$(jq -c 'select(.happening.id > 0 and .happening.mentions >= 1)' "$tmp/plover" | wc -l)"
"$DYAD" query --db "$A" --format xml >/dev/null 2>&1; check "an unknown --format exits 2" test $? -eq 2
"$DYAD" query --db "$A" --by year >/dev/null 2>&1; check "an unknown --by exits 2" test $? -eq 2

# ---- happening grouping on the test set: precision and recall at least 0.90 ----
EVAL_DB=$(db eval) tests/store/eval.sh "$DYAD" >"$tmp/eval" 2>&1; rc=$?
sed -n 's/^happenings: all/eval: all/p' "$tmp/eval"
check "happening grouping: precision and recall >= 0.90 ($(grep -m1 'all stories' "$tmp/eval"))" test $rc -eq 0

# ---- the sanitizer build on the small cases ----
if [ -x "$ASAN" ]; then
  AS=$(db asan)
  "$ASAN" ingest --quiet --db "$AS" "$HAP" "$tmp/v1.jsonl" 2>"$tmp/asan.err" && "$ASAN" ingest --quiet --db "$AS" "$tmp/v2.jsonl" 2>>"$tmp/asan.err"
  check "ASan/UBSan: ingest and replace run clean $(head -c 300 "$tmp/asan.err")" test $? -eq 0 -a ! -s "$tmp/asan.err"
  for f in plover gdelt phoenix icews acled; do "$ASAN" query --db "$AS" --format $f >/dev/null 2>>"$tmp/asan.err" || echo "exit $f" >>"$tmp/asan.err"; done
  "$ASAN" query --db "$AS" --happenings --text shelled --near 49.98,36.25,100 --actor RUS >/dev/null 2>>"$tmp/asan.err"
  "$ASAN" query --db "$AS" --by week >/dev/null 2>>"$tmp/asan.err"
  check "ASan/UBSan: queries and exports run clean $(head -c 300 "$tmp/asan.err")" test ! -s "$tmp/asan.err"
fi

# ---- Reuters (when present): twice gives identical counts and checksums; SIGKILL resume ----
corpus=build/bench/reuters.jsonl
if [ ! -s "$corpus" ] && ls ../shared/data/corpus/reut2-*.sgm >/dev/null 2>&1; then
  mkdir -p build/bench && cc -O2 -o build/bench/sgml2jsonl bench/sgml2jsonl.c &&
    build/bench/sgml2jsonl ../shared/data/corpus/reut2-*.sgm >"$corpus"
fi
if [ -s "$corpus" ]; then
  cp "$corpus" "$tmp/reuters.jsonl"
  start=$(date +%s%N)
  R=$(db r)
  "$DYAD" ingest --quiet --db "$R" "$tmp/reuters.jsonl" "$HAP" "$show"
  full_ms=$(( ($(date +%s%N) - start) / 1000000 ))
  "$DYAD" query --db "$R" --stats >"$tmp/r1"
  "$DYAD" ingest --quiet --db "$R" "$tmp/reuters.jsonl" "$HAP" "$show"
  "$DYAD" query --db "$R" --stats >"$tmp/r2"
  check "Reuters: a second ingest changes no count or checksum" cmp -s "$tmp/r1" "$tmp/r2"
  echo "reuters + happening set + showcase: $(paste -sd' ' "$tmp/r1") in ${full_ms} ms"
  # killed at random moments, resumed each time, until a run completes
  K=$(db k)
  kills=0 runs=0
  while :; do
    runs=$((runs + 1))
    "$DYAD" ingest --quiet --batch 50 --db "$K" "$tmp/reuters.jsonl" "$HAP" "$show" 2>/dev/null &
    pid=$!
    if [ $kills -lt "$KILLS" ]; then
      delay_ms=$(( 50 + (RANDOM * 32768 + RANDOM) % (full_ms / 3 + 1) ))
      sleep "$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))"
      if kill -KILL "$pid" 2>/dev/null; then kills=$((kills + 1)); fi
    fi
    wait "$pid" 2>/dev/null
    rc=$?
    [ $rc -eq 0 ] && break
    [ $runs -gt $((KILLS * 3 + 5)) ] && break
  done
  "$DYAD" query --db "$K" --stats >"$tmp/k"
  echo "sigkill: $kills kills over $runs runs"
  check "SIGKILL: $kills kills, resumed: same counts and checksum as one clean run" cmp -s "$tmp/r1" "$tmp/k"
  cmp -s "$tmp/r1" "$tmp/k" || diff "$tmp/r1" "$tmp/k"
  if [ "$BACKEND" = sqlite ] && command -v sqlite3 >/dev/null; then
    check "SIGKILL: place_counts as counted again from the events" cmp -s <(sqlite3 "$K" "$kept") <(sqlite3 "$K" "$recount")
  fi
else
  echo "$name: $corpus and ../shared/data/corpus absent; Reuters and SIGKILL cases skipped"
fi

# ---- PostgreSQL holds what SQLite holds ----
if [ "$BACKEND" = postgresql ]; then
  "$DYAD" ingest --quiet --db "$tmp/lite.db" "$HAP" "$show" examples/baghdad-protest.txt
  same "PostgreSQL and SQLite stores of the same stories: same counts and checksum" \
    "$("$DYAD" query --db "$tmp/lite.db" --stats | paste -sd' ')" "$(paste -sd' ' "$tmp/s1")"
  for f in plover gdelt phoenix icews acled; do
    check "PostgreSQL and SQLite: the same $f export" \
      cmp -s <("$DYAD" query --db "$tmp/lite.db" --format $f) <("$DYAD" query --db "$A" --format $f)
  done
  check "PostgreSQL and SQLite: the same happenings" \
    cmp -s <("$DYAD" query --db "$tmp/lite.db" --happenings) <("$DYAD" query --db "$A" --happenings)
  for by in day week month; do
    check "PostgreSQL and SQLite: the same --by $by series" \
      cmp -s <("$DYAD" query --db "$tmp/lite.db" --by $by) <("$DYAD" query --db "$A" --by $by)
  done
  for f in "--country UKR" "--actor RUS" "--near 49.98,36.25,30" "--text shelled" "--root 19 --from 2024-02-01"; do
    # shellcheck disable=SC2086
    check "PostgreSQL and SQLite: the same events for $f" \
      cmp -s <("$DYAD" query --db "$tmp/lite.db" $f) <("$DYAD" query --db "$A" $f)
  done
  # a store before place_counts (schema 3) is migrated on write: the counts as SQLite keeps them
  M=$(db m)
  "$DYAD" ingest --quiet --db "$M" "$HAP" "$show"
  psql "$M" -qc "DROP TABLE place_counts" -c "DROP INDEX events_place" -c "UPDATE meta SET value = '3' WHERE key = 'schema'"
  "$DYAD" ingest --quiet --db "$M" examples/baghdad-protest.txt
  same "PostgreSQL schema 3 migrated on write: schema 4" 4 "$(psql "$M" -Atc "SELECT value FROM meta WHERE key = 'schema'")"
  # the points in millionths of a degree: the two shells write reals differently (-25 and -25.0)
  pgk="SELECT span, period, round(lat * 1000000)::bigint, round(lon * 1000000)::bigint, n, q1, q2, q3, q4, dead
    FROM place_counts WHERE n > 0 ORDER BY 1, 2, 3, 4"
  ltk="SELECT span, period, CAST(round(lat * 1000000) AS INTEGER), CAST(round(lon * 1000000) AS INTEGER), n, q1, q2,
    q3, q4, dead FROM place_counts WHERE n > 0 ORDER BY 1, 2, 3, 4"
  check "PostgreSQL schema 3 migrated: place_counts as an SQLite store of the same stories keeps them" \
    cmp -s <(psql "$M" -AF'|' -tc "$pgk") <(sqlite3 "$tmp/lite.db" "$ltk")
fi

echo "$name: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
