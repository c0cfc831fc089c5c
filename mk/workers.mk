# workers: `dyad worker` and `dyad enqueue` on Redis Streams (cli/worker.c, cli/enqueue.c).
# `make bench-workers` (part of `make bench`) measures worker throughput for 1 and 2 workers
# and the end-to-end lag against a private Redis and PostgreSQL (bench/workers.sh);
# BENCH_WORKER_STORIES sets how many Reuters stories (default 5000).
BENCH_WORKER_STORIES ?= 5000
.PHONY: bench-workers
bench: bench-workers

bench-workers: build/dyad
	@if ls ../shared/data/corpus/reut2-*.sgm >/dev/null 2>&1; then \
	   mkdir -p build/bench; \
	   [ build/bench/reuters.jsonl -nt bench/sgml2jsonl.c ] || { cc -O2 -o build/bench/sgml2jsonl bench/sgml2jsonl.c && \
	     build/bench/sgml2jsonl ../shared/data/corpus/reut2-*.sgm > build/bench/reuters.jsonl; }; \
	   bench/workers.sh build/dyad build/bench/reuters.jsonl $(BENCH_WORKER_STORIES); \
	 else echo "bench-workers: ../shared/data/corpus not found; nothing to measure"; fi
