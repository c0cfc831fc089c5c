#!/usr/bin/env bash
# workers.sh — `dyad enqueue` and `dyad worker` against a real redis-server
# (scripts/redis-server.sh, append-only file on, fsynced before every reply) and the stores: options and --help; a worker
# on SQLite stores what `dyad ingest` stores (same counts and checksum); rejected input named
# by enqueue; poisoned entries (a bad date, no text, an entry delivered too often) land in the
# dead-letter stream with their reason; SIGTERM finishes the batch and exits 0; --metrics
# serves Prometheus text. Then, with the Reuters corpus (../shared/data/corpus): 3 workers over
# 20,000 stories (with duplicates) into PostgreSQL (scripts/pg-server.sh) while enqueue waits
# on back-pressure; one worker SIGKILLed at random moments five times and restarted; Redis
# SIGKILLed mid-run, while enqueue adds stories, and restarted from its append-only file.
# Afterwards the store holds every story once, with the same --stats (counts and checksum:
# every sentence, event record, actor, place, quote and happening) as a single `dyad ingest`
# of the same input, although the workers stored the stories in another order. Ends with
# "workers: N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
DYAD=${DYAD:-build/dyad}
KILLS=${KILLS:-5}
pass=0 fail=0
ok()  { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() { local what=$1; shift; if "$@"; then ok; else bad "$what"; fi; }
same() { if [ "$2" = "$3" ]; then ok; else bad "$1: expected '$2', got '$3'"; fi; }
finish() { echo "workers: $pass passed, $fail failed"; [ "$fail" -eq 0 ]; exit $?; }
tmp=$(mktemp -d)
pids=() started_pg=
cleanup() {
  local p
  for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null; done
  wait 2>/dev/null
  scripts/redis-server.sh destroy "$tmp/redis" >/dev/null 2>&1
  [ -n "$started_pg" ] && scripts/pg-server.sh destroy >/dev/null 2>&1
  rm -rf "$tmp"
}
trap cleanup EXIT
cp "$DYAD" "$tmp/dyad" && DYAD=$tmp/dyad
command -v jq >/dev/null || { bad "jq missing (scripts/install-deps.sh test)"; finish; }
URL=$(scripts/redis-server.sh start "$tmp/redis") || { bad "cannot start redis-server (scripts/redis-server.sh)"; finish; }
SOCK=${URL#unix://}
rc() { redis-cli -s "$SOCK" "$@"; }
HAP=tests/store/happenings.jsonl

# ---- options ----
"$DYAD" worker --help >"$tmp/out" 2>&1; check "worker --help exits 0" test $? -eq 0
check "worker --help documents --claim-after" grep -q -- '--claim-after MS' "$tmp/out"
"$DYAD" enqueue --help >"$tmp/out" 2>&1; check "enqueue --help exits 0" test $? -eq 0
check "enqueue --help documents --maxlen" grep -q -- '--maxlen N' "$tmp/out"
usage() { # description, expected text on stderr, command...
  local what=$1 want=$2; shift 2
  "$DYAD" "$@" </dev/null >/dev/null 2>"$tmp/err"; local r=$?
  if [ $r -eq 2 ] && grep -q -- "$want" "$tmp/err"; then ok; else bad "$what: exit $r, $(head -c 200 "$tmp/err")"; fi
}
usage "worker without --db" "needs --redis" worker --redis "$URL" --stream s --group g
usage "worker --batch 0" "\-\-batch: '0' is not a whole number from 1 to 10000" worker --redis "$URL" --stream s --group g --db x.db --batch 0
usage "worker --claim-after abc" "\-\-claim-after: 'abc'" worker --redis "$URL" --stream s --group g --db x.db --claim-after abc
usage "worker --max-failures=0" "\-\-max-failures: '0'" worker --redis "$URL" --stream s --group g --db x.db --max-failures=0
usage "worker with an unknown option" "unknown option '--bogus'" worker --bogus
usage "worker --redis http://..." "is not a Redis URL" worker --redis http://localhost --stream s --group g --db x.db
usage "worker --redis with a bad port" "port that is not a number" worker --redis redis://localhost:99999 --stream s --group g --db x.db
usage "enqueue without --stream" "needs --redis URL and --stream" enqueue --redis "$URL"
usage "enqueue --maxlen -1" "\-\-maxlen: '-1'" enqueue --redis "$URL" --stream s --maxlen -1
usage "enqueue --date 2024-02-30" "February 2024 has 29 days" enqueue --redis "$URL" --stream s --date 2024-02-30
"$DYAD" enqueue --redis unix://"$tmp"/none.sock --stream s "$HAP" >/dev/null 2>"$tmp/err"
check "enqueue to a server that is not there exits 3 and says why" test $? -eq 3 -a -s "$tmp/err"

# ---- one worker on SQLite: the happening set, a bad input line, poisoned entries ----
cat "$HAP" >"$tmp/in.jsonl"
printf '%s\n' '{"id":"bad1","date":"2024-04-31","text":"Russian forces shelled Kharkiv."}' >>"$tmp/in.jsonl"
"$DYAD" enqueue --quiet --redis "$URL" --stream s1 "$tmp/in.jsonl" 2>"$tmp/err"; r=$?
same "enqueue with a bad line exits 1" 1 "$r"
check "enqueue names the bad line: $(head -c 200 "$tmp/err")" grep -q "in.jsonl:400: field \"date\": '2024-04-31' is not a date" "$tmp/err"
same "enqueue adds every other story" "$(wc -l <"$HAP")" "$(rc XLEN s1)"
rc XADD s1 '*' id poison-date date 2024-02-30 text "Iraq condemned Iran." >/dev/null
rc XADD s1 '*' id poison-text date 2024-03-01 >/dev/null
"$DYAD" worker --redis "$URL" --stream s1 --group g --db "$tmp/w1.db" --batch 50 --exit-when-empty 2>"$tmp/err"; r=$?
same "a worker with --exit-when-empty exits 0 at the end" 0 "$r"
"$DYAD" ingest --quiet --db "$tmp/i1.db" "$HAP"
same "one worker stores what dyad ingest stores (counts and checksum)" \
  "$("$DYAD" query --db "$tmp/i1.db" --stats | paste -sd' ')" "$("$DYAD" query --db "$tmp/w1.db" --stats | paste -sd' ')"
same "two poisoned entries in the dead-letter stream" 2 "$(rc XLEN s1:dead)"
rc --raw XRANGE s1:dead - + >"$tmp/dead"
check "the bad date's reason is given: $(grep -A1 '^reason$' "$tmp/dead" | head -c 300)" grep -q "field \"date\": '2024-02-30' is not a date: February 2024 has 29 days" "$tmp/dead"
check "the missing text's reason is given" grep -q 'no "text" field' "$tmp/dead"
check "the worker names the dead letters on stderr" grep -q "poison\|not a date" "$tmp/err"
same "nothing left pending" 0 "$(rc XPENDING s1 g | head -n1)"
check "the summary counts the dead letters: $(tail -n1 "$tmp/err")" grep -q "2 dead-lettered" "$tmp/err"
# the same stories again: every one found stored unchanged
"$DYAD" enqueue --quiet --redis "$URL" --stream s1 "$HAP"
"$DYAD" worker --redis "$URL" --stream s1 --group g --db "$tmp/w1.db" --exit-when-empty 2>"$tmp/err"
check "enqueued again: all unchanged ($(tail -n1 "$tmp/err" | head -c 120))" grep -q "(0 new, 0 changed, $(wc -l <"$HAP") unchanged" "$tmp/err"
check "acknowledged entries are trimmed from the stream" test "$(rc XLEN s1)" -le 1

# the sanitizer build (ASan + UBSan) over the same small case, with poison and metrics
ASAN=${ASAN:-build/asan/dyad}
if [ -x "$ASAN" ]; then
  cp "$ASAN" "$tmp/asan-dyad"
  "$tmp/asan-dyad" enqueue --quiet --redis "$URL" --stream s4 "$HAP" 2>"$tmp/asan.err"
  rc XADD s4 '*' id poison-utf8 text $'\xff\xfe' >/dev/null
  "$tmp/asan-dyad" worker --quiet --redis "$URL" --stream s4 --group g --db "$tmp/w4.db" --batch 37 \
    --metrics 127.0.0.1:0 --exit-when-empty 2>>"$tmp/asan.err"; r=$?
  check "ASan/UBSan: enqueue and worker run clean (exit $r) $(grep -m3 -E 'Sanitizer|runtime error' "$tmp/asan.err")" \
    test $r -eq 0 -a -z "$(grep -E 'Sanitizer|runtime error' "$tmp/asan.err")"
  same "ASan/UBSan: what one worker stores" "$("$DYAD" query --db "$tmp/i1.db" --stats | paste -sd' ')" "$("$DYAD" query --db "$tmp/w4.db" --stats | paste -sd' ')"
fi

# an entry every consumer that took it left unacknowledged: dead-lettered past --max-failures
id=$(rc XADD s2 '*' id lost date 2024-03-01 text "China condemned Japan.")
rc XGROUP CREATE s2 g 0 >/dev/null
rc XREADGROUP GROUP g ghost COUNT 1 STREAMS s2 '>' >/dev/null
rc XCLAIM s2 g ghost 0 "$id" RETRYCOUNT 7 >/dev/null
"$DYAD" worker --quiet --redis "$URL" --stream s2 --group g --db "$tmp/w2.db" --claim-after 100 --max-failures 3 --exit-when-empty 2>/dev/null
check "an entry delivered more than --max-failures times is dead-lettered with the count" \
  sh -c "redis-cli -s '$SOCK' --raw XRANGE s2:dead - + | grep -q 'delivered 8 times (--max-failures 3)'"
same "... and acknowledged" 0 "$(rc XPENDING s2 g | head -n1)"

# --metrics on a free port; SIGTERM exits 0
"$DYAD" worker --redis "$URL" --stream s3 --group g --db "$tmp/w3.db" --metrics 127.0.0.1:0 2>"$tmp/err" & wp=$!
pids+=("$wp")
port=
for _ in $(seq 100); do port=$(sed -n 's|.*metrics at http://127.0.0.1:\([0-9]*\)/metrics.*|\1|p' "$tmp/err"); [ -n "$port" ] && break; sleep 0.1; done
"$DYAD" enqueue --quiet --redis "$URL" --stream s3 examples/baghdad-protest.txt
for _ in $(seq 50); do [ "$(rc XPENDING s3 g | head -n1)" = 0 ] && [ "$(rc XLEN s3)" -le 1 ] && break; sleep 0.1; done
sleep 1.2 # the gauges are read once a second
if [ -n "$port" ]; then
  exec 3<>"/dev/tcp/127.0.0.1/$port" && printf 'GET /metrics HTTP/1.0\r\n\r\n' >&3 && cat <&3 >"$tmp/metrics"; exec 3<&- 3>&-
fi
check "--metrics serves Prometheus text ($(head -c 100 "$tmp/metrics" 2>/dev/null))" grep -q '^HTTP/1.0 200 OK' "$tmp/metrics"
check "--metrics counts the story stored" grep -q '^dyad_worker_stories_total{outcome="new"} 1$' "$tmp/metrics"
check "--metrics gives the group's lag" grep -q '^dyad_worker_group_lag 0$' "$tmp/metrics"
kill -TERM "$wp"; wait "$wp"; r=$?
same "SIGTERM: the worker exits 0" 0 "$r"

# ---- 3 workers over 20,000 stories into PostgreSQL; kills; Redis restarted ----
corpus=build/bench/reuters.jsonl
if [ ! -s "$corpus" ] && ls ../shared/data/corpus/reut2-*.sgm >/dev/null 2>&1; then
  mkdir -p build/bench && cc -O2 -o build/bench/sgml2jsonl bench/sgml2jsonl.c &&
    build/bench/sgml2jsonl ../shared/data/corpus/reut2-*.sgm >"$corpus"
fi
if [ ! -s "$corpus" ]; then
  echo "workers: $corpus and ../shared/data/corpus absent; the 20,000-story run is skipped"
  finish
fi
# Reuters, the happening set, and duplicates of the first Reuters stories up to 20,000
cat "$corpus" "$HAP" >"$tmp/big.jsonl"
head -n $((20000 - $(wc -l <"$tmp/big.jsonl"))) "$corpus" >>"$tmp/big.jsonl"
same "20,000 stories to enqueue" 20000 "$(wc -l <"$tmp/big.jsonl")"
"$DYAD" ingest --quiet --db "$tmp/ref.db" "$tmp/big.jsonl"
scripts/pg-server.sh status || started_pg=1
pg=$(scripts/pg-server.sh start) || { bad "cannot start PostgreSQL (scripts/pg-server.sh)"; finish; }
server=${pg%/*}
PGOPTIONS="-c client_min_messages=warning" psql "$server/postgres" -qc "DROP DATABASE IF EXISTS dyad_t_workers" \
  -c "CREATE DATABASE dyad_t_workers" >/dev/null
DB=$server/dyad_t_workers
start=$(date +%s%N)
WOPTS=(--redis "$URL" --stream big --group g --db "$DB" --batch 50 --claim-after 2000)
"$DYAD" enqueue --redis "$URL" --stream big --maxlen 3000 "$tmp/big.jsonl" 2>"$tmp/enq.err" & enq=$!
pids+=("$enq")
for w in 1 2; do "$DYAD" worker "${WOPTS[@]}" --consumer "w$w" 2>"$tmp/w$w.err" & eval "w$w=\$!"; pids+=("$!"); done
"$DYAD" worker "${WOPTS[@]}" 2>"$tmp/w3.err" & w3=$!
pids+=("$w3")
kills=0 restarted=0 lagged=0 enq_at_kill=0
while :; do
  sleep "0.$((RANDOM % 9 + 1))$((RANDOM % 10))"
  [ "$(rc XLEN big)" -gt 2000 ] && lagged=1
  if [ $kills -lt "$KILLS" ] && sleep "$((RANDOM % 3)).$((RANDOM % 10))" && kill -KILL "$w3" 2>/dev/null; then
    wait "$w3" 2>/dev/null
    kills=$((kills + 1))
    if [ $kills -eq 2 ] && [ $restarted -eq 0 ]; then # Redis crashes and comes back
      kill -0 "$enq" 2>/dev/null && enq_at_kill=1
      scripts/redis-server.sh kill "$tmp/redis"; sleep 1
      scripts/redis-server.sh start "$tmp/redis" >/dev/null && restarted=1
    fi
    "$DYAD" worker "${WOPTS[@]}" 2>>"$tmp/w3.err" & w3=$!
    pids+=("$w3")
  fi
  # done once enqueue has finished and the group has nothing undelivered or pending
  if ! kill -0 "$enq" 2>/dev/null && [ "$(rc XPENDING big g | head -n1)" = 0 ] &&
     [ "$(rc XINFO GROUPS big | sed -n '/^lag$/{n;p}')" = 0 ] && [ $kills -ge "$KILLS" ]; then break; fi
  [ $(( ($(date +%s%N) - start) / 1000000000 )) -gt 600 ] && { bad "the run did not finish in 10 minutes"; break; }
done
run_s=$(( ($(date +%s%N) - start) / 1000000 ))
wait "$enq"; r=$?
same "enqueue of 20,000 stories exits 0 through back-pressure and a Redis crash" 0 "$r"
check "enqueue waited for the workers ($(tail -n1 "$tmp/enq.err"))" grep -Eq 'waiting for workers' "$tmp/enq.err"
same "Redis SIGKILLed and restarted once" 1 "$restarted"
same "Redis was killed while enqueue was adding stories" 1 "$enq_at_kill"
same "$KILLS kills" "$KILLS" "$kills"
for w in "$w1" "$w2" "$w3"; do kill -TERM "$w" 2>/dev/null; done
r1=0; for w in "$w1" "$w2" "$w3"; do wait "$w" || r1=$?; done
same "SIGTERM: all three workers exit 0" 0 "$r1"
check "the workers reconnected after the restart" grep -q "reconnected to Redis" "$tmp/w1.err"
echo "3 workers, $kills kills, Redis killed and restarted: 20,000 stories in $((run_s / 1000)).$((run_s % 1000 / 100)) s"
grep -h "^dyad worker w[12]:" "$tmp/w1.err" "$tmp/w2.err"
"$DYAD" query --db "$DB" --stats >"$tmp/pg.stats"
"$DYAD" query --db "$tmp/ref.db" --stats >"$tmp/ref.stats"
same "every story stored once: the counts and --stats checksum of one dyad ingest" \
  "$(paste -sd' ' "$tmp/ref.stats")" "$(paste -sd' ' "$tmp/pg.stats")"
strip='del(.happening)'
check "every event record is the one dyad ingest stores" \
  cmp -s <("$DYAD" query --db "$tmp/ref.db" | jq -c "$strip" | sort) <("$DYAD" query --db "$DB" | jq -c "$strip" | sort)
check "the same happenings as one dyad ingest (every mention list)" \
  cmp -s <("$DYAD" query --db "$tmp/ref.db" --happenings | jq -c '[.mention_list[].event_id] | sort' | sort) \
         <("$DYAD" query --db "$DB" --happenings | jq -c '[.mention_list[].event_id] | sort' | sort)
same "every event in one happening" "$(sed -n 's/^events //p' "$tmp/pg.stats")" "$("$DYAD" query --db "$DB" --happenings | jq '.mentions' | paste -sd+ | bc)"
same "no dead letter" 0 "$(rc XLEN big:dead)"
PGOPTIONS="-c client_min_messages=warning" psql "$server/postgres" -qc "DROP DATABASE IF EXISTS dyad_t_workers" >/dev/null
finish
