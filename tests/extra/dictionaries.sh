#!/usr/bin/env bash
# The built-in dictionaries meet the coverage the core issue asks for: every ISO 3166 country,
# leaders of at least 60 countries with dated roles, 200+ organisations, 300+ agents, 3,000+
# patterns reaching every CAMEO root and at least 250 of the 311 codes; and load clean.
set -u
cd "$(dirname "$0")/../.."
DYAD=${DYAD:-build/dyad}
pass=0 fail=0
check() { local what=$1; shift; if "$@"; then pass=$((pass+1)); else fail=$((fail+1)); echo "FAIL: $what"; fi; }
stat() { "$DYAD" dict stats | awk -v k="$1" '$1==k {print $2}'; }
entries() { grep -c '=>' "$@" | awk -F: '{s+=$NF} END {print s}'; }

p=$(stat patterns); r=$(stat reachable); roots=$(stat roots); lc=$(stat leader_countries); d=$(stat defects)
a=$(entries dict/agents/*.txt); o=$(entries dict/actors/organisations.txt)
echo "patterns $p, CAMEO codes reachable $r of 311, roots $roots of 20, countries with dated leaders $lc, agents $a, organisations $o, defects $d"
check "at least 3000 patterns ($p)" test "$p" -ge 3000
check "at least 250 CAMEO codes reachable ($r)" test "$r" -ge 250
check "all 20 CAMEO roots reachable ($roots)" test "$roots" -eq 20
check "dated leaders of at least 60 countries ($lc)" test "$lc" -ge 60
check "at least 300 agent entries ($a)" test "$a" -ge 300
check "at least 200 organisations ($o)" test "$o" -ge 200
check "no dictionary defects ($d)" test "$d" -eq 0
iso=/usr/share/iso-codes/json/iso_3166-1.json
if [ -f "$iso" ]; then
  missing=$(grep -o '"alpha_3": "[A-Z]*"' "$iso" | cut -d'"' -f4 | while read -r c; do
    grep -q "=> *$c\b" dict/actors/countries.txt || echo "$c"; done | tr '\n' ' ')
  check "every ISO 3166-1 country has an entry (missing: ${missing:-none})" test -z "$missing"
fi
# the story date picks a person's role
out=$("$DYAD" dict lookup --date 2021-11-07 Mustafa al-Kadhimi)
check "al-Kadhimi is IRQGOV on 2021-11-07" grep -q 'IRQGOV 2020-05-07..2022-10-27[^;]*\[in force' <<<"$out"
echo "dictionaries: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
