#!/usr/bin/env bash
# tsan.sh — the ingest pipeline (src/ingest.c: stories coded on one thread and stored on a
# second) under ThreadSanitizer: tests/unit/test_ingest.c built with clang -fsanitize=thread
# (mk/hardening.mk) and run; its checks count as here, and any data race the sanitizer
# reports fails the suite. Ends with "tsan: N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
if ! out=$(make -s build/tsan/test_ingest 2>&1); then
  printf '%s\n' "$out" | tail -20
  echo "tsan: 0 passed, 1 failed"; exit 1
fi
# without address-space randomisation: clang 14's ThreadSanitizer rejects some layouts
res=$(TSAN_OPTIONS="halt_on_error=1" setarch "$(uname -m)" -R build/tsan/test_ingest 2>&1); rc=$?
line=$(printf '%s\n' "$res" | grep -E '^[0-9]+ passed, [0-9]+ failed$' | tail -n1)
pass=${line%% passed*}; fail=$(sed -E 's/.* ([0-9]+) failed$/\1/' <<<"${line:-0 passed, 0 failed}")
if [ -z "$line" ] || [ "$rc" -ne 0 ] || grep -q "WARNING: ThreadSanitizer" <<<"$res"; then
  printf '%s\n' "$res" | grep -v "^[0-9]* passed" | tail -40
  echo "tsan: ${pass:-0} passed, $((fail + 1)) failed"; exit 1
fi
echo "tsan: $pass passed, $fail failed"
