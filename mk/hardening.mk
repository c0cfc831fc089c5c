# hardening.mk — fuzzing, the failing-allocator unit test and valgrind (included by the Makefile).
#
#   make fuzz-smoke            each libFuzzer target for FUZZ_SMOKE_SECONDS (30) seconds; part of
#                              `make test` through tests/extra/fuzz-smoke.sh
#   make fuzz FUZZ_SECONDS=600 the same, longer; crashes are copied to fuzz/regressions/<target>/
#   make fuzz-build            only build build/fuzz/fuzz_* (clang 14, libFuzzer + ASan + UBSan)
#   make memcheck              spec runner and `dyad code` on examples/ and the showcase under
#                              valgrind, on the plain (non-sanitised) build
#
# The fuzzers compile the library sources again with clang and the sanitizer flags (one object
# set shared by all targets, in build/fuzz/obj/) and take the generated data from build/libdyad.a.

FUZZ_CC      ?= clang
FUZZ_TARGETS := $(sort $(basename $(notdir $(wildcard fuzz/fuzz_*.c)))) # every fuzz/fuzz_*.c
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_CFLAGS  := $(CSTD) $(filter-out -Werror -Wno-format-truncation,$(WARN)) -g -O1 $(FUZZ_SAN) -DDY_CHECK -Iinclude -Isrc -Ibuild/gen $(PKG_CFLAGS)
# the library sources compiled again for the fuzzers; build/libdyad.a follows them on the link
# line only for what they leave undefined: the generated data objects (embedded dictionaries,
# gazetteer image), which hold no code to instrument
FUZZ_OBJ     := $(patsubst %.c,build/fuzz/obj/%.o,$(LIB_SRC))
FUZZ_BINS    := $(addprefix build/fuzz/,$(FUZZ_TARGETS))
FUZZ_SECONDS ?= 600
FUZZ_SMOKE_SECONDS ?= 30
FUZZ_RSS_MB  ?= 2048
FUZZ_JOBS    ?= 2

.PHONY: fuzz fuzz-build fuzz-smoke memcheck
# the objects are kept: make would otherwise delete them as intermediates after each link,
# and a second make running meanwhile (two suites at once) would find them gone
.SECONDARY: $(FUZZ_OBJ)

build/fuzz/obj/%.o: %.c $(HDRS) | $(GEN)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<
build/fuzz/%: fuzz/%.c fuzz/fuzz_common.h $(FUZZ_OBJ) build/libdyad.a
	@mkdir -p build/fuzz
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_OBJ) build/libdyad.a $(LIBS)

fuzz-build: $(FUZZ_BINS)

fuzz-smoke: fuzz-build
	@fuzz/run.sh fuzz-smoke $(FUZZ_SMOKE_SECONDS) $(FUZZ_RSS_MB) $(FUZZ_JOBS) $(FUZZ_TARGETS)

fuzz: fuzz-build
	@fuzz/run.sh fuzz $(FUZZ_SECONDS) $(FUZZ_RSS_MB) $(FUZZ_JOBS) $(FUZZ_TARGETS)

# ---- failing allocator: test_oom wraps malloc/calloc/realloc/free of everything it links ----
build/tests/test_oom: tests/unit/test_oom.c build/asan/libdyad.a tests/unit/check.h
	@mkdir -p build/tests
	$(CC) $(CFLAGS_ALL) $(SAN) -O1 -Itests/unit -o $@ $< build/asan/libdyad.a $(LIBS) \
	    -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=free

# ---- valgrind on the plain build (build/libdyad.a is -O2 -g without sanitizers) ----
# valgrind exits 99 on any memory error or leak (definite, indirect or possible); the programs'
# own exit codes (a failing spec, a rejected input) are not memcheck's business.
MEMCHECK_VALGRIND := valgrind -q --error-exitcode=99 --leak-check=full \
            --errors-for-leak-kinds=definite,indirect,possible --track-origins=yes
MEMCHECK_STORY := ../shared/examples/kadhimi-drone-attack-2021-11-07.txt

build/plain/spec_runner: tests/spec_runner.c $(DYAD_LIBS)
	@mkdir -p build/plain
	$(CC) $(CFLAGS_ALL) -o $@ $< $(DYAD_LIBS) $(LIBS)

build/plain/bad.jsonl:
	@mkdir -p build/plain
	@printf '%s\n' '{"id":"j1","date":"2021-11-07","text":"Iraqi police arrested protesters in Baghdad."}' \
	  '{"id":"j2","text": broken' '{"id":"j3","text":"Iran condemned the attack."}' >$@

memcheck: build/dyad build/plain/spec_runner build/plain/bad.jsonl
	@command -v valgrind >/dev/null || { echo "memcheck: valgrind missing: run scripts/install-deps.sh test" >&2; exit 1; }
	@pass=0; fail=0; \
	run() { $(MEMCHECK_VALGRIND) "$$@" >/dev/null 2>build/plain/memcheck.err; \
	        if [ $$? -eq 99 ] || grep -q '^==[0-9]*==' build/plain/memcheck.err; then \
	          fail=$$((fail + 1)); echo "memcheck FAIL: $$*"; grep '^==' build/plain/memcheck.err | head -40; \
	        else pass=$$((pass + 1)); echo "memcheck ok: $$*"; fi; }; \
	run build/plain/spec_runner tests/spec/*.spec; \
	for f in examples/*; do run build/dyad code --quiet "$$f"; done; \
	if [ -f $(MEMCHECK_STORY) ]; then run build/dyad code --quiet $(MEMCHECK_STORY); \
	  run build/dyad explain --quiet $(MEMCHECK_STORY); else echo "memcheck: $(MEMCHECK_STORY) absent: skipped"; fi; \
	run build/dyad code --quiet build/plain/bad.jsonl; \
	run build/dyad code --quiet --arena-limit 64K build/plain/bad.jsonl; \
	echo "memcheck: $$pass passed, $$fail failed"; [ $$fail -eq 0 ]

# ---- ThreadSanitizer: the ingest pipeline's threads and `dyad code -j 4` (tests/extra/tsan.sh,
# in make test) ----
# The library sources compiled again with clang -fsanitize=thread (as for the fuzzers, the
# archive supplies only the generated data objects).
TSAN_CFLAGS := $(CSTD) -g -O1 -fsanitize=thread -Iinclude -Isrc -Ibuild/gen $(PKG_CFLAGS)
TSAN_OBJ    := $(patsubst %.c,build/tsan/obj/%.o,$(LIB_SRC))
.SECONDARY: $(TSAN_OBJ)

build/tsan/obj/%.o: %.c $(HDRS) | $(GEN)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(TSAN_CFLAGS) -c -o $@ $<
build/tsan/test_ingest: tests/unit/test_ingest.c tests/unit/check.h $(TSAN_OBJ) build/libdyad.a
	@mkdir -p build/tsan
	$(FUZZ_CC) $(TSAN_CFLAGS) -Itests/unit -o $@ $< $(TSAN_OBJ) build/libdyad.a $(LIBS)
build/tsan/dyad: $(CLI_SRC) cli/cli.h $(TSAN_OBJ) build/libdyad.a
	@mkdir -p build/tsan
	$(FUZZ_CC) $(TSAN_CFLAGS) -o $@ $(CLI_SRC) $(TSAN_OBJ) build/libdyad.a $(LIBS) $(CLI_LIBS)
