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
case "$DYAD" in /*) ;; *) DYAD=$PWD/$DYAD ;; esac
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
  "defects\.jsonl:6: field \"date\": '24 Feb 2022' is not a date: not of the form YYYY-MM-DD" \
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
expect "--arena-limit 0" 2 "arena-limit: '0' is not a positive size" -- "$DYAD" code --arena-limit 0 "$J"
expect "--max-story-bytes junk" 2 "max-story-bytes: '12Q' is not a positive size" -- "$DYAD" code --max-story-bytes 12Q "$J"
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

# ---- input that is not text, and empty input: rejected with the reason, exit 1 ---------------------
head -c 4096 "$DYAD" >"$tmp/binary.txt"
expect "a binary file is not text: NUL bytes named, exit 1" 1 'binary\.txt:1: not text: it holds [0-9]+ NUL byte' \
  -- "$DYAD" code --quiet "$tmp/binary.txt"
hasnt "a binary file gives no record" '.'
printf 'Iraqi police arrested ten men in Basra.\n' >"$tmp/good.txt"
expect "a binary file among good ones: the good one is coded" 1 'binary\.txt:1: not text' \
  -- "$DYAD" code --quiet --date 2024-01-02 "$tmp/binary.txt" "$tmp/good.txt"
has "the story after the binary file is coded" '"story_id":"good"'
head -c 3000 /dev/urandom | tr -d '\000' | tr '\000-\177' '\200-\377' >"$tmp/noise.txt"
expect "mostly invalid UTF-8 is not text, exit 1" 1 'noise\.txt:1: not text: [0-9]+ of its [0-9]+ bytes are not UTF-8' \
  -- "$DYAD" code --quiet "$tmp/noise.txt"
printf 'date 2024-03-01\nThe caf\xe9 owner in Z\xfcrich said police closed the road.\n' >"$tmp/latin1.txt"
expect "a few Latin-1 bytes are repaired, not rejected" 0 -- "$DYAD" code --quiet "$tmp/latin1.txt"
: >"$tmp/empty.txt"
expect "an empty file says so, exit 1" 1 'empty\.txt: empty input: no story in it' '0 stories coded, 0 events, 1 inputs rejected' \
  -- "$DYAD" code "$tmp/empty.txt"
expect "empty stdin says so, exit 1" 1 '^stdin: empty input' -- sh -c "'$DYAD' code --quiet </dev/null"
printf '\n  \n\t\n' >"$tmp/blank.jsonl"
expect "a JSON Lines file of blank lines says so" 1 'blank\.jsonl: empty input' -- "$DYAD" code --quiet --format jsonl "$tmp/blank.jsonl"
expect "dyad places on an empty file says so" 1 'empty\.txt: empty input' -- "$DYAD" places --quiet "$tmp/empty.txt"

# ---- dates: calendar dates, years 1800-2200, the value and the accepted forms named ------------------
{
  for d in 2024-02-30 2023-02-29 2024-04-31 2024-13-45 0000-01-01 2024-02-29 2024-03-01T09:30:00Z 2024-03-011; do
    printf '{"id":"d%s","date":"%s","text":"Iran condemned the attack."}\n' "${d:0:10}" "$d"
  done
} >"$tmp/dates.jsonl"
expect "impossible JSON dates rejected, each named with its value and reason" 1 \
  "dates\.jsonl:1: field \"date\": '2024-02-30' is not a date: February 2024 has 29 days \(dates are YYYY-MM-DD, years 1800-2200" \
  "dates\.jsonl:2: .*'2023-02-29' is not a date: February 2023 has 28 days" \
  "dates\.jsonl:3: .*'2024-04-31' is not a date: April 2024 has 30 days" \
  "dates\.jsonl:4: .*'2024-13-45' is not a date: there is no month 13" \
  "dates\.jsonl:5: .*'0000-01-01' is not a date: year 0000 is outside 1800-2200" \
  "dates\.jsonl:8: .*'2024-03-011' is not a date" \
  '2 stories coded, [0-9]+ events, 6 inputs rejected' -- "$DYAD" code "$tmp/dates.jsonl"
has "a leap day is a date" '"story_id":"d2024-02-29","date":"2024-02-29"'
has "a date with a time is a date" '"story_id":"d2024-03-01","date":"2024-03-01"'
hasnt "no story is coded with a null date in place of a bad one" '"date":null'
printf 'date 2024-02-30\nIran condemned the attack.\n' >"$tmp/feb30.txt"
expect "a text story's impossible date line is rejected" 1 "feb30\.txt:1: the date line's '2024-02-30' is not a date: February 2024 has 29 days" \
  -- "$DYAD" code --quiet "$tmp/feb30.txt"
printf 'date 03/04/2024\nIran condemned the attack.\n' >"$tmp/slash.txt"
expect "a date line in another form is rejected, not read as text" 1 "slash\.txt:1: the date line's '03/04/2024' is not a date: not of the form YYYY-MM-DD" \
  -- "$DYAD" code --quiet "$tmp/slash.txt"
printf 'Date palms burned after Israeli strikes on Gaza.\n' >"$tmp/palms.txt"
expect "prose that starts with 'Date' is text" 0 -- "$DYAD" code --quiet --date 2024-01-05 "$tmp/palms.txt"
for d in 2024-02-30 2023-02-29 2024-04-31 2024-13-45 0000-01-01 24-01-01 yesterday; do
  expect "--date $d: usage error naming the option and the value" 2 "dyad: --date: '$d' is not a date" \
    -- "$DYAD" code --date "$d" "$tmp/good.txt"
done
expect "--date=VALUE is read like --date VALUE" 0 -- "$DYAD" code --quiet --date=2024-02-29 "$tmp/good.txt"
has "--date=VALUE dates the story" '"date":"2024-02-29"'

# ---- options: getopt_long everywhere; a usage error exits 2 and names the option --------------------
expect "an unknown option is named with its command" 2 "dyad code: unknown option '--colour'" -- "$DYAD" code --colour "$tmp/good.txt"
expect "an unknown short option is named" 2 "dyad code: unknown option '-z'" -- "$DYAD" code -qz "$tmp/good.txt"
expect "a missing value is named" 2 "dyad code: option '--max-story-bytes' needs a value" -- "$DYAD" code --max-story-bytes
expect "--new-actor-length out of range" 2 "dyad: --new-actor-length: '33' is not a whole number from 0 to 32" \
  -- "$DYAD" code --new-actor-length 33 "$tmp/good.txt"
expect "--format must be one of its choices" 2 "dyad: --format: 'xml' is not one of jsonl, gdelt, phoenix, icews, acled" -- "$DYAD" code --format xml
expect "--input must be one of its choices" 2 "dyad: --input: 'gdelt' is not one of auto, text, jsonl" -- "$DYAD" code --input gdelt
cp "$tmp/good.txt" "$tmp/-dash.txt"
expect "after --, a name that starts with - is a file" 0 -- sh -c "cd '$tmp' && '$DYAD' code --quiet --date 2024-01-02 -- -dash.txt"
has "the file after -- is coded" '"story_id":"-dash"'
expect "options after the files are read too (GNU order)" 0 -- "$DYAD" code "$tmp/good.txt" --quiet --date=2024-01-02
expect "dict lookup: --date is checked" 2 "dyad: --date: '2024-02-30'" -- "$DYAD" dict lookup --date 2024-02-30 police
expect "dict stats takes no operand" 2 "dyad dict stats: unexpected argument 'x'" -- "$DYAD" dict stats x
expect "validate: an unknown option is named" 2 "dyad validate: unknown option '--fast'" -- "$DYAD" validate --fast x.xml
expect "validate: --report must be jsonl" 2 "dyad: --report: 'csv' is not one of jsonl" -- "$DYAD" validate --report=csv x.xml

# ---- the store's options: every value checked, none read with atoi ---------------------------------------
expect "a store to query" 0 -- "$DYAD" ingest --quiet --db "$tmp/s.db" --date 2021-11-07 \
  examples/baghdad-protest.txt "$tmp/good.txt"
expect "ingest --batch 0" 2 "dyad: --batch: '0' is not a whole number from 1 to 1000000" -- "$DYAD" ingest --db "$tmp/s.db" --batch 0 "$tmp/good.txt"
expect "ingest --days abc" 2 "dyad: --days: 'abc' is not a whole number from 0 to 366" -- "$DYAD" ingest --db "$tmp/s.db" --days abc "$tmp/good.txt"
expect "ingest --km -1" 2 "dyad: --km: '-1' is not a number" -- "$DYAD" ingest --db "$tmp/s.db" --km -1 "$tmp/good.txt"
expect "ingest --date 2023-02-29" 2 "dyad: --date: '2023-02-29' is not a date" -- "$DYAD" ingest --db "$tmp/s.db" --date 2023-02-29 "$tmp/good.txt"
expect "ingest --bogus" 2 "dyad ingest: unknown option '--bogus'" -- "$DYAD" ingest --db "$tmp/s.db" --bogus
expect "ingest of an empty file says so, exit 1" 1 'empty\.txt: empty input' -- "$DYAD" ingest --quiet --db "$tmp/s.db" "$tmp/empty.txt"
expect "ingest of a binary file: rejected, exit 1" 1 'binary\.txt:1: not text' -- "$DYAD" ingest --quiet --db "$tmp/s.db" "$tmp/binary.txt"
Q() { "$DYAD" query --db "$tmp/s.db" "$@"; }
expect "query --from 2024-13-01" 2 "dyad: --from: '2024-13-01' is not a date: there is no month 13" -- Q --from 2024-13-01
expect "query --from yesterday" 2 "dyad: --from: 'yesterday' is not a date: not of the form YYYY-MM-DD" -- Q --from yesterday
expect "query --to 2024/01/01" 2 "dyad: --to: '2024/01/01' is not a date" -- Q --to 2024/01/01
expect "query --from after --to" 2 "dyad: --from 2024-02-01 is after --to 2024-01-01" -- Q --from 2024-02-01 --to 2024-01-01
expect "query --country iraq" 2 "dyad: --country: 'iraq' is not an ISO 3166-1 alpha-3 country code" -- Q --country iraq
expect "query --country XYZ (unknown)" 2 "dyad: --country: 'XYZ' is not an ISO 3166-1 alpha-3" -- Q --country XYZ
expect "query --country IR (alpha-2)" 2 "dyad: --country: 'IR' is not an ISO 3166-1 alpha-3" -- Q --country IR
expect "query --country irq (any case) is taken" 0 -- Q --country irq --limit 1
has "query --country irq finds Iraq's events" '"country_code":"IRQ"'
expect "query --limit abc" 2 "dyad: --limit: 'abc' is not a whole number from 1" -- Q --limit abc
expect "query --limit -1" 2 "dyad: --limit: '-1' is not a whole number from 1" -- Q --limit -1
expect "query --limit 0" 2 "dyad: --limit: '0' is not a whole number from 1" -- Q --limit 0
expect "query --limit=2 is read" 0 -- Q --limit=2
same_lines=$(wc -l <"$tmp/out")
[ "$same_lines" -eq 2 ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: --limit=2 gave $same_lines records"; }
expect "query --code 999 (no such CAMEO code)" 2 "dyad: --code: '999' is not a CAMEO event code" -- Q --code 999
expect "query --code 1831 is a CAMEO code" 0 -- Q --code 1831
expect "query --root 21" 2 "dyad: --root: '21' is not a CAMEO root" -- Q --root 21
expect "query --root 1" 2 "dyad: --root: '1' is not a CAMEO root" -- Q --root 1
expect "query --actor R-S" 2 "dyad: --actor: 'R-S' is not a CAMEO actor code" -- Q --actor R-S
expect "query --near 95,44,10 (latitude)" 2 "dyad: --near latitude: '95' is not a number from -90 to 90" -- Q --near 95,44,10
expect "query --near 33,44,0 (radius)" 2 "dyad: --near radius: '0' is not a number" -- Q --near 33,44,0
expect "query --near 33,44 (form)" 2 "dyad: --near: '33,44' is not LAT,LON,KM" -- Q --near 33,44
expect "query --by year" 2 "dyad: --by: 'year' is not one of day, week, month" -- Q --by year
expect "query --format csv" 2 "dyad: --format: 'csv' is not one of" -- Q --format csv
expect "query with a stray argument" 2 "dyad query: unexpected argument 'IRQ'" -- Q IRQ
expect "query --happenings" 0 -- Q --happenings
if grep -qE '"l(at|on)":-?[0-9]+\.[0-9]{6,}' "$tmp/out"; then fail=$((fail + 1)); echo "FAIL: happening coordinates have more than 5 decimals"
else pass=$((pass + 1)); fi
grep -qE '"lat":-?[0-9]+\.[0-9]{5},"lon":-?[0-9]+\.[0-9]{5},' "$tmp/out" && pass=$((pass + 1)) ||
  { fail=$((fail + 1)); echo "FAIL: happening coordinates lack their 5 decimals"; }

# ---- small ones: the top-level help, what the README's commands leave, clang's warnings -------------------
expect "top-level --help" 0 -- "$DYAD" --help
grep -q 'ingest --db PATH|URI' "$tmp/out" && grep -q 'PostgreSQL' "$tmp/out" && ! grep -q '(SQLite)$' "$tmp/out" &&
  pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: top-level --help names ingest's PATH|URI and PostgreSQL"; }
if git rev-parse --git-dir >/dev/null 2>&1; then
  git check-ignore -q phoenix/CAMEO.2.0.txt && git check-ignore -q phoenix.img && pass=$((pass + 1)) ||
    { fail=$((fail + 1)); echo "FAIL: phoenix/ and phoenix.img (the README's Phoenix commands) are not ignored"; }
fi
if command -v clang >/dev/null; then
  for f in fuzz/*.c; do
    if clang -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Wall -Wextra -Wno-unused-parameter -Werror \
         -fsyntax-only -Iinclude -Isrc -Ibuild/gen $(pkg-config --cflags libxml-2.0 libpq 2>/dev/null) "$f" 2>"$tmp/clang"; then
      pass=$((pass + 1))
    else fail=$((fail + 1)); echo "FAIL: clang warns on $f:"; head -n 5 "$tmp/clang"; fi
  done
fi

echo "errors: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
