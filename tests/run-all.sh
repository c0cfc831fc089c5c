#!/usr/bin/env bash
# Runs every test suite of `make test` and ends with one line "N passed, N failed".
# Each suite prints its own "NAME: N passed, N failed" line; this sums them.
set -u
cd "$(dirname "$0")/.."
total_pass=0 total_fail=0 status=0
# what this run leaves behind is checked at its end (cleanup, below): the entries of the
# temporary directory before it, and a mark in the environment every process it starts inherits
tmpdir=${TMPDIR:-/tmp}
tmp_before=$(ls -A "$tmpdir" 2>/dev/null | sort)
export DYAD_TEST_RUN="$$-$RANDOM$RANDOM"
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
# dyad serve's API over the same server
run serve-postgresql env SERVE_BACKEND=postgresql tests/extra/serve.sh

# the last step: nothing this run made is left in the temporary directory, and nothing it
# started still runs (a process is the run's when it carries DYAD_TEST_RUN; give exiting ones
# a few seconds)
cleanup_check() {
  local p=0 f=0 left procs pid t
  left=$(comm -13 <(printf '%s\n' "$tmp_before") <(ls -A "$tmpdir" 2>/dev/null | sort) | grep -v '^$')
  if [ -n "$left" ]; then
    f=$((f + 1)); echo "FAIL: make test left in $tmpdir:"; printf '%s\n' "$left" | head -n 20 | sed 's/^/    /'
  else p=$((p + 1)); fi
  for t in 1 2 3 4 5 6 7 8 9 10; do
    procs=""
    for pid in /proc/[0-9]*; do
      pid=${pid#/proc/}
      [ "$pid" = $$ ] || [ "$pid" = "$BASHPID" ] && continue
      # (a process may end between the listing and the read: its files are then gone)
      if { tr '\0' '\n' <"/proc/$pid/environ"; } 2>/dev/null | grep -qx "DYAD_TEST_RUN=$DYAD_TEST_RUN"; then
        procs+="$pid $({ tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null | head -c 100)"$'\n'
      fi
    done
    [ -z "$procs" ] && break
    sleep 0.5
  done
  if [ -n "$procs" ]; then
    f=$((f + 1)); echo "FAIL: processes of make test still run:"; printf '%s' "$procs" | sed 's/^/    /'
  else p=$((p + 1)); fi
  echo "cleanup: $p passed, $f failed"
  [ "$f" -eq 0 ]
}
run cleanup cleanup_check

echo
echo "${total_pass} passed, ${total_fail} failed"
exit $status
