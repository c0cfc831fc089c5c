/*
 * fuzz_petrarch.c — libFuzzer target for the PETRARCH dictionary readers (src/petrarch.c).
 * The first byte picks the kind — PETRARCH-1 verbs, PETRARCH-2 verbs (CAMEO.*.txt), actors,
 * agents, discards, issues, or a config file — and the rest is the file, loaded on top of a
 * small fixed PETRARCH set (strict when the byte's top bit is set). Every defect must name a
 * file and a line inside it; a set that loads is finished and codes a story into JSON Lines;
 * written as an image and mapped back, it must code the story the same way.
 */
#include "dyad.h"
#include "fuzz_common.h"

#include <unistd.h>

static char dir[512], input_path[600], image_path[600];
static size_t input_lines;

/* A small PETRARCH set: the kinds the fuzzed file meets. */
static const char *const base_name[3] = {"Base.actors.txt", "Base.agents.txt", "Base.verbs.txt"};
static const char *const base_text[3] = {
    "GONDOR_ [GON]\n+MINAS_TIRITH\nMORDOR [MOR]\nSAURON\n\t[MORGOV >20000101]\n\t[MOR]\n"
    "THE_SHIRE [FRO/BIL]\n",
    "!PERSON! = MAN, MEN\nPOLICE {} [~COP]\nSOLDIER [~MIL]\nCONGRESS!PERSON! [~LEG]\nMSF {} [NGO~]\n",
    "&WEAPON\n+DRONE\n+MISSILE_\n\n--- ATTACK [190] ---\nATTACK\n+BREAK_IN {+BROKE_IN}\n"
    "- * WITH &WEAPON [195]\n- + WAS_* BY $ [190]\n- % * [042:043]\n"};
static const char *const kind_name[7] = {"Fuzz.verbs.txt", "CAMEO.9.txt", "Fuzz.actors.txt", "Fuzz.agents.txt",
                                         "Fuzz.discards.txt", "Fuzz.IssueCoding.txt", "Fuzz_config.ini"};

static const char story_text[] =
    "Gondor and Mordor attacked the Shire with drones on Monday, soldiers from Gondor said. "
    "Minas Tirith police broke in. Sauron was attacked by congressmen.\n";

/* Defects must point at a file of the set, at a line inside the fuzzed one. */
static void on_defect(void *ctx, const char *file, size_t line, const char *msg)
{
    (void)ctx;
    FUZZ_CHECK(file != NULL && msg != NULL && msg[0]);
    FUZZ_CHECK(line >= 1 || !strcmp(file, input_path));
    if (!strcmp(file, input_path)) FUZZ_CHECK(line <= input_lines);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    fuzz_base_set(dir, sizeof dir, "petrarch", base_name, base_text, 3);
    snprintf(image_path, sizeof image_path, "%s/set.img", dir);
    return 0;
}

/* Codes the story with d; returns its records (malloc'ed). */
static char *code(const dyad_dict *d)
{
    dyad_coder *c = dyad_coder_new(d, NULL);
    FUZZ_CHECK(c != NULL);
    dyad_error err;
    dyad_story st = {.id = "s", .date = "2021-11-07", .text = story_text, .text_len = sizeof story_text - 1};
    FUZZ_CHECK(dyad_story_code(c, &st, &err) == DYAD_OK);
    size_t len;
    const char *out = dyad_coder_jsonl(c, &len);
    fuzz_check_jsonl(out, len);
    char *copy = malloc(len + 1);
    FUZZ_CHECK(copy != NULL);
    memcpy(copy, out, len + 1);
    dyad_coder_free(c);
    return copy;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    int kind = data[0] % 7, strict = data[0] >> 7;
    snprintf(input_path, sizeof input_path, "%s/%s", dir, kind_name[kind]);
    fuzz_write_file(input_path, data + 1, size - 1);
    input_lines = 1;
    for (size_t i = 1; i < size; i++) input_lines += data[i] == '\n';

    dyad_error err;
    memset(&err, 0, sizeof err);
    dyad_dict *d = dyad_dict_new(on_defect, NULL, strict);
    FUZZ_CHECK(d != NULL);
    int rc = DYAD_OK;
    for (int k = 0; k < 3 && rc == DYAD_OK; k++) {
        char p[1024];
        snprintf(p, sizeof p, "%s/%s", dir, base_name[k]);
        rc = dyad_dict_load_file(d, p, "petrarch", &err);
    }
    FUZZ_CHECK(rc == DYAD_OK); /* the base set is sound */
    rc = dyad_dict_load_file(d, input_path, "petrarch", &err);
    if (rc == DYAD_OK) rc = dyad_dict_finish(d, &err);
    if (rc != DYAD_OK) {
        /* strict defects, a config naming missing files, a kind it cannot tell */
        FUZZ_CHECK(rc == DYAD_EDICT || rc == DYAD_EIO || rc == DYAD_EUSAGE);
        FUZZ_CHECK(err.message[0] != 0);
        dyad_dict_free(d);
        unlink(input_path);
        return 0;
    }
    char *text_out = code(d);
    FUZZ_CHECK(dyad_dict_save_image(d, image_path, &err) == DYAD_OK);
    dyad_dict *m = dyad_dict_open_image(image_path, &err);
    FUZZ_CHECK(m != NULL);
    FUZZ_CHECK(dyad_dict_count(m, "patterns") == dyad_dict_count(d, "patterns"));
    FUZZ_CHECK(dyad_dict_count(m, "actors") == dyad_dict_count(d, "actors"));
    char *image_out = code(m);
    FUZZ_CHECK(!strcmp(text_out, image_out)); /* the image codes as the text does */
    free(text_out);
    free(image_out);
    dyad_dict_free(m);
    dyad_dict_free(d);
    unlink(input_path);
    return 0;
}
