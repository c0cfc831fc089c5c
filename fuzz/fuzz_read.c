/*
 * fuzz_read.c — libFuzzer target for the read stage: arbitrary bytes through a dyad_reader in
 * each format (auto, text, JSON Lines), with the default and a tiny story limit. Checks what
 * dyad.h promises: every call makes progress, a story's text is NUL-terminated clean UTF-8
 * (no C0 controls but tab and newline), and every rejected record names its line and reason
 * (an input with no story at all says so, without a line).
 */
#include "dyad.h"
#include "fuzz_common.h"

/* Reads every story of data[0..size) in one format; checks each result. */
static void read_all(const uint8_t *data, size_t size, dyad_format fmt, size_t max, const char *name)
{
    FILE *f = fmemopen((void *)data, size, "rb");
    if (!f) return; /* size 0 on an old libc */
    dyad_reader *r = dyad_reader_open(f, name, fmt, "2021-11-07", max);
    FUZZ_CHECK(r != NULL);
    /* each call consumes at least one line (JSONL) or the whole input (text) */
    for (size_t calls = 0;; calls++) {
        FUZZ_CHECK(calls <= size + 2);
        dyad_story st;
        dyad_error err;
        memset(&err, 0, sizeof err);
        int rc = dyad_reader_next(r, &st, &err);
        if (rc == DYAD_DONE) break;
        if (rc == DYAD_EINPUT || rc == DYAD_ELIMIT) {
            FUZZ_CHECK(err.code == rc);
            FUZZ_CHECK(err.file[0] != 0);
            /* a line, but for an input with no story at all, which is named without one */
            FUZZ_CHECK(err.line >= 1 || (rc == DYAD_EINPUT && strstr(err.message, "empty input")));
            FUZZ_CHECK(err.message[0] != 0);
            continue;
        }
        FUZZ_CHECK(rc == DYAD_OK);
        FUZZ_CHECK(st.text != NULL && st.text[st.text_len] == 0);
        FUZZ_CHECK(fuzz_valid_utf8((const unsigned char *)st.text, st.text_len));
        for (size_t i = 0; i < st.text_len; i++) {
            unsigned char c = (unsigned char)st.text[i];
            FUZZ_CHECK(c >= 0x20 || c == '\t' || c == '\n');
            FUZZ_CHECK(c != 0x7F);
        }
        FUZZ_CHECK(st.id != NULL);
        FUZZ_CHECK(st.date == NULL || strlen(st.date) == 10);
        FUZZ_CHECK(st.line >= 1);
        FUZZ_CHECK(st.text_len <= 3 * size + 3); /* U+FFFD for a byte at most */
    }
    dyad_reader_close(r);
    fclose(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    read_all(data, size, DYAD_FORMAT_AUTO, 0, "fuzz.jsonl");
    read_all(data, size, DYAD_FORMAT_TEXT, 0, "dir/fuzz.txt");
    read_all(data, size, DYAD_FORMAT_JSONL, 0, NULL);
    read_all(data, size, DYAD_FORMAT_AUTO, 16, "-");
    return 0;
}
