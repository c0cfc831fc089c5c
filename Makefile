# dyad — build, test, bench. `make` builds build/dyad; `make demo` and `make test` do all set-up.
CC      ?= cc
CSTD    := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
WARN    := -Wall -Wextra -Werror -Wno-unused-parameter -Wno-format-truncation
OPT     ?= -O3 -g
# read when make starts: `make demo` and `make test` install the packages first and then build
# in a second make, which sees them (a fresh machine has neither pkg-config nor the libraries)
PKG_CFLAGS := $(shell pkg-config --cflags libxml-2.0 libpq 2>/dev/null)
CFLAGS_ALL = $(CSTD) $(WARN) $(OPT) -Iinclude -Isrc -Ibuild/gen $(PKG_CFLAGS) $(CFLAGS)
LIBS    := -ljansson -lxml2 -lsqlite3 -lpq -lm -pthread
# the dyad command alone also speaks to Redis (`dyad worker`, `dyad enqueue`): libdyad does not
CLI_LIBS := -lhiredis
# the sanitizer build also asserts the coder's invariants between stages (src/check.h)
SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -DDY_CHECK

# three archives: the core (read, code, render; needs only jansson and libm), the event store
# (SQLite, PostgreSQL) and the PETRARCH validator (libxml2). LIB_SRC is all three.
CORE_SRC     := $(wildcard src/base/*.c) $(wildcard src/dict/*.c) $(wildcard src/geo/*.c) $(wildcard src/render/*.c) $(wildcard src/*.c)
STORE_SRC    := $(wildcard src/store/*.c)
VALIDATE_SRC := $(wildcard src/validate/*.c)
LIB_SRC  := $(CORE_SRC) $(STORE_SRC) $(VALIDATE_SRC)
HDRS    := $(wildcard include/*.h src/*.h src/*/*.h)
CLI_SRC := $(wildcard cli/*.c)
DICT    := $(shell find dict -name '*.txt' | sort)
WORDNET := /usr/share/wordnet
EXC     := $(wildcard $(WORDNET)/verb.exc $(WORDNET)/noun.exc $(WORDNET)/adj.exc)
GEN     := build/gen/dict_blob.c build/gen/wordnet_blob.c

.PHONY: all deps deps-test demo demo-run test test-run unit spec bench format clean
all: build/dyad

deps:
	@scripts/install-deps.sh build

build/embed: tools/embed.c
	@mkdir -p build
	$(CC) -O1 -o $@ $<

build/gen/dict_blob.c: build/embed $(DICT)
	@mkdir -p build/gen
	build/embed $@ dy_dict_blobs dict/ $(DICT)

build/gen/wordnet_blob.c: build/embed
	@mkdir -p build/gen
	@test -n "$(EXC)" || { echo "missing $(WORDNET)/*.exc (Debian package wordnet-base): 'make demo' installs what dyad needs" >&2; exit 1; }
	build/embed $@ dy_wordnet_blobs $(WORDNET)/ $(EXC)

# ---- normal build ----
OBJ := $(patsubst %.c,build/obj/%.o,$(LIB_SRC)) build/obj/gen/dict_blob.o build/obj/gen/wordnet_blob.o
CORE_OBJ := $(patsubst %.c,build/obj/%.o,$(CORE_SRC)) build/obj/gen/dict_blob.o build/obj/gen/wordnet_blob.o
# what a program of ours links: the store and validator archives before the core they use
DYAD_LIBS := build/libdyad_store.a build/libdyad_validate.a build/libdyad.a
build/obj/%.o: %.c $(HDRS) | $(GEN)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -c -o $@ $<
build/obj/gen/%.o: build/gen/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) -O1 -c -o $@ $<
build/obj/gen/%.o: build/gen/%.S
	@mkdir -p $(dir $@)
	$(CC) -c -o $@ $<
build/libdyad.a: $(CORE_OBJ)
	rm -f $@ && ar rcs $@ $^
build/libdyad_store.a: $(patsubst %.c,build/obj/%.o,$(STORE_SRC))
	rm -f $@ && ar rcs $@ $^
build/libdyad_validate.a: $(patsubst %.c,build/obj/%.o,$(VALIDATE_SRC))
	rm -f $@ && ar rcs $@ $^
build/dyad: $(CLI_SRC) cli/cli.h cli/stream.h $(DYAD_LIBS) include/dyad.h
	$(CC) $(CFLAGS_ALL) -o $@ $(CLI_SRC) $(DYAD_LIBS) $(LIBS) $(CLI_LIBS)

# ---- sanitizer build (ASan + UBSan): one archive of all three, for the tests ----
SOBJ := $(patsubst %.c,build/asan/%.o,$(LIB_SRC)) build/obj/gen/dict_blob.o build/obj/gen/wordnet_blob.o
build/asan/%.o: %.c $(HDRS) | $(GEN)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(SAN) -O1 -c -o $@ $<
build/asan/libdyad.a: $(SOBJ)
	rm -f $@ && ar rcs $@ $^
build/asan/dyad: $(CLI_SRC) cli/cli.h cli/stream.h build/asan/libdyad.a
	$(CC) $(CFLAGS_ALL) $(SAN) -O1 -o $@ $(CLI_SRC) build/asan/libdyad.a $(LIBS) $(CLI_LIBS)

# ---- tests ----
UNIT_SRC := $(wildcard tests/unit/test_*.c)
build/tests/%: tests/unit/%.c build/asan/libdyad.a tests/unit/check.h
	@mkdir -p build/tests
	$(CC) $(CFLAGS_ALL) $(SAN) -O1 -Itests/unit -o $@ $< build/asan/libdyad.a $(LIBS)

unit: $(patsubst tests/unit/%.c,build/tests/%,$(UNIT_SRC))
	@tests/run-unit.sh $^

build/tests/spec_runner: tests/spec_runner.c build/asan/libdyad.a
	@mkdir -p build/tests
	$(CC) $(CFLAGS_ALL) $(SAN) -O1 -o $@ $< build/asan/libdyad.a $(LIBS)

spec: build/tests/spec_runner
	@build/tests/spec_runner --known tests/spec/known-failures.txt tests/spec/*.spec

# `make test` and `make demo` install what is missing first, then build and run in a second make:
# the first one read the package paths (WordNet's lists, pkg-config's flags) before they existed
test: deps-test
	@$(MAKE) --no-print-directory test-run
test-run: build/dyad build/asan/dyad build/tests/spec_runner $(patsubst tests/unit/%.c,build/tests/%,$(UNIT_SRC))
	@tests/run-all.sh

deps-test:
	@scripts/install-deps.sh test

demo: deps
	@$(MAKE) --no-print-directory demo-run
demo-run: build/dyad
	@echo "== dyad code examples/baghdad-protest.txt"
	@build/dyad code examples/baghdad-protest.txt
	@echo "== dyad ingest --db build/demo.db examples/baghdad-protest.txt"
	@rm -f build/demo.db build/demo.db-wal build/demo.db-shm
	@build/dyad ingest --db build/demo.db examples/baghdad-protest.txt
	@echo "== dyad query --db build/demo.db --by day"
	@build/dyad query --db build/demo.db --by day
	@echo "== the dashboard and the API over the demo store (mk/serve.mk; make serve: over Reuters):"
	@echo "   build/dyad serve --db build/demo.db      # then open http://127.0.0.1:8080/"

build/bench/bench: bench/bench.c build/libdyad.a
	@mkdir -p build/bench
	$(CC) $(CFLAGS_ALL) -o $@ $< build/libdyad.a $(LIBS)

bench: build/dyad build/bench/bench
	@bench/run.sh

# $(call incbin_S,NAME,SYMBOL,FILE,OUT): writes OUT, an assembler file that carries FILE as
# read-only data (section .rodata.NAME) between the symbols SYMBOL_start and SYMBOL_end
define incbin_S
@mkdir -p $(dir $4)
@printf '%s\n' '/* generated by the Makefile (incbin_S): $3 as read-only data */' \
  '    .section .rodata.$1,"a"' '    .balign 64' \
  '    .globl $2_start' '    .globl $2_end' \
  '$2_start:' '    .incbin "$3"' '$2_end:' \
  '    .section .note.GNU-stack,"",@progbits' > $4
endef

-include mk/*.mk

format:
	clang-format -i $(LIB_SRC) $(CLI_SRC) include/*.h src/*.h src/*/*.h

clean:
	rm -rf build
