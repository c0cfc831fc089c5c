# eval: the scoreboard (eval/score.py) over every dev set in ../shared/data — CASE 2021, CAMEO
# classes, PLOVER, IndiaPoliceEvents, PETRARCH's suite, the geo sets, the showcase, happenings.
#   make eval         one line per measure
#   make eval-check   fails when a measure is more than 0.01 worse than eval/scores.txt (in
#                     make test, through tests/extra/scoreboard.sh)
#   make eval-write   rewrites eval/scores.txt: only in a commit that says why a figure moved
.PHONY: eval eval-check eval-write
EVAL_DEPS := build/dyad build/tools/eval_geo build/tests/spec_runner
eval: $(EVAL_DEPS)
	@python3 eval/score.py
eval-check: $(EVAL_DEPS)
	@python3 eval/score.py --check
eval-write: $(EVAL_DEPS)
	@python3 eval/score.py --write

# Reuters-21578 as JSON Lines (the benchmark's corpus, and the precision audit's texts)
REUTERS_SGM := $(wildcard ../shared/data/corpus/reut2-*.sgm)
build/bench/sgml2jsonl: bench/sgml2jsonl.c
	@mkdir -p build/bench
	$(CC) -O2 -o $@ $<
build/bench/reuters.jsonl: build/bench/sgml2jsonl $(REUTERS_SGM)
	@test -n "$(REUTERS_SGM)" || { echo "no ../shared/data/corpus/reut2-*.sgm" >&2; exit 1; }
	build/bench/sgml2jsonl $(REUTERS_SGM) > $@
