#!/bin/sh
# run-unit.sh — runs each unit-test program given as an argument, sums the "N passed, N failed"
# line each prints last, and ends with "unit: N passed, N failed". Exits 1 if any check failed
# or any program crashed, exited non-zero or printed no summary (counted as one failure).
passed=0
failed=0
status=0
for t in "$@"; do
    out=$("$t" 2>&1)
    rc=$?
    line=$(printf '%s\n' "$out" | grep -E '^[0-9]+ passed, [0-9]+ failed$' | tail -n 1)
    if [ -z "$line" ]; then
        printf '%s\n' "$out" | tail -n 20
        echo "$t: no summary (exit $rc)"
        failed=$((failed + 1))
        status=1
        continue
    fi
    p=${line%% passed*}
    f=${line#*passed, }
    f=${f%% failed*}
    passed=$((passed + p))
    failed=$((failed + f))
    if [ "$f" -ne 0 ] || [ "$rc" -ne 0 ]; then
        printf '%s\n' "$out" | grep -v -E '^[0-9]+ passed, [0-9]+ failed$'
        [ "$f" -eq 0 ] && failed=$((failed + 1)) # exited non-zero with no failed check
        status=1
    fi
    echo "$(basename "$t"): $line"
done
echo "unit: $passed passed, $failed failed"
exit $status
