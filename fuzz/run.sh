#!/usr/bin/env bash
# run.sh — runs dyad's libFuzzer targets for a bounded time (make fuzz-smoke, make fuzz).
# Usage: fuzz/run.sh NAME SECONDS RSS_MB JOBS TARGET...
# Each target fuzzes from its seeds (fuzz/corpus/T, read only) and its regression inputs,
# keeping what it learns in fuzz/corpus-T/ (not committed). Prints one line per target with the
# executions and executions per second from libFuzzer's final stats, copies each crash, leak or
# timeout to fuzz/regressions/T/ (replayed by tests/extra/fuzz-regressions.sh), and ends with
# "NAME: N passed, N failed" (a target passes when it found nothing). JOBS targets run at once.
set -u
cd "$(dirname "$0")/.."
name=$1 secs=$2 rss=$3 jobs=$4; shift 4
logs=build/fuzz/logs; mkdir -p "$logs"
# the fuzzers' own files (dictionary sets they load) go to a private directory removed at the end
export TMPDIR=$PWD/build/fuzz/tmp-$$
mkdir -p "$TMPDIR"; trap 'rm -rf "$TMPDIR"' EXIT

fuzz_one() { # target
  local t=$1 work=fuzz/corpus-$1 art=build/fuzz/artifacts/$1/
  mkdir -p "$work" "$art" "fuzz/regressions/$t"
  rm -f "$art"/*
  local dict=(); [ -f "fuzz/$t.dict" ] && dict=(-dict="fuzz/$t.dict")
  local timeout=$(( secs < 25 ? 25 : secs / 4 )) max_len=65536
  case $t in fuzz_code | fuzz_dict) max_len=4096 ;; esac # whole-coder runs: small inputs, more of them
  "build/fuzz/$t" -max_total_time="$secs" -rss_limit_mb="$rss" -timeout="$timeout" \
    -max_len="$max_len" -print_final_stats=1 -artifact_prefix="$art" "${dict[@]}" \
    "$work" "fuzz/corpus/$t" "fuzz/regressions/$t" >"$logs/$t.log" 2>&1
  echo $? >"$logs/$t.rc"
}

running=0
for t in "$@"; do
  fuzz_one "$t" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then wait -n; running=$((running - 1)); fi
done
wait

pass=0 fail=0
for t in "$@"; do
  log=$logs/$t.log rc=$(cat "$logs/$t.rc" 2>/dev/null || echo 1)
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n1)
  if [ -z "$execs" ]; then # no final stats: read the last "#N ... exec/s: X" line
    execs=$(grep -oE '^#[0-9]+' "$log" | tail -n1 | tr -d '#')
    speed=$(grep -oE 'exec/s: [0-9]+' "$log" | tail -n1 | grep -oE '[0-9]+')
  fi
  corpus=$(ls "fuzz/corpus-$t" 2>/dev/null | wc -l)
  found=(build/fuzz/artifacts/$t/*)
  if [ "$rc" -eq 0 ] && [ ! -e "${found[0]}" ]; then
    pass=$((pass + 1))
    printf '%-13s ok    %10s execs %8s exec/s  corpus %s\n' "$t" "${execs:-?}" "${speed:-?}" "$corpus"
  else
    fail=$((fail + 1))
    printf '%-13s FAIL  %10s execs %8s exec/s  (exit %s; log %s)\n' "$t" "${execs:-?}" "${speed:-?}" "$rc" "$log"
    grep -E 'ERROR: |invariant broken|SUMMARY: ' "$log" | head -n 5 | sed 's/^/    /'
    for a in "${found[@]}"; do
      [ -e "$a" ] || continue
      cp "$a" "fuzz/regressions/$t/"
      echo "    input saved as fuzz/regressions/$t/$(basename "$a") (replayed by tests/extra/fuzz-regressions.sh)"
    done
  fi
done
echo "$name: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
