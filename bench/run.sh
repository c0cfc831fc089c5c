#!/usr/bin/env bash
# `make bench`: turns the Reuters-21578 SGML of ../shared/data/corpus into JSON Lines stories
# and runs bench/bench on them: on one core (-j 1), then -j 1 against -j 2.
set -eu
cd "$(dirname "$0")/.."
corpus=../shared/data/corpus
if ! ls "$corpus"/reut2-*.sgm >/dev/null 2>&1; then
  echo "bench: $corpus not found (it sits beside the repo in CI); nothing to measure" >&2
  exit 0
fi
mkdir -p build/bench
[ build/bench/reuters.jsonl -nt bench/sgml2jsonl.c ] || {
  cc -O2 -o build/bench/sgml2jsonl bench/sgml2jsonl.c
  build/bench/sgml2jsonl "$corpus"/reut2-*.sgm > build/bench/reuters.jsonl
}
out=$(build/bench/bench build/dyad build/bench/reuters.jsonl "built-in dictionaries")
printf '%s\n' "$out"
# the same corpus on one coding thread and on two (dyad code -j 1 and -j 2), in turns
build/bench/bench --jobs build/dyad build/bench/reuters.jsonl
# the same corpus with the Phoenix (PETRARCH) dictionaries, from a directory of links to them
oeda=../shared/data/oeda
if [ -f "$oeda/CAMEO.2.0.txt" ]; then
  phx=$(mktemp -d)
  trap 'rm -rf "$phx"' EXIT
  for f in CAMEO.2.0.txt Phoenix.Countries.actors.txt Phoenix.International.actors.txt \
           Phoenix.MilNonState.actors.txt Phoenix.agents.txt Phoenix.discards.txt; do
    ln -s "$(cd "$oeda" && pwd)/$f" "$phx/$f"
  done
  rate=$(printf '%s\n' "$out" | awk '/sentences\/s/ {print $2; exit}')
  BENCH_BASE_RATE=$rate build/bench/bench build/dyad build/bench/reuters.jsonl "Phoenix dictionaries" -- --dict "$phx"
else
  echo "bench: $oeda/CAMEO.2.0.txt not found; Phoenix dictionaries not measured" >&2
fi
