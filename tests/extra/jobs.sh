#!/usr/bin/env bash
# jobs.sh — `-j N` (coding on N threads) changes nothing but the time: the records, the
# messages on stderr and the exit status of -j 2, 4 and 7 are byte for byte those of -j 1, for
# `code` (JSON Lines and text stories, explain), `places`, `validate`, and the store `ingest`
# leaves (`query --stats` and an export); a bad record in the middle is named in its place;
# --fail-fast stops where -j 1 does; -j 0 and -j x are usage errors naming the option; every
# command documents -j. The corpus is a slice of Reuters-21578 (make build/bench/reuters.jsonl,
# from ../shared), skipped with a message where ../shared is absent. Ends with
# "jobs: N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
DYAD=${DYAD:-build/dyad}
pass=0 fail=0
check() { local what=$1; shift; if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $what"; fi; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
make -s "$DYAD" >/dev/null || { echo "jobs: 0 passed, 1 failed"; exit 1; }

# ---- the option: a strict value, documented everywhere ----
for cmd in code explain places ingest validate; do
  db=(); [ $cmd = ingest ] && db=(--db "$tmp/never.db")
  for bad in 0 x -1 2000 ''; do
    "$DYAD" $cmd "${db[@]}" -j "$bad" </dev/null >/dev/null 2>"$tmp/err"; rc=$?
    check "$cmd -j '$bad' is a usage error (exit $rc)" test $rc -eq 2
    check "$cmd -j '$bad' names the option" grep -q -- "--jobs: '$bad' is not a whole number from 1 to 1024" "$tmp/err"
  done
  "$DYAD" $cmd "${db[@]}" --jobs=0 </dev/null >/dev/null 2>&1; check "$cmd --jobs=0 is a usage error" test $? -eq 2
  "$DYAD" $cmd --help >"$tmp/help" 2>&1
  check "$cmd --help documents -j/--jobs" grep -q -- "-j, --jobs N" "$tmp/help"
done
check "README documents -j" grep -q -- '`-j N`, `--jobs N`' README.md
check "no store made by the refused ingest" test ! -e "$tmp/never.db"

corpus=build/bench/reuters.jsonl
if ! ls ../shared/data/corpus/reut2-*.sgm >/dev/null 2>&1 || ! make -s "$corpus" >/dev/null 2>&1; then
  echo "jobs: ../shared/data/corpus not found; the corpus comparisons are skipped"
  echo "jobs: $pass passed, $fail failed"
  [ "$fail" -eq 0 ]; exit
fi
head -n 2000 "$corpus" >"$tmp/slice.jsonl"

# Runs one command with -j 1 and then with each other N, and checks that stdout, stderr
# and the exit status agree. name, then the command's words (-j N is put after them).
same_as_one() {
  local name=$1; shift
  "$@" -j 1 >"$tmp/out1" 2>"$tmp/err1"; rc1=$?
  check "$name -j 1 writes records" test -s "$tmp/out1"
  for j in 2 4 7; do
    "$@" -j "$j" >"$tmp/out$j" 2>"$tmp/err$j"; local rc=$?
    check "$name -j $j: the same records as -j 1" cmp -s "$tmp/out1" "$tmp/out$j"
    check "$name -j $j: the same stderr as -j 1" cmp -s "$tmp/err1" "$tmp/err$j"
    check "$name -j $j: the same exit status as -j 1 ($rc1, $rc)" test "$rc1" -eq "$rc"
  done
}
same_as_one "code (JSON Lines)" "$DYAD" code --quiet "$tmp/slice.jsonl"
same_as_one "code from stdin" sh -c "exec \"$DYAD\" code --quiet \"\$@\" <\"$tmp/slice.jsonl\"" sh
same_as_one "explain" "$DYAD" explain --quiet "$tmp/slice.jsonl"
same_as_one "places" "$DYAD" places --quiet "$tmp/slice.jsonl"
same_as_one "code --require-dyad --new-actor-length 4" "$DYAD" code --quiet --require-dyad --new-actor-length 4 "$tmp/slice.jsonl"

# text stories, one per file, some without a date (the warning comes once, for the first)
mkdir "$tmp/text"
python3 - "$tmp/slice.jsonl" "$tmp/text" <<'PY'
import json, sys
for i, line in enumerate(open(sys.argv[1])):
    if i >= 60: break
    r = json.loads(line)
    with open("%s/s%03d.txt" % (sys.argv[2], i), "w") as f:
        if i % 7 and r.get("date"): f.write("date %s\n" % r["date"][:10])
        f.write(r["text"])
PY
same_as_one "code (text files)" "$DYAD" code "$tmp"/text/*.txt

# bad records in the middle: a broken line, a bad date, a story over --max-story-bytes, a
# missing file, stories over the coder's --arena-limit; each named in its place
{ head -n 700 "$tmp/slice.jsonl"
  echo '{"id":"broken","text": oops'
  sed -n 701,1000p "$tmp/slice.jsonl"
  echo '{"id":"bad-date","date":"2024-02-30","text":"Iran condemned the attack."}'
  sed -n 1001,1400p "$tmp/slice.jsonl"
  printf '{"id":"huge","date":"2024-01-01","text":"%s"}\n' "$(head -c 300000 /dev/zero | tr '\0' a)"
  sed -n 1401,2000p "$tmp/slice.jsonl"; } >"$tmp/bad.jsonl"
same_as_one "code with bad records" "$DYAD" code --max-story-bytes 200K "$tmp/bad.jsonl" "$tmp/missing.jsonl" "$tmp/slice.jsonl"
check "the broken line is named with its line" grep -q "bad.jsonl:701:" "$tmp/err4"
check "the bad date is named" grep -q "bad.jsonl:1002: .*'2024-02-30' is not a date" "$tmp/err4"
check "the missing file is named" grep -q "missing.jsonl" "$tmp/err4"
check "bad records give exit 1 ($rc1)" test "$rc1" -eq 1
same_as_one "code over --arena-limit" "$DYAD" code --arena-limit 96K "$tmp/slice.jsonl"
check "stories over the arena limit are named" grep -q "story '.*' skipped" "$tmp/err4"
same_as_one "code --fail-fast" "$DYAD" code --fail-fast "$tmp/bad.jsonl"
check "--fail-fast -j 4 stops at the broken line" \
  test "$(grep -c . "$tmp/out4")" -eq "$(head -n 700 "$tmp/slice.jsonl" | "$DYAD" code -q -j 1 | grep -c .)"

# ---- validate: PETRARCH's suite ----
suite=../shared/data/oeda/PETR.UnitTest.records.xml
if [ -f "$suite" ]; then
  same_as_one "validate --report jsonl" "$DYAD" validate --report jsonl "$suite"
  same_as_one "validate --verbose" "$DYAD" validate --verbose "$suite"
else
  echo "jobs: $suite not found; validate not compared"
fi

# ---- ingest: the store -j 2 leaves is the store -j 1 leaves ----
for j in 1 2; do
  "$DYAD" ingest --quiet --db "$tmp/j$j.db" -j "$j" "$tmp/bad.jsonl" 2>"$tmp/ingest-err$j"
  echo "exit $?" >>"$tmp/ingest-err$j"
  "$DYAD" query --db "$tmp/j$j.db" --stats >"$tmp/stats$j"
  "$DYAD" query --db "$tmp/j$j.db" --format gdelt >"$tmp/gdelt$j"
  "$DYAD" query --db "$tmp/j$j.db" --happenings >"$tmp/happenings$j"
done
check "ingest -j 2: the same --stats (counts, checksum) as -j 1" cmp -s "$tmp/stats1" "$tmp/stats2"
check "ingest -j 2: the same export as -j 1" cmp -s "$tmp/gdelt1" "$tmp/gdelt2"
check "ingest -j 2: the same happenings as -j 1" cmp -s "$tmp/happenings1" "$tmp/happenings2"
check "ingest -j 2: the same messages and exit status as -j 1" cmp -s "$tmp/ingest-err1" "$tmp/ingest-err2"
check "ingest stored the stories" grep -Eq '^stories 2001$' "$tmp/stats2"
"$DYAD" ingest --quiet --db "$tmp/j2.db" -j 2 "$tmp/bad.jsonl" 2>/dev/null
"$DYAD" query --db "$tmp/j2.db" --stats >"$tmp/stats2b"
check "ingest -j 2 again: nothing changes" cmp -s "$tmp/stats1" "$tmp/stats2b"

echo "jobs: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
