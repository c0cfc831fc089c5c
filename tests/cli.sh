#!/usr/bin/env bash
# Command-line behaviour of `dyad`: help, usage errors, exit codes, rejected input named by
# file:line:column with the run going on, stdin, story ids and the missing-date warning.
set -u
DYAD=${1:-build/dyad}
pass=0 fail=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
ok()   { pass=$((pass + 1)); }
bad()  { fail=$((fail + 1)); echo "FAIL: $*"; }
check() { # description, condition...
  local what=$1; shift
  if "$@"; then ok; else bad "$what"; fi
}

"$DYAD" --help >"$tmp/out" 2>&1; check "--help exits 0" test $? -eq 0
check "--help lists code" grep -q 'code \[FILE' "$tmp/out"
"$DYAD" code --help >"$tmp/out" 2>&1; check "code --help exits 0" test $? -eq 0
check "code --help documents --date" grep -q -- '--date' "$tmp/out"
"$DYAD" >/dev/null 2>&1; check "no command exits 2" test $? -eq 2
"$DYAD" frobnicate >/dev/null 2>&1; check "unknown command exits 2" test $? -eq 2
"$DYAD" code --bogus </dev/null >/dev/null 2>&1; check "unknown option exits 2" test $? -eq 2
"$DYAD" code --date 2021-13-40 </dev/null >/dev/null 2>&1; check "bad --date exits 2" test $? -eq 2
"$DYAD" code --format xml </dev/null >/dev/null 2>&1; check "bad --format exits 2" test $? -eq 2
"$DYAD" dict check >"$tmp/out" 2>&1; check "built-in dictionaries load without defects" test $? -eq 0

# JSON Lines: a malformed line is named (file:line:column) and the run goes on
cat >"$tmp/in.jsonl" <<'J'
{"id":"a1","date":"2022-02-24","text":"Russian troops attacked Ukrainian soldiers near Kharkiv."}
{"id":"a2","date":"2022-02-24","text": broken}
{"id":"a3","date":"2022-02-25","text":"Ukraine accused Russia of shelling civilians."}
J
"$DYAD" code "$tmp/in.jsonl" >"$tmp/out" 2>"$tmp/err"; rc=$?
check "rejected line gives exit 1" test $rc -eq 1
check "error names file:line:column" grep -q "in.jsonl:2:[0-9]" "$tmp/err"
check "stories after the bad line are coded" grep -q '"story_id":"a3"' "$tmp/out"
check "stories before the bad line are coded" grep -q '"story_id":"a1"' "$tmp/out"
"$DYAD" code --fail-fast "$tmp/in.jsonl" >"$tmp/out" 2>/dev/null
check "--fail-fast stops at the first rejection" bash -c "! grep -q '\"a3\"' '$tmp/out'"

# every output line is a complete JSON object with the fields of the record
if command -v jq >/dev/null; then
  "$DYAD" code "$tmp/in.jsonl" 2>/dev/null | jq -e -c 'select(.kind=="event" and (.cameo.code|type)=="string" and (.text_info.sentences|length)>0)' >"$tmp/j" 2>&1
  check "records parse as JSON with kind, cameo, text_info" test -s "$tmp/j"
fi

# plain text from stdin with a date line; file id is the base name
printf 'date 2022-03-01\nRussian forces shelled Kharkiv.\n' | "$DYAD" code >"$tmp/out" 2>"$tmp/err"
check "stdin text story coded" test $? -eq 0
check "date line sets the date" grep -q '"date":"2022-03-01"' "$tmp/out"
printf 'Russian forces shelled Kharkiv.\n' >"$tmp/story-x.txt"
"$DYAD" code "$tmp/story-x.txt" >"$tmp/out" 2>"$tmp/err"
check "no date: a warning on stderr" grep -q "no date" "$tmp/err"
check "no date: events carry date null" bash -c "! grep -q '\"date\":\"' '$tmp/out'"
check "text story id is the file's base name" grep -q '"story_id":"story-x"' "$tmp/out"
"$DYAD" code --date 2022-03-02 "$tmp/story-x.txt" >"$tmp/out" 2>"$tmp/err"
check "--date fills a missing date" grep -q '"date":"2022-03-02"' "$tmp/out"
"$DYAD" code "$tmp/does-not-exist.txt" >/dev/null 2>"$tmp/err"; rc=$?
check "missing file gives exit 1" test $rc -eq 1
check "missing file is named" grep -q "does-not-exist.txt" "$tmp/err"
printf '\xff\xfe\xc3(bad bytes) Russian troops attacked Ukrainian soldiers.\n' | "$DYAD" code --date 2022-03-01 >"$tmp/out" 2>&1
check "invalid UTF-8 is repaired, not rejected" test $? -eq 0

echo "cli: $pass passed, $fail failed"
[ $fail -eq 0 ]
