#!/usr/bin/env bash
# The geoparsing floor, in the suite: over GeoVirus (../shared/data/geo), the set the place
# finder was first tuned on, dyad must find >= 0.85 of the gold places, resolve >= 0.85 of those
# within 161 km, and >= 0.82 of all both. (The real dev sets' figures are on the scoreboard,
# make eval, whose check fails on any drop.)
set -u
cd "$(dirname "$0")/../.."
if [ ! -f ../shared/data/geo/GeoVirus.xml ]; then
  echo "eval-geo: ../shared/data/geo/GeoVirus.xml not found: skipped"
  echo "eval-geo: 0 passed, 0 failed"
  exit 0
fi
make -s build/tools/eval_geo >/dev/null || exit 1
out=$(build/tools/eval_geo ../shared/data/geo/GeoVirus.xml --bar 0.85,0.85,0.82 2>&1); rc=$?
printf '%s\n' "$out" | grep -E '^(found|within|bar)'
if [ $rc -eq 0 ]; then echo "eval-geo: 1 passed, 0 failed"; else echo "eval-geo: 0 passed, 1 failed"; fi
exit $rc
