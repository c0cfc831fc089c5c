#!/usr/bin/env bash
# `make bench-workers` (part of `make bench`): `dyad worker` throughput and end-to-end lag
# against a private Redis (scripts/redis-server.sh) and the store on PostgreSQL
# (scripts/pg-server.sh) and SQLite. Usage: bench/workers.sh DYAD CORPUS.jsonl [STORIES]
#  - throughput: STORIES stories (default 5000) of the corpus enqueued first, then coded and
#    stored by 1 and by 2 workers; stories/s from the first worker's start to the last ack;
#  - lag at rest: 50 stories enqueued one at a time, 0.1 s apart, to an idle worker: from XADD
#    to stored and acknowledged (the worker's p50 and p95, from the entry ids' clock);
#  - lag under load: the stories enqueued while 2 workers run, back-pressure at --maxlen 200.
set -u
cd "$(dirname "$0")/.."
DYAD=$1 CORPUS=$2 N=${3:-5000}
tmp=$(mktemp -d)
pids=() started_pg= pg= k=0
cleanup() {
  local p
  for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null; done
  wait 2>/dev/null
  scripts/redis-server.sh destroy "$tmp/redis" >/dev/null 2>&1
  [ -n "$pg" ] && for i in $(seq "$k"); do
    PGOPTIONS="-c client_min_messages=warning" psql "${pg%/*}/postgres" -qc "DROP DATABASE IF EXISTS dyad_b_$i" >/dev/null 2>&1
  done
  [ -n "$started_pg" ] && scripts/pg-server.sh destroy >/dev/null 2>&1
  rm -rf "$tmp"
}
trap cleanup EXIT
URL=$(scripts/redis-server.sh start "$tmp/redis") || { echo "bench-workers: cannot start redis-server" >&2; exit 1; }
SOCK=${URL#unix://}
head -n "$N" "$CORPUS" >"$tmp/in.jsonl"
N=$(wc -l <"$tmp/in.jsonl")
stores=(sqlite)
if scripts/pg-server.sh status || { started_pg=1; pg=$(scripts/pg-server.sh start 2>/dev/null); }; then
  pg=$(scripts/pg-server.sh uri)
  stores=(postgresql sqlite)
fi
k=0
# A fresh store of the kind $1, numbered $2: its --db.
fresh() {
  local k=$2
  if [ "$1" = postgresql ]; then
    PGOPTIONS="-c client_min_messages=warning" psql "${pg%/*}/postgres" -qc "DROP DATABASE IF EXISTS dyad_b_$k" \
      -c "CREATE DATABASE dyad_b_$k" >/dev/null && echo "${pg%/*}/dyad_b_$k"
  else
    echo "$tmp/b$k.db"
  fi
}
# Waits until the group g of stream $1 has nothing undelivered or pending.
drained() {
  while :; do
    [ "$(redis-cli -s "$SOCK" XPENDING "$1" g | head -n1)" = 0 ] &&
      [ "$(redis-cli -s "$SOCK" XINFO GROUPS "$1" | sed -n '/^lag$/{n;p}')" = 0 ] && return
    sleep 0.02
  done
}
ms() { echo $(( $(date +%s%N) / 1000000 )); }
# Starts $1 workers on stream $2 into store $3 (their pids in wpids).
workers() {
  wpids=()
  for i in $(seq "$1"); do
    "$DYAD" worker --redis "$URL" --stream "$2" --group g --db "$3" --batch 100 --consumer "c$i" 2>>"$tmp/$2.err" &
    wpids+=("$!"); pids+=("$!")
  done
}
stopw() { kill -TERM "${wpids[@]}" 2>/dev/null; wait "${wpids[@]}" 2>/dev/null; }

printf 'workers (Reuters-21578, first %s stories; Redis on a Unix socket, batches of 100)\n' "$N"
for store in "${stores[@]}"; do
  base=
  for n in 1 2; do
    k=$((k + 1)) s="t-$store-$n" db=$(fresh "$store" $k)
    "$DYAD" enqueue --quiet --redis "$URL" --stream "$s" --maxlen 1000000 "$tmp/in.jsonl"
    redis-cli -s "$SOCK" XGROUP CREATE "$s" g 0 >/dev/null
    t0=$(ms)
    workers "$n" "$s" "$db"
    drained "$s"
    t=$(( $(ms) - t0 ))
    stopw
    rate=$(( N * 1000 / (t > 0 ? t : 1) ))
    [ -z "$base" ] && base=$rate
    printf '  %-10s %d worker%s: %6d stories/s (%d.%02d s)%s\n' "$store" "$n" "$([ "$n" = 1 ] || echo s)" "$rate" \
      $((t / 1000)) $((t % 1000 / 10)) "$([ "$n" = 2 ] && awk -v a="$rate" -v b="$base" 'BEGIN { printf "; %.2fx one worker", a / b }')"
  done
done
store=${stores[0]}
# lag at rest: one story at a time to an idle worker
k=$((k + 1)) s=rest db=$(fresh "$store" $k)
redis-cli -s "$SOCK" XGROUP CREATE "$s" g 0 MKSTREAM >/dev/null
workers 1 "$s" "$db"
sleep 1
for i in $(seq 50); do
  sed -n "${i}p" "$tmp/in.jsonl" | "$DYAD" enqueue --quiet --redis "$URL" --stream "$s"
  sleep 0.1
done
drained "$s"
stopw
printf '  lag at rest (%s, 50 stories 0.1 s apart, 1 worker): %s\n' "$store" \
  "$(grep -o 'end-to-end lag p50 [0-9.]* s, p95 [0-9.]* s' "$tmp/$s.err" | tail -n1 | sed 's/end-to-end lag //')"
# lag under load: enqueue held to 200 undelivered entries while 2 workers run
k=$((k + 1)) s=load db=$(fresh "$store" $k)
redis-cli -s "$SOCK" XGROUP CREATE "$s" g 0 MKSTREAM >/dev/null
workers 2 "$s" "$db"
t0=$(ms)
"$DYAD" enqueue --redis "$URL" --stream "$s" --maxlen 200 "$tmp/in.jsonl" 2>"$tmp/enq.err"
drained "$s"
t=$(( $(ms) - t0 ))
stopw
printf '  lag under load (%s, --maxlen 200, 2 workers): %s per worker; %d stories/s end to end; %s\n' "$store" \
  "$(grep -o 'end-to-end lag p50 [0-9.]* s, p95 [0-9.]* s' "$tmp/$s.err" | sed 's/end-to-end lag //' | paste -sd'|' | sed 's/|/ and /')" \
  $(( N * 1000 / (t > 0 ? t : 1) )) "$(grep -o '[0-9.]* s waiting for workers' "$tmp/enq.err" | sed 's/^/enqueue spent /')"
