#!/usr/bin/env bash
# Makes the store `make serve` serves when it is not there: the Reuters-21578 corpus
# (../shared/data/corpus, as JSON Lines) plus the showcase story, or dyad's examples alone.
# Usage: scripts/serve-store.sh DYAD DB
set -euo pipefail
cd "$(dirname "$0")/.."
dyad=$1 db=$2
[ -s "$db" ] && exit 0
mkdir -p "$(dirname "$db")"
inputs=(examples/*.txt)
show=../shared/examples/kadhimi-drone-attack-2021-11-07.txt
[ -f "$show" ] && inputs+=("$show")
if ls ../shared/data/corpus/reut2-*.sgm >/dev/null 2>&1; then
  make --no-print-directory build/bench/reuters.jsonl >&2
  inputs+=(build/bench/reuters.jsonl)
else
  echo "serve-store: ../shared/data/corpus not found; serving dyad's examples only" >&2
fi
echo "serve-store: ingesting ${inputs[*]} into $db" >&2
"$dyad" ingest --db "$db" "${inputs[@]}"
