#!/usr/bin/env bash
# Runs every test suite of `make test` and ends with one line "N passed, N failed".
# Each suite prints its own "NAME: N passed, N failed" line; this sums them.
set -u
cd "$(dirname "$0")/.."
total_pass=0 total_fail=0 status=0
run() { # name, command...
  local name=$1; shift
  echo "== $name"
  local out rc
  out=$("$@" 2>&1); rc=$?
  printf '%s\n' "$out"
  local line
  line=$(printf '%s\n' "$out" | grep -E '^[a-z-]+: [0-9]+ passed, [0-9]+ failed' | tail -n1)
  if [ -z "$line" ]; then
    echo "$name: no summary line (exit $rc)"; total_fail=$((total_fail + 1)); status=1; return
  fi
  local p f
  p=$(sed -E 's/^[a-z-]+: ([0-9]+) passed.*/\1/' <<<"$line")
  f=$(sed -E 's/^[a-z-]+: [0-9]+ passed, ([0-9]+) failed.*/\1/' <<<"$line")
  total_pass=$((total_pass + p)); total_fail=$((total_fail + f))
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then total_fail=$((total_fail + 1)); fi
  [ "$rc" -ne 0 ] && status=1
}
units=(build/tests/test_*)
if [ -e "${units[0]}" ]; then run unit tests/run-unit.sh "${units[@]}"; fi
run spec build/tests/spec_runner --known tests/spec/known-failures.txt tests/spec/*.spec
run cli tests/cli.sh build/asan/dyad
for t in tests/extra/*.sh; do [ -e "$t" ] && run "$(basename "$t" .sh)" "$t"; done
# the store's suite again, against a PostgreSQL server (scripts/pg-server.sh starts one)
run store-postgresql env STORE_BACKEND=postgresql tests/extra/store.sh
echo
echo "${total_pass} passed, ${total_fail} failed"
exit $status
