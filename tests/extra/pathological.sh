#!/usr/bin/env bash
# pathological.sh — inputs built to break a text coder, fed to build/dyad (the optimised
# build): a huge story with no newline or punctuation, one sentence of a million tokens, deep
# nesting of parentheses and of quotation marks, a million one-byte JSON Lines stories, NUL
# bytes (raw, which make the input not text, and escaped in JSON), UTF-16 with a BOM, overlong
# and truncated UTF-8 (mostly, which is not text, and stray), CR-only line ends. Each is coded at
# 1x and 10x its size: both runs must finish without crashing, and the 10x run may take at most
# MAXRATIO (15) times as long as the 1x run (time linear in size; a quadratic path shows as
# ~100). Times are CPU times, net of the start-up (dictionary load) measured on empty input.
# Then the memory cap: a story past --arena-limit is named on stderr and skipped, the stories
# after it are coded, the exit status is 1, and the process stays under a ulimit.
# Inputs are generated in a temp dir, never committed. SCALE=N multiplies every size (the
# issue's 100 MB story is SCALE=10; the default keeps the suite near a minute on 2 cores).
# Ends with "pathological: N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
DYAD=${DYAD:-build/dyad}
MAXRATIO=${MAXRATIO:-15}
SCALE=${SCALE:-1}
pass=0 fail=0
ok()  { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
[ -x "$DYAD" ] || { echo "pathological: $DYAD missing (make build/dyad)"; echo "pathological: 0 passed, 1 failed"; exit 1; }
command -v jq >/dev/null || { echo "pathological: jq missing (scripts/install-deps.sh test)"; echo "pathological: 0 passed, 1 failed"; exit 1; }

story=../shared/examples/kadhimi-drone-attack-2021-11-07.txt
[ -f "$story" ] || story=examples/baghdad-protest.txt
sed '1{s/^ *date [0-9-]*//}' "$story" >"$tmp/story.txt" # the story without its date line

# ---- helpers ---------------------------------------------------------------------------------

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# code FILE [OPTIONS...]: runs `dyad code` on FILE; sets rc and ms, the CPU time (user +
# system: unlike wall time it does not grow when other work shares the machine); stdout in
# $tmp/out, stderr in $tmp/err.
code() {
  local file=$1; shift
  local TIMEFORMAT='%3U %3S' u s
  { time timeout 600 "$DYAD" code --quiet --date 2021-11-07 "$@" "$file" >"$tmp/out" 2>"$tmp/err"
    echo $? >"$tmp/rc"; } 2>"$tmp/time"
  rc=$(cat "$tmp/rc")
  read -r u s <"$tmp/time"
  ms=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%d", (u + s) * 1000 }')
}

# repeat_to BYTES: stdin repeated and cut to BYTES bytes (doubling a file: few processes).
repeat_to() {
  local unit; unit=$(mktemp -p "$tmp"); cat >"$unit"
  [ -s "$unit" ] || { rm -f "$unit"; return; }
  while [ "$(stat -c %s "$unit")" -lt "$1" ]; do cat "$unit" "$unit" >"$unit.2"; mv "$unit.2" "$unit"; done
  head -c "$1" "$unit"
  rm -f "$unit"
}

# the start-up time: the fastest of three runs on empty input
: >"$tmp/empty.txt"
base=1000000
for _ in 1 2 3; do code "$tmp/empty.txt"; [ "$ms" -lt "$base" ] && base=$ms; done
echo "start-up (dictionaries): ${base} ms"

# net_ratio T10 T1: (T10 - start-up) / (T1 - start-up), the 1x time taken as at least 50 ms
# (below that the clock is noise: lenient rather than flaky).
net_ratio() {
  awk -v a="$1" -v b="$2" -v base="$base" 'BEGIN { a -= base; b -= base; if (a < 0) a = 0
    if (b < 50) b = 50; printf "%.1f", a / b }'
}

# linear NAME GENERATOR SIZE [OPTIONS...]: codes GENERATOR SIZE and GENERATOR 10*SIZE (the
# generator writes that many units to stdout); both must exit 0 (or $EXPECT) without a crash,
# within the ratio.
linear() {
  local name=$1 gen=$2 size=$(( $3 * SCALE )); shift 3
  local expect=${EXPECT:-0} t1 t10 b1 b10
  "$gen" "$size" >"$tmp/in1"
  "$gen" $((size * 10)) >"$tmp/in10"
  b1=$(stat -c %s "$tmp/in1"); b10=$(stat -c %s "$tmp/in10")
  code "$tmp/in1" "$@"
  if [ "$rc" -ne "$expect" ]; then bad "$name 1x ($b1 bytes): exit $rc, want $expect: $(head -c 300 "$tmp/err")"; return; fi
  t1=$ms
  if [ -s "$tmp/out" ] && [ "$(tail -c 1 "$tmp/out" | od -An -c | tr -d ' ')" != '\n' ]; then
    bad "$name 1x: output does not end with a newline"; return
  fi
  local records objects; records=$(wc -l <"$tmp/out")
  objects=$(jq -c 'select(type == "object")' "$tmp/out" 2>"$tmp/jqerr" | wc -l)
  if [ -s "$tmp/jqerr" ] || [ "$objects" -ne "$records" ]; then
    bad "$name 1x: $objects of $records lines are JSON objects: $(head -c 200 "$tmp/jqerr")"; return
  fi
  code "$tmp/in10" "$@"
  if [ "$rc" -ne "$expect" ]; then bad "$name 10x ($b10 bytes): exit $rc, want $expect: $(head -c 300 "$tmp/err")"; return; fi
  t10=$ms
  local ratio; ratio=$(net_ratio "$t10" "$t1")
  if awk -v r="$ratio" -v m="$MAXRATIO" 'BEGIN { exit !(r > m) }'; then
    # a busy machine can slow either run: measure both twice more and keep the fastest of
    # three (the bound stays; only the noise of one short run goes)
    for _ in 1 2; do
      code "$tmp/in1" "$@"; [ "$ms" -lt "$t1" ] && t1=$ms
      code "$tmp/in10" "$@"; [ "$ms" -lt "$t10" ] && t10=$ms
    done
    ratio=$(net_ratio "$t10" "$t1")
  fi
  local line; line=$(printf '%-28s 1x %10s B %6s ms (%s records) | 10x %11s B %7s ms | ratio %5s' \
    "$name" "$b1" "$t1" "$records" "$b10" "$t10" "$ratio")
  if awk -v r="$ratio" -v m="$MAXRATIO" 'BEGIN { exit !(r <= m) }'; then echo "ok   $line"; ok
  else bad "$line exceeds $MAXRATIO: not linear"; fi
}

# ---- generators: each writes about $1 bytes (or $1 tokens, stories, levels) -------------------

no_punct() { # the story's words, no punctuation, no line break
  tr -d '[:punct:]' <"$tmp/story.txt" | tr '\n\r\t' '   ' | tr -s ' ' | repeat_to "$1"
}
one_sentence() { # $1 tokens in one sentence: words and commas, no full stop until the end
  yes 'he said they attacked Iran and Iraq , ' | head -n $(( $1 / 9 + 1 )) | tr -d '\n'; echo .
}
nested_parens() { # $1 levels of parentheses around a sentence
  head -c "$1" /dev/zero | tr '\0' '('; printf ' Iran attacked Iraq. '; head -c "$1" /dev/zero | tr '\0' ')'
}
nested_quotes() { # $1 quotations opened inside one another, then closed
  yes 'he said "' | head -n "$1" | tr -d '\n'; printf 'Iran attacked Iraq.'; head -c "$1" /dev/zero | tr '\0' '"'
}
curly_quotes() { # $1 levels of curly quotes and guillemets, as the normaliser meets them
  yes $'\xe2\x80\x9c\xc2\xab' | head -n "$1" | tr -d '\n'; printf 'Iran attacked Iraq.'
  yes $'\xc2\xbb\xe2\x80\x9d' | head -n "$1" | tr -d '\n'
}
one_byte_stories() { # $1 JSON Lines stories of one byte each
  yes '{"text":"a"}' | head -n "$1"
}
nul_bytes() { # the story with NUL bytes between its words and runs of NULs (not text: rejected)
  sed 's/ /\x00 /g; s/$/\x00\x00\x00\x00/' "$tmp/story.txt" | repeat_to "$1"
}
nul_escapes() { # the same as JSON Lines, the NULs escaped (\u0000): text, coded; whole lines
  local line; line=$(sed 's/ /\x00 /g; s/$/\x00\x00\x00\x00/' "$tmp/story.txt" | repeat_to 4000 | jq -Rsc '{text: .}')
  yes "$line" | head -n $(( $1 / ${#line} + 1 ))
}
utf16_bom() { # the story in UTF-16LE with a byte-order mark
  printf '\xff\xfe'; repeat_to $(( $1 / 2 )) <"$tmp/story.txt" | iconv -f UTF-8 -t UTF-16LE
}
bad_line() { # overlong, truncated, surrogate and out-of-range sequences between words
  printf 'Iran attacked \xc0\xaf Iraq \xe0\x80\xaf. Police \xe2\x82 fired \xed\xa0\x80 tear \xf4\x90\x80\x80 gas \xc1\xbf on \xf8\x88\x80\x80\x80 protesters \xe2\x80. \xff\xfe\n'
}
bad_utf8() { # such lines alone: about a third of the bytes are not UTF-8 (not text: rejected)
  bad_line | repeat_to "$1"
}
stray_utf8() { # one such line after each copy of the story: text with stray bad bytes, repaired
  { cat "$tmp/story.txt"; bad_line; } | repeat_to "$1"
}
cr_only() { # the story with CR-only line ends
  tr '\n' '\r' <"$tmp/story.txt" | repeat_to "$1"
}

# ---- time linear in size ---------------------------------------------------------------------

linear "no newline, no punctuation" no_punct 1000000 --arena-limit 4G
linear "one sentence, many tokens" one_sentence 100000
linear "nested parentheses" nested_parens 200000
linear "nested quotation marks" nested_quotes 50000
linear "nested curly quotes" curly_quotes 100000
linear "one-byte JSONL stories" one_byte_stories 200000 --format jsonl
EXPECT=1 linear "NUL bytes (rejected)" nul_bytes 1000000
linear "NUL escapes in JSON Lines" nul_escapes 1000000
linear "UTF-16LE with BOM" utf16_bom 1000000
EXPECT=1 linear "mostly bad UTF-8 (rejected)" bad_utf8 1000000
linear "stray bad UTF-8" stray_utf8 1000000
linear "CR-only line ends" cr_only 1000000

# ---- the same story, differently encoded, gives the same records -------------------------------

code "$tmp/story.txt"; cp "$tmp/out" "$tmp/utf8.out"
{ printf '\xff\xfe'; iconv -f UTF-8 -t UTF-16LE <"$tmp/story.txt"; } >"$tmp/story16le.txt"
{ printf '\xfe\xff'; iconv -f UTF-8 -t UTF-16BE <"$tmp/story.txt"; } >"$tmp/story16be.txt"
tr '\n' '\r' <"$tmp/story.txt" >"$tmp/storycr.txt"
sed 's/$/\r/' "$tmp/story.txt" >"$tmp/storycrlf.txt"
for v in story16le story16be storycr storycrlf; do
  code "$tmp/$v.txt"
  sed "s/\"$v/\"story/g" "$tmp/out" >"$tmp/$v.out"
  want=$tmp/utf8.out
  if [ "$v" = storycrlf ]; then # spans count the CRs of the original text: compare the rest
    jq -c 'del(.text_info.spans)' "$tmp/utf8.out" >"$tmp/utf8.nospans"
    jq -c 'del(.text_info.spans)' "$tmp/$v.out" >"$tmp/$v.nospans"
    want=$tmp/utf8.nospans; mv "$tmp/$v.nospans" "$tmp/$v.out"
  fi
  if [ "$rc" -eq 0 ] && [ -s "$want" ] && cmp -s "$want" "$tmp/$v.out"; then ok
  else bad "$v: exit $rc, records differ from the UTF-8/LF story's ($(wc -l <"$tmp/$v.out") vs $(wc -l <"$want") lines)"; fi
done

# ---- NUL bytes in JSON Lines: escaped ones are text, raw ones make the line invalid JSON ---------

printf '{"id":"n1","text":"Iran\\u0000attacked\\u0000Iraq."}\n{"id":"n2","text":"raw \x00 NUL"}\n{"id":"n3","text":"Iran attacked Iraq."}\n' >"$tmp/nul.jsonl"
code "$tmp/nul.jsonl"
if [ "$rc" -eq 1 ] && grep -q 'nul.jsonl:2:' "$tmp/err" && grep -q '"story_id":"n3"' "$tmp/out"; then ok
else bad "raw NUL in a JSON line: exit $rc (want 1), stderr: $(head -c 200 "$tmp/err")"; fi

# ---- the memory cap -----------------------------------------------------------------------------

# a JSON Lines file whose second story is far past the arena limit
text=$(no_punct 3000000 | jq -Rs .)
{ echo '{"id":"m1","text":"Iraqi police arrested protesters in Baghdad."}'
  printf '{"id":"m2","text":%s}\n' "$text"
  echo '{"id":"m3","text":"Iran condemned the attack on Iraq."}'; } >"$tmp/cap.jsonl"
(ulimit -v $((2048 * 1024)); code "$tmp/cap.jsonl" --arena-limit 8M; echo "$rc $ms" >"$tmp/cap.rc")
read -r rc ms <"$tmp/cap.rc"
echo "arena limit 8M, 3 MB story between two small ones: exit $rc in $ms ms; stderr: $(head -c 160 "$tmp/err")"
if [ "$rc" -eq 1 ]; then ok; else bad "story over --arena-limit: exit $rc, want 1"; fi
if grep -q "cap.jsonl:2:.*m2.*skipped" "$tmp/err"; then ok; else bad "the skipped story is not named file:line with its id"; fi
if grep -q '"story_id":"m1"' "$tmp/out" && grep -q '"story_id":"m3"' "$tmp/out"; then ok
else bad "the stories around the skipped one were not both coded"; fi
if ! grep -q '"story_id":"m2"' "$tmp/out"; then ok; else bad "the skipped story wrote records"; fi

# a text story past the limit: skipped, exit 1
no_punct 3000000 >"$tmp/big.txt"
(ulimit -v $((2048 * 1024)); code "$tmp/big.txt" --arena-limit 8M; echo "$rc" >"$tmp/cap.rc")
read -r rc <"$tmp/cap.rc"
if [ "$rc" -eq 1 ] && grep -q "big.txt:1:.*skipped" "$tmp/err"; then ok
else bad "text story over --arena-limit: exit $rc (want 1), stderr: $(head -c 200 "$tmp/err")"; fi

echo "pathological: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
