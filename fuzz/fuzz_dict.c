/*
 * fuzz_dict.c — libFuzzer target for the dictionary loader: the input is written to a temp
 * file and loaded with dyad_dict_load_file as each kind ("cameo", "actors", "agents",
 * "verbs") on top of a small fixed dictionary, strict when the input's length is odd; a
 * dict that loads is finished, looked up and coded with, and its records must be JSON Lines.
 * Every defect reported must name the file and a line inside it.
 */
#include "dyad.h"
#include "fuzz_common.h"

#include <unistd.h>

static char input_path[512], base_path[4][512];
static size_t input_lines;

/* A fixed small dictionary, one text per kind, so each fuzzed kind meets the others. */
static const char *const base_text[4] = {
    "185 -8.0 ASSAULT assassination - | Attempt to assassinate\n"
    "190 -10.0 ASSAULT - - | Use conventional military force\n"
    "111 -2.0 DISAPPROVE - - | Criticize or denounce\n"
    "0243 3.0 - - - | Appeal for calm\n",
    "Iraq | Iraqi | Iraqis => IRQ\nBaghdad => IRQ @capital\n"
    "Mustafa al-Kadhimi | Kadhimi => IRQGOV 2020-05-07..2022-10-27 @head_of_government ; IRQMED @person\n"
    "Iran | Iranian => IRN\nUnited States | U.S. | US => USA\n",
    "police | policeman => ~COP\nprime minister | premier => ~GOV @head_of_government\n"
    "protester | demonstrator => ~OPP\nelection => ~GOV @object\n",
    "&ATTACK_N = attack | assault | strike\n185  + SURVIVE ?an {assassination|murder} attempt\n"
    "111  CONDEMN &ATTACK_N {on|against} -\n190  ATTACK\n0243 CALL on + to ... {calm|restraint}\n"};
static const char *const kinds[4] = {"cameo", "actors", "agents", "verbs"};

static const char story_text[] =
    "Iraqi Prime Minister Mustafa al-Kadhimi survived an assassination attempt on Sunday. "
    "Iran condemned the attack on Kadhimi. The U.S. called on Iraqi police to show restraint, "
    "and protesters attacked the election office in Baghdad. \"We will respond,\" he said.\n";

/* Defects must point at the fuzzed file within its lines, or at a base file. */
static void on_defect(void *ctx, const char *file, size_t line, const char *msg)
{
    (void)ctx;
    FUZZ_CHECK(file != NULL && msg != NULL && msg[0]);
    FUZZ_CHECK(line >= 1);
    if (!strcmp(file, input_path)) FUZZ_CHECK(line <= input_lines);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    snprintf(input_path, sizeof input_path, "%s/dyad-fuzz-dict-%d.txt", fuzz_tmpdir(), (int)getpid());
    for (int k = 0; k < 4; k++) {
        snprintf(base_path[k], sizeof base_path[k], "%s/dyad-fuzz-base-%d-%s.txt", fuzz_tmpdir(), (int)getpid(), kinds[k]);
        fuzz_write_file(base_path[k], base_text[k], strlen(base_text[k]));
    }
    return 0;
}

/* Loads the base files with kind k replaced by the input, then exercises the result. */
static void load_as(int k, int strict)
{
    dyad_error err;
    memset(&err, 0, sizeof err);
    dyad_dict *d = dyad_dict_new(on_defect, NULL, strict);
    FUZZ_CHECK(d != NULL);
    int rc = DYAD_OK;
    for (int j = 0; j < 4 && rc == DYAD_OK; j++)
        rc = dyad_dict_load_file(d, j == k ? input_path : base_path[j], kinds[j], &err);
    if (rc == DYAD_OK) rc = dyad_dict_finish(d, &err);
    if (rc != DYAD_OK) {
        FUZZ_CHECK(rc == DYAD_EDICT && strict);
        FUZZ_CHECK(err.message[0] != 0);
        dyad_dict_free(d);
        return;
    }
    FILE *null = fopen("/dev/null", "w");
    FUZZ_CHECK(null != NULL);
    dyad_dict_lookup(d, "Iraqi prime minister attacked", "2021-11-07", null);
    dyad_dict_lookup(d, "condemned the attack on", NULL, null);
    fclose(null);
    dyad_coder *c = dyad_coder_new(d, NULL);
    FUZZ_CHECK(c != NULL);
    dyad_story st = {.id = "s", .date = "2021-11-07", .text = story_text, .text_len = sizeof story_text - 1};
    FUZZ_CHECK(dyad_story_code(c, &st, &err) == DYAD_OK);
    size_t len;
    const char *out = dyad_coder_jsonl(c, &len);
    fuzz_check_jsonl(out, len);
    dyad_coder_free(c);
    dyad_dict_free(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_write_file(input_path, data, size);
    input_lines = 1;
    for (size_t i = 0; i < size; i++) input_lines += data[i] == '\n';
    for (int k = 0; k < 4; k++) load_as(k, (int)(size & 1));
    return 0;
}
