#!/usr/bin/env bash
# scoreboard.sh — make eval-check in make test: every measure of the scoreboard (eval/score.py
# over the dev sets in ../shared/data) is at most 0.01 worse than its committed figure in
# eval/scores.txt. Sets whose data is absent are said to be skipped. Ends with
# "eval-check: N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
command -v python3 >/dev/null || { echo "eval-check: python3 missing (scripts/install-deps.sh test)"; echo "eval-check: 0 passed, 1 failed"; exit 1; }
make -s build/dyad build/tools/eval_geo build/tests/spec_runner >/dev/null || { echo "eval-check: build failed"; echo "eval-check: 0 passed, 1 failed"; exit 1; }
python3 eval/score.py --check
