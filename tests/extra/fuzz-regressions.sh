#!/usr/bin/env bash
# fuzz-regressions.sh — replays every stored fuzzing input without fuzzing: each crash a fuzzer
# ever found (fuzz/regressions/<target>/) and every seed (fuzz/corpus/<target>/) is run once
# through its target built with ASan + UBSan; each file passes when the target returns
# normally. Ends with "fuzz-regressions: N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
make -s fuzz-build >/dev/null || { echo "fuzz-regressions: building the fuzzers failed"; echo "fuzz-regressions: 0 passed, 1 failed"; exit 1; }
pass=0 fail=0
for dir in fuzz/regressions/* fuzz/corpus/*; do
  t=$(basename "$dir")
  [ -x "build/fuzz/$t" ] || continue
  for f in "$dir"/*; do
    [ -f "$f" ] || continue
    if "build/fuzz/$t" -runs=1 -rss_limit_mb=2048 -timeout=60 "$f" >build/fuzz/replay.log 2>&1; then
      pass=$((pass + 1))
    else
      fail=$((fail + 1))
      echo "FAIL: $t $f"
      grep -E 'ERROR|invariant|SUMMARY|#[0-9]+ 0x' build/fuzz/replay.log | head -n 12 | sed 's/^/    /'
    fi
  done
done
echo "fuzz-regressions: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
