/*
 * dict_image.c — build-time tool: compiles the built-in dictionaries (dict/, embedded as text)
 * into the image the library then carries, so that `dyad` maps them at start-up instead of
 * parsing them (mk/dictimage.mk, dyad_dict_open_builtin in src/image.c).
 * Usage: dict_image OUT.img
 */
#include <stdio.h>

#include "dyad.h"

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: dict_image OUT.img\n");
        return 2;
    }
    dyad_error err = {0};
    /* not strict: an image with defects is kept, and dyad then reads the text to report them */
    dyad_dict *d = dyad_dict_new(NULL, NULL, 0);
    int rc = d ? dyad_dict_load_builtin(d, &err) : DYAD_ENOMEM;
    if (!rc) rc = dyad_dict_finish(d, &err);
    if (!rc) rc = dyad_dict_save_image(d, argv[1], &err);
    if (rc) fprintf(stderr, "dict_image: %s%s%s:%zu: %s\n", argv[1], ": ", err.file, err.line, err.message);
    dyad_dict_free(d);
    return rc ? 1 : 0;
}
