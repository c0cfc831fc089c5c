/*
 * test_image.c — unit tests of the built-in image (src/image.c, mk/dictimage.mk): the dict that
 * dyad_dict_open_builtin maps is the one the text of dict/ gives, word for word and record for
 * record over stories that exercise actors, agents, verb patterns with gaps and word sets,
 * discards and places; and it is a separate, read-only copy that frees cleanly.
 */
#include "check.h"
#include "dyad.h"

#include <stdlib.h>
#include <string.h>

/* The JSON Lines records of one story coded with d (a copy the caller frees). */
static char *code(const dyad_dict *d, const char *text)
{
    dyad_coder *c = dyad_coder_new(d, NULL);
    dyad_story st = {.id = "t", .date = "2021-11-07", .text = text, .text_len = strlen(text)};
    dyad_error err = {0};
    char *out = NULL;
    if (c && dyad_story_code(c, &st, &err) == DYAD_OK) {
        size_t n;
        const char *j = dyad_coder_jsonl(c, &n);
        out = strndup(j, n);
    }
    dyad_coder_free(c);
    return out;
}

static const char *const stories[] = {
    "Iraqi Prime Minister Mustafa al-Kadhimi survived an assassination attempt with an armed drone "
    "on his residence in Baghdad early on Sunday, the military said.",
    "Police in Nairobi fired tear gas at hundreds of protesters who marched on parliament on Tuesday. "
    "Two students were killed and dozens wounded, officials said.",
    "The Russian foreign minister met his Chinese counterpart in Beijing and the two sides signed an "
    "agreement on energy cooperation. Moscow later accused Washington of threatening Iran.",
    "Rebels attacked a village near Goma, killing twelve civilians, and the United Nations condemned "
    "the attack. The football match in Kinshasa was postponed.",
    NULL};

int main(void)
{
    dyad_error err = {0};
    dyad_dict *text = dyad_dict_new(NULL, NULL, 0);
    CHECK(text != NULL);
    CHECK_INT_EQ(dyad_dict_load_builtin(text, &err), DYAD_OK);
    CHECK_INT_EQ(dyad_dict_finish(text, &err), DYAD_OK);
    dyad_dict *img = dyad_dict_open_builtin(&err);
    CHECK(img != NULL);
    if (!img) return check_done();
    static const char *const counts[] = {"actors", "agents", "patterns", NULL};
    for (int k = 0; counts[k]; k++) CHECK_INT_EQ(dyad_dict_count(img, counts[k]), dyad_dict_count(text, counts[k]));
    int events = 0;
    for (int k = 0; stories[k]; k++) {
        char *a = code(text, stories[k]), *b = code(img, stories[k]);
        CHECK(a != NULL && b != NULL);
        if (a && b) CHECK_STR_EQ(b, a);
        if (a && strstr(a, "\"kind\":\"event\"")) events++;
        free(a);
        free(b);
    }
    CHECK(events >= 3); /* the comparison covers coded events, not only empty results */
    /* two opens are two copies: freeing one leaves the other whole */
    dyad_dict *again = dyad_dict_open_builtin(&err);
    CHECK(again != NULL);
    dyad_dict_free(img);
    char *a = code(text, stories[0]), *b = again ? code(again, stories[0]) : NULL;
    CHECK(a && b && !strcmp(a, b));
    free(a);
    free(b);
    dyad_dict_free(again);
    dyad_dict_free(text);
    return check_done();
}
