/*
 * fuzz_validate.c — libFuzzer target for the validation reader (src/validate.c): the input is
 * a PETRARCH validation file, written beside a small fixed PETRARCH dictionary set it may
 * name (<Verbfile>Base.verbs.txt</Verbfile>, ...), and run with dyad_validate_run. Whatever it
 * holds, the run returns a status (never crashes); when it succeeds, the counts add up and
 * every report line is a JSON object with "id", "expected" and "produced".
 */
#include "dyad.h"
#include "fuzz_common.h"

#include <unistd.h>

static char dir[512], xml_path[600];

static const char *const base_name[4] = {"Base.actors.txt", "Base.agents.txt", "Base.verbs.txt", "Base.discards.txt"};
static const char *const base_text[4] = {
    "GONDOR_ [GON]\n+MINAS_TIRITH\nMORDOR [MOR]\nSAURON\n\t[MORGOV >20000101]\n\t[MOR]\n",
    "POLICE {} [~COP]\nSOLDIER [~MIL]\nMSF {} [NGO~]\n",
    ("--- ATTACK [190] ---\nATTACK\n- * WITH DRONES [195]\n- % * [042:043]\n"
     "--- SAID [023] ---\nSAID\n"),
    "+TYPHOON\nBASEBALL\n"};

static void on_defect(void *ctx, const char *file, size_t line, const char *msg)
{
    (void)ctx, (void)line;
    FUZZ_CHECK(file != NULL && msg != NULL && msg[0]);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    fuzz_base_set(dir, sizeof dir, "validate", base_name, base_text, 4);
    snprintf(xml_path, sizeof xml_path, "%s/records.xml", dir);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_write_file(xml_path, data, size);
    char *report = NULL, *lines = NULL;
    size_t rn = 0, ln = 0;
    FILE *rf = open_memstream(&report, &rn), *lf = open_memstream(&lines, &ln);
    FUZZ_CHECK(rf != NULL && lf != NULL);
    dyad_validate_options opt = {.out = lf, .report = rf, .diag = on_defect, .strict = (int)(size & 1)};
    dyad_validate_counts n;
    dyad_error err;
    memset(&err, 0, sizeof err);
    int rc = dyad_validate_run(xml_path, &opt, &n, &err);
    fclose(rf);
    fclose(lf);
    if (rc == DYAD_OK) {
        FUZZ_CHECK(n.passed + n.failed == n.records);
        FUZZ_CHECK(n.found <= n.expected && n.found <= n.produced);
        FUZZ_CHECK(n.extra == n.produced - n.found);
        FUZZ_CHECK(n.noevent_passed <= n.noevent_records && n.error_passed <= n.error_records);
        size_t records = 0;
        for (char *p = report; p && *p;) {
            char *nl = strchr(p, '\n');
            FUZZ_CHECK(nl != NULL);
            json_error_t je;
            json_t *v = json_loadb(p, (size_t)(nl - p), 0, &je);
            FUZZ_CHECK(v != NULL && json_is_object(v));
            FUZZ_CHECK(json_is_string(json_object_get(v, "id")));
            FUZZ_CHECK(json_is_array(json_object_get(v, "expected")));
            FUZZ_CHECK(json_is_array(json_object_get(v, "produced")));
            json_decref(v);
            records++;
            p = nl + 1;
        }
        FUZZ_CHECK(records == n.records);
        FUZZ_CHECK(lines != NULL && strstr(lines, " passed, ") != NULL);
    } else {
        FUZZ_CHECK(rc == DYAD_EINPUT || rc == DYAD_EIO || rc == DYAD_EDICT || rc == DYAD_EUSAGE);
        FUZZ_CHECK(err.message[0] != 0);
    }
    free(report);
    free(lines);
    return 0;
}
