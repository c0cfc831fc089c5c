/*
 * fuzz_code.c — libFuzzer target for the whole coder: arbitrary text coded against the full
 * built-in dictionaries (loaded once) plus a few patterns of dict/FORMAT.md, so that the verbs
 * and events stages run whatever the built-in verbs hold. The first input byte picks raw or
 * normalised text, explain mode, the story date and a tight arena limit. Checks that every
 * story yields a result (DYAD_OK, or DYAD_ELIMIT under the tight limit) and that the records
 * are JSON Lines, at least one per event.
 */
#include "base/base.h"
#include "dyad.h"
#include "fuzz_common.h"

#include <unistd.h>

static dyad_dict *dict;

/* Patterns of every element kind, in case the built-in verbs are few. */
static const char extra_verbs[] =
    "&FZ_ATTACK_N = attack | assault | strike | raid | bombing\n"
    "&FZ_KILL = kill | assassinate | murder\n"
    "185  + SURVIVE ?an {assassination|murder} attempt\n"
    "185  ATTEMPT to &FZ_KILL +\n"
    "111  CONDEMN &FZ_ATTACK_N {on|against} -\n"
    "111  CONDEMN\n"
    "190  ATTACK\n"
    "195  ATTACK + with ?armed {drone|drones}   mode=aerial\n"
    "0243 CALL on + to ... {calm|restraint}\n"
    "112  SAY ... that + be behind\n"
    "120  REFUSAL of $ to accept +\n"
    "---  ATTACK ... ... ... {ship}\n"
    "173  ARREST +  context=crime\n"
    "042  VISIT $ ... + ...\n";

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    dyad_error err;
    dict = dyad_dict_new(NULL, NULL, 0);
    FUZZ_CHECK(dict && dyad_dict_load_builtin(dict, &err) == DYAD_OK);
    char path[512];
    snprintf(path, sizeof path, "%s/dyad-fuzz-verbs-XXXXXX", fuzz_tmpdir());
    int fd = mkstemp(path);
    FUZZ_CHECK(fd >= 0);
    FUZZ_CHECK(write(fd, extra_verbs, sizeof extra_verbs - 1) == (ssize_t)(sizeof extra_verbs - 1));
    close(fd);
    FUZZ_CHECK(dyad_dict_load_file(dict, path, "verbs", &err) == DYAD_OK);
    unlink(path);
    FUZZ_CHECK(dyad_dict_finish(dict, &err) == DYAD_OK);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const dates[] = {NULL, "2021-11-07", "2003-03-20", "1999-12-31"};
    if (size == 0) return 0;
    unsigned mode = data[0];
    dy_buf norm = {0};
    dyad_story st;
    memset(&st, 0, sizeof st);
    st.id = "fuzz";
    st.text = (const char *)data + 1;
    st.text_len = size - 1;
    st.date = dates[(mode >> 2) & 3];
    if (mode & 1) { /* what a dyad_reader would hand over */
        dy_text_normalise(st.text, st.text_len, &norm, NULL);
        dy_buf_nul(&norm);
        FUZZ_CHECK(!norm.oom);
        st.text = norm.p ? norm.p : "";
        st.text_len = norm.n;
    }
    dyad_options opt = {.arena_limit = (mode & 16) ? 256 << 10 : 0, .explain = (mode & 2) != 0, .keep_unknown = (mode & 32) != 0};
    dyad_coder *c = dyad_coder_new(dict, &opt);
    FUZZ_CHECK(c != NULL);
    dyad_error err;
    for (int round = 0; round < 2; round++) { /* twice: the arena is reused between stories */
        int rc = dyad_story_code(c, &st, &err);
        FUZZ_CHECK(rc == DYAD_OK || (rc == DYAD_ELIMIT && (mode & 16)));
        if (rc != DYAD_OK) continue;
        size_t len, lines = 0;
        const char *out = dyad_coder_jsonl(c, &len);
        fuzz_check_jsonl(out, len);
        for (size_t i = 0; i < len; i++) lines += out[i] == '\n';
        FUZZ_CHECK(lines >= dyad_coder_event_count(c)); /* events, and other kinds of record */
        if (opt.explain) {
            const char *ex = dyad_coder_explain(c, &len);
            FUZZ_CHECK(ex != NULL && ex[len] == 0);
        }
    }
    dyad_coder_free(c);
    dy_buf_free(&norm);
    return 0;
}
