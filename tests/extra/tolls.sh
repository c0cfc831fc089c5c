#!/usr/bin/env bash
# tolls.sh — death tolls and injury counts as reports word them (tests/tolls/tolls.tsv, our own
# sentences): each sentence is coded and its violent or coercive event (CAMEO root 14 or more;
# of several, the one with the largest toll) must carry the dead and injured the sentence
# states. A sentence the coder still reads wrong is listed, with what holds it back, in
# tests/tolls/known-failures.txt and reported as such; a listed sentence that passes fails
# the run (take it off the list). Ends with "tolls: N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
DYAD=${DYAD:-build/dyad}
command -v jq >/dev/null || { echo "tolls: jq missing (scripts/install-deps.sh test)"; echo "tolls: 0 passed, 1 failed"; exit 1; }
known=tests/tolls/known-failures.txt
pass=0 fail=0 listed=0 n=0
while IFS=$'\t' read -r sent dead inj; do
  case "$sent" in '#'* | '') continue ;; esac
  n=$((n + 1))
  got=$(printf 'date 2023-05-08\n%s\n' "$sent" | "$DYAD" code --quiet |
    jq -r 'select(.kind == "event" and (.cameo.root | tonumber) >= 14) | "\(.size.dead.value // "-")\t\(.size.injured.value // "-")"' |
    sort -t$'\t' -k1,1nr | head -n 1)
  want="$dead"$'\t'"$inj"
  is_known=0; grep -qxF -- "$sent" <(grep -v '^#' "$known" | cut -f1) 2>/dev/null && is_known=1
  if [ "$got" = "$want" ]; then
    if [ $is_known = 1 ]; then fail=$((fail + 1)); echo "FAIL: listed as known but now read right (take it off $known): $sent"
    else pass=$((pass + 1)); fi
  elif [ $is_known = 1 ]; then
    listed=$((listed + 1))
  else
    fail=$((fail + 1)); echo "FAIL: want dead $dead, injured $inj; got '${got:-no event}': $sent"
  fi
done <tests/tolls/tolls.tsv
echo "tolls: $n sentences: $pass read right, $listed known failures ($known)"
echo "tolls: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
