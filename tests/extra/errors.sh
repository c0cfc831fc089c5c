#!/usr/bin/env bash
# errors.sh — every rejected input is named on stderr with its file, its line (and column where
# the JSON parser gives one) and the reason, the run goes on with the next record or file, and
# the exit status says what happened (README "Exit status": 1 rejected, 2 usage, 3 fatal).
# Covers what tests/cli.sh does not: each JSON Lines defect, blank and CRLF lines in the count,
# stdin, size and memory limits, unreadable inputs among readable ones, --fail-fast after a
# limit, and dictionary defects (file:line) with --dict/--strict and `dict check`.
# Ends with "errors: N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
DYAD=${DYAD:-build/asan/dyad}
[ -x "$DYAD" ] || DYAD=build/dyad
pass=0 fail=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

# expect DESCRIPTION STATUS PATTERN... -- COMMAND...: runs COMMAND; its exit status must be
# STATUS and its stderr must match every PATTERN (grep -E).
expect() {
  local what=$1 want=$2; shift 2
  local pats=()
  while [ "$1" != -- ]; do pats+=("$1"); shift; done
  shift
  "$@" >"$tmp/out" 2>"$tmp/err"
  local rc=$? why=""
  [ "$rc" -eq "$want" ] || why="exit $rc, want $want"
  for p in "${pats[@]}"; do
    grep -qE -- "$p" "$tmp/err" || why="${why:+$why; }stderr lacks /$p/"
  done
  if [ -z "$why" ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $what: $why"; sed 's/^/    /' "$tmp/err" | head -n 8; fi
}
# has DESCRIPTION PATTERN: the last command's stdout matches PATTERN
has() {
  if grep -qE -- "$2" "$tmp/out"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $1: stdout lacks /$2/"; fi
}
hasnt() {
  if ! grep -qE -- "$2" "$tmp/out"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $1: stdout has /$2/"; fi
}

# ---- JSON Lines: one defect per line, a blank line in the count ------------------------------
J=$tmp/defects.jsonl
cat >"$J" <<'EOF'
{"id":"a","date":"2022-02-24","text":"Russian troops attacked Ukrainian soldiers near Kharkiv."}
[1,2]
{"id":"c"}

{"id":"d","text":5}
{"id":"e","date":"24 Feb 2022","text":"x"}
{"id":["f"],"text":"x"}
{"id":"g","text":"a","text":"b"}
{"id":"h","title":7,"text":"x"}
{"id":"i","date":"2022-02-25","text":"Ukraine accused Russia of shelling civilians."}
EOF
expect "each JSON Lines defect named file:line with its reason" 1 \
  'defects\.jsonl:2:1: the line is not a JSON object' \
  'defects\.jsonl:3: missing field "text"' \
  'defects\.jsonl:5: field "text" must be a string' \
  'defects\.jsonl:6: field "date" must start with a date' \
  'defects\.jsonl:7: field "id" must be a string or an integer' \
  'defects\.jsonl:8:[0-9]+: invalid JSON: duplicate object key' \
  'defects\.jsonl:9: field "title" must be a string' \
  '2 stories coded, [0-9]+ events, 7 inputs rejected' \
  -- "$DYAD" code "$J"
has "the stories around the defects are coded (first)" '"story_id":"a"'
has "the stories around the defects are coded (last)" '"story_id":"i"'
expect "the same from stdin is named stdin:line" 1 'stdin:2:1: the line is not a JSON object' 'stdin:9: field "title"' \
  -- sh -c "'$DYAD' code --quiet <'$J'"
expect "--fail-fast stops at the first defect" 1 'defects\.jsonl:2:1:' -- "$DYAD" code --quiet --fail-fast "$J"
hasnt "--fail-fast codes nothing after the defect" '"story_id":"i"'

# CRLF line ends and a UTF-16 file keep the line count
sed 's/$/\r/' "$J" >"$tmp/crlf.jsonl"
expect "CRLF JSON Lines: same line numbers" 1 'crlf\.jsonl:3: missing field "text"' 'crlf\.jsonl:9: field "title"' \
  -- "$DYAD" code --quiet "$tmp/crlf.jsonl"
{ printf '\xff\xfe'; iconv -f UTF-8 -t UTF-16LE <"$J"; } >"$tmp/utf16.jsonl"
expect "UTF-16 JSON Lines: same line numbers" 1 'utf16\.jsonl:3: missing field "text"' 'utf16\.jsonl:7: field "id"' \
  -- "$DYAD" code --quiet "$tmp/utf16.jsonl"
has "UTF-16 JSON Lines: the good stories are coded" '"story_id":"i"'

# raw control bytes and invalid UTF-8 in a JSON line
printf '{"id":"r1","text":"tab\there"}\n{"id":"r2","text":"bad \xff byte"}\n{"id":"r3","text":"nul \x00 raw"}\n' >"$tmp/raw.jsonl"
expect "a raw NUL in a JSON string: invalid JSON at line 3 (bad UTF-8 is repaired)" 1 'raw\.jsonl:1:[0-9]+: invalid JSON' \
  'raw\.jsonl:3:[0-9]+: invalid JSON' -- "$DYAD" code --quiet "$tmp/raw.jsonl"

# ---- limits -----------------------------------------------------------------------------------
expect "a line over --max-story-bytes: named with the limit, the run goes on" 1 \
  'defects\.jsonl:1: line is larger than the limit of 60 bytes' 'defects\.jsonl:10: line is larger' \
  -- "$DYAD" code --quiet --max-story-bytes 60 "$J"
head -c 5000 /dev/zero | tr '\0' 'a' >"$tmp/big.txt"
expect "a text story over --max-story-bytes" 1 'big\.txt:1: story is larger than the limit of 1024 bytes' \
  -- "$DYAD" code --quiet --max-story-bytes 1K "$tmp/big.txt"
words=$(yes 'Iraqi police arrested protesters in Baghdad and Iran condemned the attack.' | head -n 3000 | tr '\n' ' ')
{ echo '{"id":"s1","text":"Iran condemned the attack."}'; printf '{"id":"s2","text":"%s"}\n' "$words"
  echo '{"id":"s3","text":"Iran condemned the attack."}'; } >"$tmp/arena.jsonl"
expect "a story over --arena-limit: named file:line with its id, skipped" 1 \
  "arena\.jsonl:2: story 's2' skipped: .*arena limit" -- "$DYAD" code --quiet --arena-limit 1M "$tmp/arena.jsonl"
has "stories after the one over --arena-limit are coded" '"story_id":"s3"'
expect "over --arena-limit from stdin: named stdin:line" 1 "^stdin:2: story 's2' skipped" \
  -- sh -c "'$DYAD' code --quiet --arena-limit 1M <'$tmp/arena.jsonl'"
expect "--fail-fast stops at a story over --arena-limit" 1 "arena\.jsonl:2: story 's2' skipped" \
  -- "$DYAD" code --quiet --fail-fast --arena-limit 1M "$tmp/arena.jsonl"
hasnt "--fail-fast: nothing coded after the story over the limit" '"story_id":"s3"'

# ---- inputs that cannot be read, among ones that can ---------------------------------------------
mkdir -p "$tmp/adir"
expect "a directory given as input: named, the next file still coded, exit 1" 1 'adir: read error' \
  -- "$DYAD" code --quiet "$tmp/adir" "$J"
has "the file after the unreadable one is coded" '"story_id":"i"'
expect "a missing file among others: named, exit 1" 1 'nope\.txt: No such file' \
  -- "$DYAD" code --quiet "$tmp/nope.txt" "$J"
has "the file after the missing one is coded" '"story_id":"a"'
expect "--fail-fast stops at a missing file" 1 'nope\.txt' -- "$DYAD" code --quiet --fail-fast "$tmp/nope.txt" "$J"
hasnt "--fail-fast: the file after the missing one is not read" '"story_id"'

# ---- usage errors are exit 2 and say what is wrong -----------------------------------------------
expect "--arena-limit 0" 2 'arena-limit wants a positive size' -- "$DYAD" code --arena-limit 0 "$J"
expect "--max-story-bytes junk" 2 'max-story-bytes wants a positive size' -- "$DYAD" code --max-story-bytes 12Q "$J"
expect "an option without its value" 2 'needs a value' -- "$DYAD" code --date

# ---- dictionary defects: file:line and reason; --strict makes them fatal (exit 3) ----------------
D=$tmp/dict; mkdir -p "$D/actors" "$D/agents" "$D/verbs"
printf '185 -8.0 ASSAULT assassination - | Attempt to assassinate\n190 -10.0 ASSAULT - - | Use force\nab 1.0\n' >"$D/cameo.txt"
printf 'Iraq | Iraqi => IRQ\nno arrow here\nx => bad-code\n' >"$D/actors/a.txt"
printf 'police => ~COP\n' >"$D/agents/g.txt"
printf '190 ATTACK\n999 NOPE\n190 lower case\n' >"$D/verbs/v.txt"
expect "dict check names each defect file:line: reason, exit 1" 1 \
  'cameo\.txt:3: ' 'actors/a\.txt:2: no .=>.' 'actors/a\.txt:3: bad actor code' 'verbs/v\.txt:2: unknown CAMEO code' \
  'verbs/v\.txt:3: no anchor' -- "$DYAD" dict check "$D"
printf 'Iraqi police attacked Iraq.\n' >"$tmp/s.txt"
expect "code --dict: defects named, coding goes on (exit 0)" 0 'actors/a\.txt:2:' -- "$DYAD" code --quiet --date 2022-01-01 --dict "$D" "$tmp/s.txt"
expect "code --strict --dict: the first defect is fatal, named file:line (exit 3)" 3 'cameo\.txt:3:' \
  -- "$DYAD" code --quiet --strict --dict "$D" "$tmp/s.txt"
expect "code --dict with no dictionaries: named, exit 3" 3 'no dictionaries found' \
  -- "$DYAD" code --quiet --dict "$tmp/adir" "$tmp/s.txt"

echo "errors: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
