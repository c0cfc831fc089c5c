# The built-in dictionaries compiled at build time into an image that the library carries as
# read-only data: `dyad` copies and maps it at start-up (dyad_dict_open_builtin, src/image.c)
# instead of parsing dict/ every time. The tool that writes it is the library without the
# image (src/image.c compiled with DY_DICT_NO_BLOB). Included by the Makefile after OBJ.
DICT_IMAGE_OBJ := $(filter-out build/obj/src/image.o,$(OBJ)) build/obj/gen/gazetteer_blob.o

build/dict_image: tools/dict_image.c src/image.c $(DICT_IMAGE_OBJ)
	$(CC) $(CFLAGS_ALL) -DDY_DICT_NO_BLOB -o $@ tools/dict_image.c src/image.c $(DICT_IMAGE_OBJ) $(LIBS)

build/dict.img: build/dict_image
	build/dict_image $@

build/gen/dict_image_blob.S: mk/dictimage.mk Makefile
	$(call incbin_S,dyad_dict_image,dy_dict_image,build/dict.img,$@)

build/obj/gen/dict_image_blob.o: build/dict.img

build/libdyad.a: build/obj/gen/dict_image_blob.o
build/asan/libdyad.a: build/obj/gen/dict_image_blob.o
