#!/usr/bin/env bash
# corelib.sh — the core library stands alone: a program that reads the built-in dictionaries,
# codes a story and writes its events (and a GDELT row of them) links with
# `-ldyad -ljansson -lm` and nothing else — no SQLite, PostgreSQL or libxml2, which only the
# store (libdyad_store.a) and the validator (libdyad_validate.a) need — and its output is what
# `dyad code` writes for the same story.
set -u
cd "$(dirname "$0")/../.."
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok: $*"; }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/corelib.XXXXXX"); trap 'rm -rf "$tmp"' EXIT
make -s build/libdyad.a build/dyad >&2 || { echo "corelib: build failed"; echo "corelib: 0 passed, 1 failed"; exit 1; }
cat > "$tmp/use.c" <<'C'
#include <stdio.h>
#include <string.h>
#include "dyad.h"
int main(void)
{
    dyad_error err = {0};
    dyad_dict *d = dyad_dict_open_builtin(&err);
    if (!d) { fprintf(stderr, "dictionaries: %s\n", err.message); return 1; }
    dyad_options opt = {0};
    dyad_coder *c = dyad_coder_new(d, &opt);
    const char *text = "Turkish warplanes bombed Kurdish rebel positions in northern Iraq on Monday.";
    dyad_story st = {.id = "s1", .date = "2024-03-11", .text = text, .text_len = strlen(text)};
    if (!c || dyad_story_code(c, &st, &err) != DYAD_OK) { fprintf(stderr, "code: %s\n", err.message); return 1; }
    size_t n;
    const char *jsonl = dyad_coder_jsonl(c, &n);
    fwrite(jsonl, 1, n, stdout);
    long long id = 1;
    if (dyad_table_write("gdelt", &st, jsonl, n, &id, stderr) != DYAD_OK) return 1;
    dyad_coder_free(c);
    dyad_dict_free(d);
    return 0;
}
C
if cc -std=c11 -Iinclude -o "$tmp/use" "$tmp/use.c" -Lbuild -ldyad -ljansson -lm 2>"$tmp/err"; then
  ok "links with -ldyad -ljansson -lm"
else
  bad "does not link with -ldyad -ljansson -lm: $(grep -o 'undefined reference to `[^'"'"']*' "$tmp/err" | sort -u | head -5 | tr '\n' ' ')"
fi
if [ -x "$tmp/use" ]; then
  "$tmp/use" > "$tmp/out" 2> "$tmp/gdelt"; rc=$?
  [ $rc -eq 0 ] && ok "runs" || bad "exit $rc: $(head -c 300 "$tmp/gdelt")"
  printf 'date 2024-03-11\nTurkish warplanes bombed Kurdish rebel positions in northern Iraq on Monday.\n' > "$tmp/s1.txt"
  build/dyad code --quiet "$tmp/s1.txt" > "$tmp/cli"
  if [ -s "$tmp/out" ] && cmp -s "$tmp/out" "$tmp/cli"; then ok "its events are dyad code's ($(wc -l < "$tmp/out") records)"
  else bad "its events differ from dyad code's"; diff "$tmp/out" "$tmp/cli" | head -4; fi
  build/dyad code --quiet --format gdelt "$tmp/s1.txt" > "$tmp/cli.gdelt"
  cmp -s "$tmp/gdelt" "$tmp/cli.gdelt" && [ -s "$tmp/gdelt" ] && ok "its GDELT rows are dyad code's" || bad "GDELT rows differ"
fi
# what each archive needs from outside, by its undefined symbols
und() { nm -u "$1" 2>/dev/null | awk '{print $2}' | grep -E "$2" | sort -u | head -3 | tr '\n' ' '; }
x=$(und build/libdyad.a '^(sqlite3_|PQ|xml|redis|MHD_)'); [ -z "$x" ] && ok "libdyad.a needs no database or XML library" || bad "libdyad.a needs: $x"
x=$(und build/libdyad_store.a '^(sqlite3_|PQ)'); [ -n "$x" ] && ok "the store archive holds the database code" || bad "libdyad_store.a uses no database?"
echo "corelib: $pass passed, $fail failed"
[ $fail -eq 0 ]
