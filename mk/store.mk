# store: the event store (src/store/, cli/store_cmd.c) links SQLite.
# `make eval-happenings` measures happening grouping on tests/store/happenings.jsonl (pairwise
# precision and recall against tests/store/happenings.gold; also a line of `make eval`);
# `make happenings` rewrites the test set from its generator.
.PHONY: eval-happenings happenings
eval-happenings: build/dyad
	@tests/store/eval.sh build/dyad

happenings:
	python3 tests/store/make_happenings.py tests/store

# ---- bench: ingest throughput and query latency (added to `make bench`) ----
# Codes the Reuters corpus (built by bench/run.sh's converter) plus the happening set, ingests
# it, grows the store to BENCH_EVENTS events with dated copies of the coded records and times
# queries. BENCH_EVENTS=0 skips the growth.
BENCH_EVENTS ?= 1000000
.PHONY: bench-store
bench: bench-store

build/bench/store_bench: bench/store_bench.c $(DYAD_LIBS) include/dyad.h
	@mkdir -p build/bench
	$(CC) $(CFLAGS_ALL) -o $@ $< $(DYAD_LIBS) $(LIBS)

bench-store: build/dyad build/bench/store_bench
	@if ls ../shared/data/corpus/reut2-*.sgm >/dev/null 2>&1; then \
	   mkdir -p build/bench; \
	   [ build/bench/reuters.jsonl -nt bench/sgml2jsonl.c ] || { cc -O2 -o build/bench/sgml2jsonl bench/sgml2jsonl.c && \
	     build/bench/sgml2jsonl ../shared/data/corpus/reut2-*.sgm > build/bench/reuters.jsonl; }; \
	   cat build/bench/reuters.jsonl tests/store/happenings.jsonl > build/bench/store-corpus.jsonl; \
	   build/bench/store_bench build/bench/store-corpus.jsonl build/bench/store.db $(BENCH_EVENTS); \
	   [ -n "$(BENCH_KEEP)" ] || rm -f build/bench/store.db build/bench/store.db-wal build/bench/store.db-shm; \
	 else echo "bench-store: ../shared/data/corpus not found; nothing to measure"; fi
