#!/usr/bin/env bash
# formats.sh — `dyad code --format gdelt|phoenix|icews|acled` writes the rows `dyad query
# --format` writes over a store of the same stories: the table renderers (src/render/) are the
# same code either way. Compared row for row, sorted (a store writes in date order, dyad code in
# input order). Over our example stories no two events merge into one happening and the rows
# must be identical, every column; over the first 3,000 stories of Reuters-21578 the columns only
# a store can know (GDELT's event id and its mention, source and article counts, which count a
# happening's stories) are left out of the comparison, and every other column must agree.
set -u
cd "$(dirname "$0")/../.."
DYAD=${DYAD:-build/dyad}
pass=0 fail=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/formats.XXXXXX"); trap 'rm -rf "$tmp"' EXIT
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# same NAME FORMAT DB INPUT CUT: code's rows and query's rows, sorted, after `cut CUT` (or all)
same() {
  local name=$1 fmt=$2 db=$3 in=$4 cols=${5:-}
  "$DYAD" code --quiet --format "$fmt" "$in" > "$tmp/code.$fmt" 2>"$tmp/err" || { bad "$name: dyad code exited $?: $(head -c 300 "$tmp/err")"; return; }
  "$DYAD" query --db "$db" --format "$fmt" > "$tmp/query.$fmt" 2>"$tmp/err" || { bad "$name: dyad query exited $?: $(head -c 300 "$tmp/err")"; return; }
  local sep=$'\t'; [ "$fmt" = acled ] && sep=,
  if [ -n "$cols" ]; then
    cut -d"$sep" -f"$cols" "$tmp/code.$fmt" | LC_ALL=C sort > "$tmp/a"
    cut -d"$sep" -f"$cols" "$tmp/query.$fmt" | LC_ALL=C sort > "$tmp/b"
  else
    LC_ALL=C sort "$tmp/code.$fmt" > "$tmp/a"; LC_ALL=C sort "$tmp/query.$fmt" > "$tmp/b"
  fi
  local rows; rows=$(wc -l < "$tmp/a")
  if [ "$rows" -lt 2 ]; then bad "$name: only $rows rows: nothing compared"; return; fi
  if cmp -s "$tmp/a" "$tmp/b"; then ok; echo "ok: $name ($rows rows)"
  else bad "$name: rows differ"; diff "$tmp/a" "$tmp/b" | head -6 | sed 's/^/  /'; fi
}

# ---- our example stories and the showcase: every column ----------------------------------------------------
ex="$tmp/examples.jsonl"
i=0
for f in examples/*.txt ../shared/examples/*.txt; do
  [ -e "$f" ] || continue
  i=$((i + 1))
  jq -cn --arg id "ex$i" --rawfile t "$f" --arg src "example-$i" --arg url "https://example.org/$i" \
    '{id: $id, date: ($t | capture("^\\s*date (?<d>[0-9-]{10})").d // "2024-01-01"), text: ($t | sub("^\\s*date [0-9-]{10}\\s"; "")), source: $src, url: $url}' >> "$ex"
done
"$DYAD" ingest --quiet --db "$tmp/ex.db" "$ex" 2>"$tmp/err" || bad "ingest examples exited $?: $(head -c 300 "$tmp/err")"
for fmt in gdelt phoenix icews acled; do same "examples, $fmt, every column" "$fmt" "$tmp/ex.db" "$ex"; done

# ---- Reuters-21578: all but what only a store knows ---------------------------------------
if [ -f build/bench/reuters.jsonl ] || ls ../shared/data/corpus/reut2-*.sgm >/dev/null 2>&1; then
  make -s build/bench/reuters.jsonl >&2
  head -n 3000 build/bench/reuters.jsonl > "$tmp/r.jsonl"
  "$DYAD" ingest --quiet --db "$tmp/r.db" "$tmp/r.jsonl" 2>"$tmp/err" || bad "ingest Reuters exited $?: $(head -c 300 "$tmp/err")"
  same "Reuters, gdelt, all but the event id and counts" gdelt "$tmp/r.db" "$tmp/r.jsonl" 2-31,35-
  for fmt in phoenix icews acled; do same "Reuters, $fmt, every column" "$fmt" "$tmp/r.db" "$tmp/r.jsonl"; done
else
  echo "formats: ../shared/data/corpus absent: the Reuters comparison is skipped"
fi

# ---- the option itself ---------------------------------------------------------------------
"$DYAD" code --format xml examples/baghdad-protest.txt >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -q "not one of" "$tmp/err" && ok || bad "--format xml: exit $rc, $(cat "$tmp/err")"
"$DYAD" explain --format gdelt examples/baghdad-protest.txt >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] && ok || bad "explain --format gdelt: exit $rc, want 2"
"$DYAD" code --quiet --format icews < /dev/null > "$tmp/h" 2>/dev/null; [ "$(head -c 9 "$tmp/h")" = "Event ID	" ] && ok || bad "icews header on empty input"
# --format jsonl and text still set the input's format, as before --input
printf 'date 2024-03-12\nRiot police arrested ten protesters in Baghdad.\n' > "$tmp/s.txt"
a=$("$DYAD" code --quiet --format text "$tmp/s.txt" | wc -l); b=$("$DYAD" code --quiet --input text "$tmp/s.txt" | wc -l)
[ "$a" -ge 1 ] && [ "$a" = "$b" ] && ok || bad "--format text and --input text: $a and $b records"
echo "formats: $pass passed, $fail failed"
[ $fail -eq 0 ]
