#!/usr/bin/env bash
# outsums.sh — a checksum of everything dyad prints over the texts we judge it on, to show that a
# change meant to keep the output (a restructure, a speed-up) keeps it byte for byte.
#
#   tools/outsums.sh [DYAD]              prints "LABEL SHA256" lines
#   tools/outsums.sh --save FILE [DYAD]  writes them to FILE
#   tools/outsums.sh --check FILE [DYAD] compares with FILE; names each label that differs, exit 1
#
# Covered: Reuters-21578 as JSON Lines (code, explain, places), this repo's examples and the
# showcase story, every dev set the scoreboard codes (eval/score.py with DYAD_OUTSUMS set: CASE,
# CAMEO classes, PLOVER, IndiaPoliceEvents, PETRARCH's suite through dyad validate, the geo sets'
# full miss lists) and the spec suite's report. Needs ../shared/data; says so and stops without it.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=print file=
case "${1:-}" in
  --save|--check) mode=${1#--}; file=${2:?"$1 needs a FILE"}; shift 2 ;;
  -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
esac
dyad=${1:-build/dyad}
[ -x "$dyad" ] || { echo "outsums.sh: $dyad: not built (make)" >&2; exit 2; }
[ -d ../shared/data ] || { echo "outsums.sh: ../shared/data absent: nothing to compare" >&2; exit 2; }
make -s build/bench/reuters.jsonl build/tools/eval_geo build/tests/spec_runner >&2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/outsums.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
sum() { printf '%s %s\n' "$1" "$(sha256sum | cut -d' ' -f1)"; }
{
  for cmd in code explain places; do
    "$dyad" "$cmd" --quiet build/bench/reuters.jsonl | sum "reuters.$cmd"
  done
  for f in examples/*.txt ../shared/examples/*.txt; do
    [ -e "$f" ] && "$dyad" code --quiet "$f" | sum "story/$(basename "$f")"
  done
  build/tests/spec_runner --known tests/spec/known-failures.txt tests/spec/*.spec 2>&1 | sum spec
  DYAD_OUTSUMS="$tmp/eval" python3 eval/score.py > "$tmp/board"
  sum scoreboard < "$tmp/board"
  cat "$tmp/eval"
} > "$tmp/sums"
case $mode in
  print) cat "$tmp/sums" ;;
  save) cp "$tmp/sums" "$file"; echo "outsums.sh: $(wc -l < "$file") checksums in $file" >&2 ;;
  check)
    if diff <(sort "$file") <(sort "$tmp/sums") > "$tmp/diff"; then
      echo "outsums.sh: all $(wc -l < "$file") outputs byte-identical to $file" >&2
    else
      echo "outsums.sh: outputs differ from $file:" >&2
      grep '^[<>]' "$tmp/diff" | awk '{print $2}' | sort -u | sed 's/^/  /' >&2
      exit 1
    fi ;;
esac
