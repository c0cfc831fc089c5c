#!/usr/bin/env bash
# The geoparsing quality bar, in the suite: `make eval-geo` over GeoVirus (../shared/data/geo)
# must find >= 0.85 of the gold places and resolve >= 0.85 of those within 161 km.
set -u
cd "$(dirname "$0")/../.."
if [ ! -f ../shared/data/geo/GeoVirus.xml ]; then
  echo "eval-geo: ../shared/data/geo/GeoVirus.xml not found: skipped"
  echo "eval-geo: 0 passed, 0 failed"
  exit 0
fi
out=$(make -s eval-geo 2>&1); rc=$?
printf '%s\n' "$out" | grep -E '^(found|within|targets)'
if [ $rc -eq 0 ]; then echo "eval-geo: 1 passed, 0 failed"; else echo "eval-geo: 0 passed, 1 failed"; fi
exit $rc
