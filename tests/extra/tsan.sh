#!/usr/bin/env bash
# tsan.sh — the library's threads under ThreadSanitizer (clang -fsanitize=thread,
# mk/hardening.mk): the ingest pipeline (tests/unit/test_ingest.c: stories coded on the
# caller's thread or on a pool of three, stored on one more), whose checks count as here; and
# the dyad command built the same way coding on four threads (`code -j 4`, `places -j 4`, and
# `validate -j 4` where ../shared holds PETRARCH's suite), whose output must be that of the
# plain build with -j 1. Any data race the sanitizer reports fails the suite. Ends with
# "tsan: N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
if ! out=$(make -s build/tsan/test_ingest build/tsan/dyad build/dyad 2>&1); then
  printf '%s\n' "$out" | tail -20
  echo "tsan: 0 passed, 1 failed"; exit 1
fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
# without address-space randomisation: clang 14's ThreadSanitizer rejects some layouts
tsan() { TSAN_OPTIONS="halt_on_error=1" setarch "$(uname -m)" -R "$@"; }
res=$(tsan build/tsan/test_ingest 2>&1); rc=$?
line=$(printf '%s\n' "$res" | grep -E '^[0-9]+ passed, [0-9]+ failed$' | tail -n1)
pass=${line%% passed*}; fail=$(sed -E 's/.* ([0-9]+) failed$/\1/' <<<"${line:-0 passed, 0 failed}")
pass=${pass:-0}
if [ -z "$line" ] || [ "$rc" -ne 0 ] || grep -q "WARNING: ThreadSanitizer" <<<"$res"; then
  printf '%s\n' "$res" | grep -v "^[0-9]* passed" | tail -40
  fail=$((fail + 1))
fi
# one command under the sanitizer: no report, exit as the plain build's, the same output
race_free() { # name, expected output file, command...
  local name=$1 want=$2; shift 2
  tsan "$@" >"$tmp/out" 2>"$tmp/err"; local rc=$?
  if grep -q "WARNING: ThreadSanitizer" "$tmp/err" || [ "$rc" -gt 1 ] || ! cmp -s "$tmp/out" "$want"; then
    fail=$((fail + 1)); echo "FAIL: $name (exit $rc)"; grep -v '^$' "$tmp/err" | head -40
  else pass=$((pass + 1)); fi
}
stories=tests/store/happenings.jsonl # (in the repository: 399 stories)
build/dyad code -j 1 --quiet "$stories" >"$tmp/code.want" 2>/dev/null
race_free "dyad code -j 4" "$tmp/code.want" build/tsan/dyad code -j 4 --quiet "$stories"
build/dyad places -j 1 --quiet "$stories" >"$tmp/places.want" 2>/dev/null
race_free "dyad places -j 4" "$tmp/places.want" build/tsan/dyad places -j 4 --quiet "$stories"
suite=../shared/data/oeda/PETR.UnitTest.records.xml
if [ -f "$suite" ]; then
  build/dyad validate -j 1 --report jsonl "$suite" >"$tmp/validate.want" 2>/dev/null
  race_free "dyad validate -j 4" "$tmp/validate.want" build/tsan/dyad validate -j 4 --report jsonl "$suite"
else
  echo "tsan: $suite not found; validate -j 4 not run"
fi
echo "tsan: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
