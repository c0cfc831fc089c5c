#!/usr/bin/env bash
# Fetches the dashboard's npm packages (web/, `dyad serve`), pinned and checked, into
# build/npm-web: Leaflet (the map), world-atlas (Natural Earth's countries as TopoJSON, the
# map's base layer: no tile server), uPlot (the timeline), and playwright-core (drives
# Debian's Chromium in the browser test; not served; 1.61, the last to run on Debian 12's own
# Node.js 18). Run by make; never commit what it fetches.
# Usage: scripts/fetch-web.sh [DEST]   (default build/npm-web)
set -euo pipefail
cd "$(dirname "$0")/.."
dest=${1:-build/npm-web}

# PACKAGE VERSION FILE SHA256: a file of the package with its pinned checksum. npm removes
# from a prefix what it was not asked for, so the four are installed together, in their own
# prefix (the gazetteer's packages are in build/npm).
pins=(
  "leaflet 1.9.4 dist/leaflet.js db49d009c841f5ca34a888c96511ae936fd9f5533e90d8b2c4d57596f4e5641a"
  "leaflet 1.9.4 dist/leaflet.css a7837102824184820dfa198d1ebcd109ff6d0ff9a2672a074b9a1b4d147d04c6"
  "world-atlas 2.0.2 countries-110m.json 2516c915867c7baf18ddec727aec46c315541a07cfb3d79a6559b05d5e94eee8"
  "uplot 1.6.32 dist/uPlot.iife.min.js 19c8d4c6ad88929a79f4ae49d6f7161566dfd0ba3d15cc495e974f787eb78f1f"
  "uplot 1.6.32 dist/uPlot.min.css df630c6a8d6f8eeaff264b50f73ce5b114f646ffd9a0bb74f049b0a00135fa04"
  "playwright-core 1.61.1 package.json 759e376f995bf39edd4810d699b99469bab1d7428b6fbc78d41912f367df7ba9"
)
exec scripts/npm-pinned.sh fetch-web "$dest" "${pins[@]}"
