#!/usr/bin/env bash
# `make bench`: turns the Reuters-21578 SGML of ../shared/data/corpus into JSON Lines stories
# and runs bench/bench on them (one core: the coder is single-threaded).
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
build/bench/bench build/dyad build/bench/reuters.jsonl "built-in dictionaries"
