#!/usr/bin/env bash
# eval.sh — measures happening grouping on tests/store/happenings.jsonl (written by
# make_happenings.py): ingests it into a temporary store, reads the happenings back and scores
# them pairwise against tests/store/happenings.gold. Two stories are predicted to tell the same
# happening when some event of one and some event of the other are in the same happening;
# precision and recall count story pairs. Printed over all stories (a story the coder finds no
# event in can group with nothing) and over the stories with events (the grouping alone).
# Exits 1 when precision or recall over all stories is below 0.90.
# Usage: tests/store/eval.sh [DYAD] [extra ingest options...]
# EVAL_DB: an empty store to use (e.g. a PostgreSQL URI) instead of a temporary SQLite file.
set -eu
cd "$(dirname "$0")/../.."
DYAD=${1:-build/dyad}; shift || true
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
db=${EVAL_DB:-$tmp/h.db}
"$DYAD" ingest --quiet --db "$db" "$@" tests/store/happenings.jsonl
"$DYAD" query --db "$db" --happenings | jq -r '[.id, (.mention_list | map(.story_id) | unique | join(" "))] | @tsv' >"$tmp/pred"
"$DYAD" query --db "$db" | jq -r .story_id | sort -u >"$tmp/coded"
awk -F'\t' '
  FILENAME == ARGV[1] { coded[$1] = 1; next }
  FILENAME == ARGV[2] { if ($0 ~ /^#/) next; gold[$1] = $2; ids[++n] = $1; next }
  { k = split($2, s, " "); for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) {
      a = s[i] < s[j] ? s[i] : s[j]; b = s[i] < s[j] ? s[j] : s[i]; pred[a SUBSEP b] = 1 } }
  END {
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) {
      a = ids[i] < ids[j] ? ids[i] : ids[j]; b = ids[i] < ids[j] ? ids[j] : ids[i]
      g = gold[a] == gold[b]; p = (a SUBSEP b) in pred; both = (a in coded) && (b in coded)
      tp += g && p; fp += !g && p; fn += g && !p
      if (both) { ctp += g && p; cfp += !g && p; cfn += g && !p }
    }
    nh = 0; for (x in gold) if (!(gold[x] in seen)) { seen[gold[x]] = 1; nh++ }
    nc = 0; for (x in coded) if (x in gold) nc++
    printf "happenings: %d gold happenings, %d stories, %d with events\n", nh, n, nc
    printf "happenings: all stories:       precision %.3f  recall %.3f  (%d pairs right, %d wrong, %d missed)\n", tp / (tp + fp), tp / (tp + fn), tp, fp, fn
    printf "happenings: stories w/ events: precision %.3f  recall %.3f  (%d pairs right, %d wrong, %d missed)\n", ctp / (ctp + cfp), ctp / (ctp + cfn), ctp, cfp, cfn
    p = tp / (tp + fp); r = tp / (tp + fn)
    if (p < 0.90 || r < 0.90) { print "happenings: below the bar (precision and recall >= 0.90 over all stories)"; exit 1 }
  }' "$tmp/coded" tests/store/happenings.gold "$tmp/pred"
