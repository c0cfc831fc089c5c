#!/usr/bin/env bash
# fuzz-regressions.sh — replays every stored fuzzing input without fuzzing: each crash a fuzzer
# ever found (fuzz/regressions/<target>/) and every seed (fuzz/corpus/<target>/) is run once
# through its target built with ASan + UBSan; each file passes when the target returns
# normally. Ends with "fuzz-regressions: N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
make -s fuzz-build >/dev/null || { echo "fuzz-regressions: building the fuzzers failed"; echo "fuzz-regressions: 0 passed, 1 failed"; exit 1; }
pass=0 fail=0
# the fuzzers' own files (dictionary sets they load) go to a private directory removed at the end
export TMPDIR=$PWD/build/fuzz/tmp-$$
mkdir -p "$TMPDIR"; trap 'rm -rf "$TMPDIR"' EXIT
# replay FUZZER FILE...: runs the files through the target (one process; the files one by one
# when that fails, to name each failing file)
replay() {
  local bin=$1; shift
  if "$bin" -runs=1 -rss_limit_mb=2048 -timeout=60 "$@" >build/fuzz/replay.log 2>&1; then
    pass=$((pass + $#)); return
  fi
  for f in "$@"; do
    if "$bin" -runs=1 -rss_limit_mb=2048 -timeout=60 "$f" >build/fuzz/replay.log 2>&1; then
      pass=$((pass + 1))
    else
      fail=$((fail + 1))
      echo "FAIL: $(basename "$bin") $f"
      grep -E 'ERROR|invariant|SUMMARY|#[0-9]+ 0x' build/fuzz/replay.log | head -n 12 | sed 's/^/    /'
    fi
  done
}
for dir in fuzz/regressions/* fuzz/corpus/*; do
  t=$(basename "$dir")
  [ -x "build/fuzz/$t" ] || continue
  files=()
  for f in "$dir"/*; do [ -f "$f" ] && files+=("$f"); done
  [ ${#files[@]} -gt 0 ] && replay "build/fuzz/$t" "${files[@]}"
done
echo "fuzz-regressions: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
