# serve: `dyad serve` (cli/serve.c, cli/serve_req.c) on libmicrohttpd, its dashboard (web/,
# built into build/web from our own files and the pinned npm packages scripts/fetch-web.sh
# fetches), the OpenAPI description embedded in the binary, the load bench, `make serve`.
LIBS += -lmicrohttpd
OPENAPI_BLOB := build/gen/openapi_blob.c
CLI_SRC += $(OPENAPI_BLOB)
build/dyad build/asan/dyad: $(OPENAPI_BLOB)
$(OPENAPI_BLOB): web/openapi.json build/embed
	@mkdir -p build/gen
	build/embed $@ dy_openapi_blobs web/ web/openapi.json

# ---- the dashboard: our files, and the vendored ones from build/npm-web ----
NPM_WEB  := build/npm-web/node_modules
WEB_SRC  := $(wildcard web/*.html web/*.js web/*.css)
WEB_VENDOR := $(NPM_WEB)/leaflet/dist/leaflet.js $(NPM_WEB)/leaflet/dist/leaflet.css \
              $(NPM_WEB)/uplot/dist/uPlot.iife.min.js $(NPM_WEB)/uplot/dist/uPlot.min.css \
              $(NPM_WEB)/world-atlas/countries-110m.json
.PHONY: web serve bench-serve
web: build/web/.built
all: build/web/.built
$(WEB_VENDOR) $(NPM_WEB)/playwright-core/package.json: scripts/fetch-web.sh
	@scripts/fetch-web.sh build/npm-web
	@touch $(WEB_VENDOR) $(NPM_WEB)/playwright-core/package.json
build/web/.built: $(WEB_SRC) $(WEB_VENDOR) web/openapi.json
	@rm -rf build/web.new && mkdir -p build/web.new/vendor
	cp $(WEB_SRC) web/openapi.json build/web.new/
	cp $(WEB_VENDOR) build/web.new/vendor/
	@rm -rf build/web && mv build/web.new build/web && touch $@

# `make serve`: a server over the Reuters store (built from ../shared/data/corpus and the
# showcase when absent), in the foreground until Ctrl-C
SERVE_DB ?= build/serve/reuters.db
SERVE_LISTEN ?= 127.0.0.1:8080
serve: build/dyad build/web/.built
	@scripts/serve-store.sh build/dyad $(SERVE_DB)
	build/dyad serve --db $(SERVE_DB) --listen $(SERVE_LISTEN)

# ---- fuzzing the request parsers: fuzz/fuzz_serve.c with cli/serve_req.c and cli/opts.c ----
FUZZ_SERVE_OBJ := build/fuzz/obj/cli/serve_req.o build/fuzz/obj/cli/opts.o
build/fuzz/obj/cli/%.o: cli/%.c cli/cli.h cli/serve.h include/dyad.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Icli -fsanitize=fuzzer-no-link -c -o $@ $<
build/fuzz/fuzz_serve: fuzz/fuzz_serve.c fuzz/fuzz_common.h $(FUZZ_OBJ) $(FUZZ_SERVE_OBJ) build/libdyad.a
	@mkdir -p build/fuzz
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Icli -fsanitize=fuzzer -o $@ $< $(FUZZ_SERVE_OBJ) $(FUZZ_OBJ) build/libdyad.a $(LIBS)

# ---- bench: load on the API (added to `make bench`; after bench-store, which keeps its store
# for it when BENCH_KEEP is set, else it is grown again here) ----
.PHONY: bench-serve
bench: bench-serve
build/bench/serve_load: bench/serve_load.c
	@mkdir -p build/bench
	$(CC) $(CSTD) $(WARN) -O2 -o $@ $< -pthread
bench-serve: build/dyad build/bench/serve_load
	@bench/serve.sh

# `make demo` builds the dashboard too, and ends with the command that serves the demo store
demo-run: build/web/.built
