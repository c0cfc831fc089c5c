#!/usr/bin/env bash
# serve-browser.sh — the dashboard in a real browser: Debian's headless Chromium driven by the
# pinned npm playwright-core (tests/browser/dashboard.mjs) over a `dyad serve` of the Reuters
# corpus plus the showcase story: Iraq in November 2021 filtered, the showcase attack found on
# the map and the timeline, clicked, its highlighted sentence read; labels and focus order;
# screenshots of each step under build/browser/ checked not blank; no console error.
# Skips (with a message) without the Reuters corpus (../shared/data/corpus) or the showcase.
# Ends with "serve-browser: N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
DYAD=${DYAD:-build/dyad}
name=serve-browser
show=../shared/examples/kadhimi-drone-attack-2021-11-07.txt
corpus=build/bench/reuters.jsonl
if [ ! -s "$corpus" ] && ls ../shared/data/corpus/reut2-*.sgm >/dev/null 2>&1; then
  make --no-print-directory build/bench/reuters.jsonl >/dev/null 2>&1
fi
if [ ! -s "$corpus" ] || [ ! -f "$show" ]; then
  echo "$name: skipped: needs the Reuters corpus (../shared/data/corpus) and the showcase ($show)"
  echo "$name: 0 passed, 0 failed"
  exit 0
fi
for t in node /usr/bin/chromium; do
  command -v "$t" >/dev/null || { echo "$name: $t missing (scripts/install-deps.sh test)"; echo "$name: 0 passed, 1 failed"; exit 1; }
done
[ -f build/web/.built ] && [ -f build/npm-web/node_modules/playwright-core/package.json ] ||
  make --no-print-directory web >/dev/null 2>&1
tmp=$(mktemp -d)
pid=
cleanup() {
  [ -n "$pid" ] && { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; }
  rm -rf "$tmp"
}
trap cleanup EXIT
cp "$DYAD" "$tmp/dyad"
"$tmp/dyad" ingest --quiet --db "$tmp/store.db" "$corpus" "$show" || { echo "$name: ingest failed"; echo "$name: 0 passed, 1 failed"; exit 1; }
"$tmp/dyad" serve --db "$tmp/store.db" --listen 127.0.0.1:0 --web build/web >"$tmp/serve.log" 2>&1 &
pid=$!
base=$(scripts/serve-url.sh "$tmp/serve.log" "$pid")/
[ "$base" != / ] || { echo "$name: the server did not start: $(cat "$tmp/serve.log")"; echo "$name: 0 passed, 1 failed"; exit 1; }
mkdir -p build/browser
rm -f build/browser/*.png
# Chromium's profile, crash reports and caches go under $tmp, removed with it
out=$(HOME=$tmp XDG_CONFIG_HOME=$tmp XDG_CACHE_HOME=$tmp TMPDIR=$tmp \
      PLAYWRIGHT_CORE=$PWD/build/npm-web/node_modules/playwright-core \
      timeout 240 node tests/browser/dashboard.mjs "$base" build/browser 2>&1)
rc=$?
printf '%s\n' "$out"
pass=$(grep -c '^ok ' <<<"$out")
fail=$(grep -c '^FAIL ' <<<"$out")
[ "$rc" -ne 0 ] && [ "$fail" -eq 0 ] && { echo "FAIL: the browser run exited $rc"; fail=1; }
echo "screenshots: $(ls build/browser/*.png 2>/dev/null | tr '\n' ' ')"
echo "$name: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
