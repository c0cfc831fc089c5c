#!/usr/bin/env bash
# PETRARCH's dictionaries and unit-test suite (../shared/data/oeda): the suite's figures hold
# (at least 90% of its expected events produced, extra events at most 10% of them), coding
# reads neither the <Parse> trees nor the expectations, the Phoenix set loads with each defect
# reported once as file:line, --strict makes defects fatal, a compiled image codes as the text
# does and maps faster, a PETRARCH config file names the files, and dirty files (CRLF, bad
# bytes, malformed dates) load what is sound. Skipped where ../shared is absent.
set -u
cd "$(dirname "$0")/../.."
DYAD=${DYAD:-build/dyad}
oeda=../shared/data/oeda
pass=0 fail=0
check() { local what=$1; shift; if "$@"; then pass=$((pass+1)); else fail=$((fail+1)); echo "FAIL: $what"; fi; }
if [ ! -f "$oeda/PETR.UnitTest.records.xml" ]; then
  echo "petrarch: $oeda not found; skipped"
  echo "petrarch: 0 passed, 0 failed"
  exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
oeda=$(cd "$oeda" && pwd)

# ---- the unit-test suite ----
"$DYAD" validate --report jsonl "$oeda/PETR.UnitTest.records.xml" > "$tmp/report.jsonl" 2> "$tmp/validate.err"
figures=$(grep '^events:' "$tmp/validate.err")
echo "$figures"
echo "suite records: $(tail -n1 "$tmp/validate.err")"
expected=$(sed -E 's/^events: ([0-9]+) expected.*/\1/' <<<"$figures")
found=$(sed -E 's/.* expected, ([0-9]+) produced.*/\1/' <<<"$figures")
extra=$(sed -E 's/.*\), ([0-9]+) extra.*/\1/' <<<"$figures")
check "suite has its 359 expected events ($expected)" test "${expected:-0}" -eq 359
check "at least 90% of the expected events produced ($found of $expected)" \
  test $((found * 100)) -ge $((expected * 90))
check "extra events at most 10% of the expected ($extra)" test $((extra * 100)) -le $((expected * 10))
check "one JSON report record per <Sentence> (284)" test "$(wc -l < "$tmp/report.jsonl")" -eq 284
check "report records carry id, expected and produced {source,target,code}" \
  python3 -c '
import json,sys
for l in open(sys.argv[1]):
    r=json.loads(l)
    assert isinstance(r["id"],str)
    for k in ("expected","produced"):
        for e in r[k]: assert set(e)=={"source","target","code"}
' "$tmp/report.jsonl"

# coding reads the <Text> alone: without the <Parse> trees, and with the expectations
# scrambled, every record produces the same events
for f in PETR.Validate.verbs.txt PETR.Validate.actors.txt PETR.Validate.agents.txt PETR.Validate.discards.txt; do
  ln -s "$oeda/$f" "$tmp/$f"
done
python3 - "$oeda/PETR.UnitTest.records.xml" "$tmp" <<'EOF'
import re, sys
t = open(sys.argv[1], encoding="utf-8").read()
open(sys.argv[2] + "/noparse.xml", "w").write(re.sub(r"<Parse>.*?</Parse>", "", t, flags=re.S))
swap = lambda m: '<EventCoding sourcecode="ZZZ" targetcode="YYY" eventcode="999">'
open(sys.argv[2] + "/noexpect.xml", "w").write(re.sub(r"<EventCoding[^>]*>", swap, t))
EOF
produced() { python3 -c 'import json,sys
for l in open(sys.argv[1]): r=json.loads(l); print(r["id"], sorted((e["source"],e["target"],e["code"]) for e in r["produced"]))' "$1"; }
"$DYAD" validate --report jsonl "$tmp/noparse.xml" > "$tmp/noparse.jsonl" 2>/dev/null
"$DYAD" validate --report jsonl "$tmp/noexpect.xml" > "$tmp/noexpect.jsonl" 2>/dev/null
check "the copies still hold every record" test "$(cat "$tmp/noparse.jsonl" "$tmp/noexpect.jsonl" | wc -l)" -eq 568
check "the same events without the <Parse> trees" cmp -s <(produced "$tmp/report.jsonl") <(produced "$tmp/noparse.jsonl")
check "the same events with the expectations replaced" cmp -s <(produced "$tmp/report.jsonl") <(produced "$tmp/noexpect.jsonl")

# ---- the Phoenix set ----
phx=$tmp/phoenix
mkdir "$phx"
for f in CAMEO.2.0.txt Phoenix.Countries.actors.txt Phoenix.International.actors.txt \
         Phoenix.MilNonState.actors.txt Phoenix.agents.txt Phoenix.discards.txt Phoenix.IssueCoding.txt; do
  ln -s "$oeda/$f" "$phx/$f"
done
"$DYAD" dict check "$phx" > "$tmp/check.out" 2> "$tmp/check.err"; rc=$?
cat "$tmp/check.out"
ndef=$(wc -l < "$tmp/check.err")
echo "Phoenix defects reported: $ndef"
check "Phoenix set loads with its defects reported (exit 1, $ndef defects)" test "$rc" -eq 1 -a "$ndef" -gt 0
check "every defect is file:line: reason, in a Phoenix file" \
  test -z "$(grep -Ev '^[^:]*/(CAMEO\.2\.0|Phoenix\.[A-Za-z]+(\.actors)?)\.txt:[0-9]+: .' "$tmp/check.err")"
check "each defect reported once" test -z "$(cut -d: -f1,2 "$tmp/check.err" | sort | uniq -d)"
for f in CAMEO.2.0.txt Phoenix.Countries.actors.txt Phoenix.agents.txt Phoenix.discards.txt; do
  check "$f loads sound entries" grep -q . "$phx/$f"
done
check "actors, agents and patterns from the Phoenix set" \
  awk '{ if ($1 < 25000 || $3 < 2000 || $5 < 9000) exit 1 }' "$tmp/check.out"
"$DYAD" dict check --strict "$phx" > /dev/null 2> "$tmp/strict.err"; rc=$?
check "--strict makes a defect fatal (exit 3, file:line)" test "$rc" -eq 3 -a -n "$(grep -E '\.txt:[0-9]+: ' "$tmp/strict.err")"

# compiled image: the same dictionaries, the same events, mapped faster than read
"$DYAD" dict compile --dict "$phx" -o "$tmp/phoenix.img" 2> /dev/null
check "dict compile writes an image" test -s "$tmp/phoenix.img"
check "the image holds what the text does" \
  cmp -s <("$DYAD" dict stats --dict "$phx" 2>/dev/null) <("$DYAD" dict stats --dict "$tmp/phoenix.img" 2>/dev/null)
story='date 2014-06-02
Iraqi security forces attacked Islamic State fighters near Mosul on Monday, the defence ministry said. The United Nations condemned the killing of civilians in Baghdad.'
printf '%s\n' "$story" > "$tmp/story.txt"
"$DYAD" code --quiet --dict "$phx" "$tmp/story.txt" > "$tmp/text.jsonl" 2>/dev/null
"$DYAD" code --quiet --dict "$tmp/phoenix.img" "$tmp/story.txt" > "$tmp/img.jsonl" 2>/dev/null
check "Phoenix codes the story (events produced)" test -s "$tmp/text.jsonl"
check "the image codes as the text does" cmp -s "$tmp/text.jsonl" "$tmp/img.jsonl"
ms() { local t0 t1; t0=$(date +%s%N); "$@" > /dev/null 2>&1; t1=$(date +%s%N); echo $(((t1 - t0) / 1000000)); }
best() { local b=999999 t; for _ in 1 2 3; do t=$(ms "$@"); [ "$t" -lt "$b" ] && b=$t; done; echo "$b"; }
t_text=$(best "$DYAD" dict stats --dict "$phx")
t_img=$(best "$DYAD" dict stats --dict "$tmp/phoenix.img")
echo "Phoenix load (whole command, best of 3): from text ${t_text} ms (target 300), from the image ${t_img} ms (target 50)"
check "the image opens faster than the text loads ($t_img vs $t_text ms)" test "$t_img" -lt "$t_text"

# a PETRARCH config file naming the files, relative to it
cat > "$phx/PETR_config.ini" <<'EOF'
[Dictionaries]
verbfile_name    = CAMEO.2.0.txt
actorfile_list   = Phoenix.Countries.actors.txt, Phoenix.International.actors.txt, Phoenix.MilNonState.actors.txt
agentfile_name   = Phoenix.agents.txt
discardfile_name = Phoenix.discards.txt
issuefile_name   = Phoenix.IssueCoding.txt
EOF
check "a config file loads the same set" \
  cmp -s <("$DYAD" dict stats --dict "$phx" 2>/dev/null) <("$DYAD" dict stats --dict "$phx/PETR_config.ini" 2>/dev/null)

# ---- dirty files: CRLF, bytes that are not UTF-8, a malformed date, a code typo ----
d=$tmp/dirty
mkdir "$d"
printf 'GONDOR_ [GON]\r\n+MINAS_TIRITH\r\nMORDOR [MOR]\r\nBAD\xffNAME [BAD]\r\nSAURON\r\n\t[MORGOV 9301011-950101]\r\n\t[MOR]\r\nROHAN [roh]\r\nTHE_SHIRE [FRO/BIL]\r\n' > "$d/Test.actors.txt"
printf -- '--- ATTACK [190] ---\r\nATTACK\r\n- * WITH DRONES [195]\r\n- * AT [19?]\r\n' > "$d/Test.verbs.txt"
"$DYAD" dict check "$d" > "$tmp/dirty.out" 2> "$tmp/dirty.err"; rc=$?
cat "$tmp/dirty.err"
check "dirty files load (exit 1: defects)" test "$rc" -eq 1
check "bad bytes reported at their line" grep -q 'Test.actors.txt:4: ' "$tmp/dirty.err"
check "malformed date reported at its line" grep -q 'Test.actors.txt:6: .*date' "$tmp/dirty.err"
check "code typo reported at its line" grep -q 'Test.verbs.txt:4: ' "$tmp/dirty.err"
check "the sound entries load despite CRLF" grep -q '^5 actors' "$tmp/dirty.out"
printf 'date 2020-01-01\nMordor attacked Minas Tirith with drones. Sauron attacked the Shire.\n' > "$tmp/dirty.txt"
out=$("$DYAD" code --quiet --dict "$d" "$tmp/dirty.txt" 2>/dev/null)
check "a pattern of the dirty file codes (MOR 195 GON)" grep -q '"code":"MOR".*"code":"GON".*"code":"195"' <<<"$out"
check "an actor standing for several codes as each (FRO/BIL)" grep -q '"code":"FRO".*"code":"BIL"' <<<"$out"

echo "petrarch: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
