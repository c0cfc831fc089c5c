/*
 * fuzz_common.h — what every libFuzzer target of dyad shares: a check that aborts (so that
 * libFuzzer records the input as a crash) when an invariant the library promises is broken,
 * and validators for the promises themselves (clean UTF-8 text, JSON Lines that parse).
 * Each fuzz/fuzz_*.c defines LLVMFuzzerTestOneInput; see mk/hardening.mk for the build.
 */
#ifndef DYAD_FUZZ_COMMON_H
#define DYAD_FUZZ_COMMON_H

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

/* Aborts with a message when cond is false: a broken promise is a finding like a crash. */
#define FUZZ_CHECK(cond)                                                                     \
    do {                                                                                   \
        if (!(cond)) {                                                                     \
            fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, #cond);   \
            abort();                                                                       \
        }                                                                                  \
    } while (0)

/* Whether s[0..n) is valid UTF-8 (no overlong forms, surrogates or code points past U+10FFFF). */
static inline int fuzz_valid_utf8(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t len;
        uint32_t v, min;
        if (c >= 0xC2 && c <= 0xDF) len = 2, v = c & 0x1F, min = 0x80;
        else if (c >= 0xE0 && c <= 0xEF) len = 3, v = c & 0x0F, min = 0x800;
        else if (c >= 0xF0 && c <= 0xF4) len = 4, v = c & 0x07, min = 0x10000;
        else return 0;
        if (n - i < len) return 0;
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xC0) != 0x80) return 0;
            v = v << 6 | (s[i + k] & 0x3F);
        }
        if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
        i += len;
    }
    return 1;
}

/* Checks out[0..n) is JSON Lines: each line (ending in '\n') one JSON object. */
static inline void fuzz_check_jsonl(const char *out, size_t n)
{
    size_t i = 0;
    FUZZ_CHECK(n == 0 || out[n - 1] == '\n');
    while (i < n) {
        const char *nl = memchr(out + i, '\n', n - i);
        FUZZ_CHECK(nl != NULL);
        size_t len = (size_t)(nl - (out + i));
        json_error_t jerr;
        json_t *v = json_loadb(out + i, len, JSON_ALLOW_NUL, &jerr);
        if (!v) fprintf(stderr, "bad JSON record (%s): %.*s\n", jerr.text, (int)len, out + i);
        FUZZ_CHECK(v != NULL);
        FUZZ_CHECK(json_is_object(v));
        FUZZ_CHECK(json_is_string(json_object_get(v, "kind")));
        json_decref(v);
        i += len + 1;
    }
}

/* Writes p[0..n) to path (the loaders fuzzed here read files), checking every step. */
static inline void fuzz_write_file(const char *path, const void *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    FUZZ_CHECK(f != NULL);
    FUZZ_CHECK(n == 0 || fwrite(p, 1, n, f) == n);
    FUZZ_CHECK(fclose(f) == 0);
}

/* The directory a fuzzer writes its files in: $TMPDIR (fuzz/run.sh and fuzz-regressions.sh point
 * it at a private directory under build/ that they remove), else /tmp. */
static inline const char *fuzz_tmpdir(void)
{
    const char *t = getenv("TMPDIR");
    return t && *t ? t : "/tmp";
}

/* Makes the per-process directory TMPDIR/dyad-fuzz-NAME-PID (into dir, cap bytes) and writes
 * the n base files names[k] with texts[k] into it: the dictionary sets the loader targets
 * fuzz one file of. */
static inline void fuzz_base_set(char *dir, size_t cap, const char *name, const char *const *names,
                                 const char *const *texts, int n)
{
    snprintf(dir, cap, "%s/dyad-fuzz-%s-%d", fuzz_tmpdir(), name, (int)getpid());
    FUZZ_CHECK(mkdir(dir, 0700) == 0 || errno == EEXIST);
    for (int k = 0; k < n; k++) {
        char p[1024];
        snprintf(p, sizeof p, "%s/%s", dir, names[k]);
        fuzz_write_file(p, texts[k], strlen(texts[k]));
    }
}

#endif
