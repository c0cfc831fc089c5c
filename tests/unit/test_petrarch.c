/*
 * test_petrarch.c — unit tests of src/petrarch.c and what it relies on: each PETRARCH
 * format read into the dict (actors with dated and multiple codes, agents with plurals,
 * substitution sets and prefix codes, both verb languages, discards), the defects of dirty
 * files reported once at file:line (bad bytes, CRLF, malformed dates, code typos) and fatal in
 * strict mode, the coding those entries give, and the image round trip (image.c).
 */
#include "check.h"
#include "dict/petrarch.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ==== defects ============================================================================ */

static char defects[4096];
static size_t ndefects;

static void on_defect(void *ctx, const char *file, size_t line, const char *msg)
{
    (void)ctx;
    size_t n = strlen(defects);
    snprintf(defects + n, sizeof defects - n, "%s:%zu: %s\n", file, line, msg);
    ndefects++;
}

static dyad_dict *fresh(int strict)
{
    defects[0] = 0;
    ndefects = 0;
    return dyad_dict_new(on_defect, NULL, strict);
}

static int load(dyad_dict *d, const char *name, const char *text, int kind)
{
    dyad_error err = {0};
    return dy_petrarch_load_text(d, name, text, strlen(text), kind, &err);
}

/* Codes text (dated date) with d and returns its records (owned by a static buffer). */
static const char *code(const dyad_dict *d, const char *date, const char *text, const dyad_options *o)
{
    static char out[16384];
    dyad_coder *c = dyad_coder_new(d, o);
    dyad_story st = {.id = "t", .date = date, .text = text, .text_len = strlen(text)};
    dyad_error err;
    out[0] = 0;
    if (c && dyad_story_code(c, &st, &err) == DYAD_OK) {
        size_t n;
        const char *j = dyad_coder_jsonl(c, &n);
        snprintf(out, sizeof out, "%s", j);
    }
    dyad_coder_free(c);
    return out;
}

static const char actors[] =
    "<!-- a comment\n"
    "over two lines -->\n"
    "GONDOR_ [GON]\r\n"
    "+MINAS_TIRITH\n"
    "MORDOR [MOR] # the dark land\n"
    "SAM_GAMGEE [HOB]\n"
    "\t[HOBCIV <20080120]\n"
    "\t[HOBMIL 20080120-20121109]\n"
    "\t[HOBGOV >20121110]\n"
    "THE_SHIRE [FRO/BIL/SAM]\n"
    "LEONID_BREZHNEV_\n"
    "SECRETARY_BREZHNEV\n"
    "\t[RUSGOV 641014-821110]\n"
    "BAD_DATE [ROH 9301011-950101]\n"
    "LOWER [pse]\n"
    "B\xff" "AD_BYTES [XXX]\n"
    "NASGUL [###]\n";

static const char agents[] =
    "!PERSON! = MAN, MEN\n"
    "POLICE {} [ ~COP]\n"
    "GOLDEN_GOOSE {GOLDEN_GEESE} [~GGS]\n"
    "SOLDIER [~MIL]\n"
    "CONGRESS!PERSON! [~LEG]\n"
    "MSF {} [NGO~]\n"
    "BROKEN [~XX\n";

static const char verbs1[] =
    "&CURRENCY\n+DOLLARS\n+SWISS FRANCS\n\n"
    "&NEG\n+DID N'T\n+WILL NOT\n\n"
    "--- CONTRIBUTE [070] ---\n"
    "CONTRIBUTE\n"
    "- * &CURRENCY [903]\n"
    "- &NEG * [904]\n"
    "--- ALLOW [080] ---\n"
    "ALLOW\n"
    "- * REAL_PLEASANT [024]\n"
    "- RECENTLY_* [025]\n"
    "--- VISIT [032:033] ---\n"
    "VISIT\n"
    "--- DELAY [191] ---\n"
    "DELAY\n"
    "- % * [030:030]\n"
    "--- TAP [1711] ---\n"
    "WIRE_+TAP {WIRE_+TAPPED}\n"
    "--- SAYS [023?] ---\n"
    "SAYS\n"
    "- * NOTHING [#x#]\n";

static const char verbs2[] =
    "&WEAPON\n+MISSILE\n+ROCKET_\n\n"
    "--- FIRE [---] ---\n"
    "FIRE\n"
    "LAUNCH\n"
    "- * &WEAPON (AT +) [195]\n"
    "- * {WARNING SHOTS} [150]\n"
    "~ a (a b ATTACK) SAY = a b 015\n"
    "~ broken (\n";

int main(void)
{
    /* ---- actors ---- */
    dyad_dict *d = fresh(0);
    CHECK(d != NULL);
    CHECK_INT_EQ(load(d, "T.actors.txt", actors, PK_ACTORS), DYAD_OK);
    CHECK_INT_EQ(dyad_dict_count(d, "actors"), 6); /* GONDOR MORDOR SAM SHIRE BREZHNEV LOWER */
    CHECK(strstr(defects, "T.actors.txt:14: malformed date") != NULL);
    CHECK(strstr(defects, "T.actors.txt:15: actor code 'pse' in lower case") != NULL);
    CHECK(strstr(defects, "T.actors.txt:16: bytes that are not UTF-8") != NULL);
    CHECK(strstr(defects, "T.actors.txt:17: bad actor code '###'") != NULL);
    CHECK(strstr(defects, "T.actors.txt:14: actor entry") == NULL); /* one defect per line */
    CHECK_INT_EQ(load(d, "T.agents.txt", agents, PK_AGENTS), DYAD_OK);
    CHECK_INT_EQ(dyad_dict_count(d, "agents"), 5);
    CHECK(strstr(defects, "T.agents.txt:7: unclosed '['") != NULL);
    CHECK_INT_EQ(load(d, "T.verbs.txt", verbs1, PK_VERBS1), DYAD_OK);
    CHECK(strstr(defects, "T.verbs.txt:24: bad event code '[023?]'") != NULL);
    CHECK(strstr(defects, "T.verbs.txt:26: bad event code '[#x#]'") != NULL);
    CHECK_INT_EQ(load(d, "T.discards.txt", "+TYPHOON\nBASEBALL\nGROUP A_\n", PK_DISCARDS), DYAD_OK);
    dyad_error err = {0};
    CHECK_INT_EQ(dyad_dict_finish(d, &err), DYAD_OK);
    CHECK_INT_EQ(dyad_dict_count(d, "defects"), ndefects);

    /* dated codes: the first restriction that covers the date; the fallback otherwise */
    CHECK(strstr(code(d, "2005-06-01", "Sam Gamgee will visit Gondor.", NULL), "\"code\":\"HOBCIV\"") != NULL);
    CHECK(strstr(code(d, "2010-06-01", "Sam Gamgee will visit Gondor.", NULL), "\"code\":\"HOBMIL\"") != NULL);
    CHECK(strstr(code(d, "2013-06-01", "Sam Gamgee will visit Gondor.", NULL), "\"code\":\"HOBGOV\"") != NULL);
    /* names on consecutive lines share the codes after them (YYMMDD dates: 19YY) */
    CHECK(strstr(code(d, "1975-01-01", "Secretary Brezhnev will visit Gondor.", NULL), "RUSGOV") != NULL);
    /* a visit and its hosting: [032:033] */
    const char *o = code(d, "2005-06-01", "Mordor will visit Gondor.", NULL);
    CHECK(strstr(o, "\"code\":\"032\"") != NULL && strstr(o, "\"code\":\"033\"") != NULL);
    /* an actor that stands for several */
    o = code(d, "2005-06-01", "The Shire will visit Gondor.", NULL);
    CHECK(strstr(o, "\"FRO\"") && strstr(o, "\"BIL\"") && strstr(o, "\"SAM\""));
    /* synonym sets, multi-word members, Treebank contractions, '_' adjacency */
    CHECK(strstr(code(d, NULL, "Gondor will contribute swiss francs to Mordor.", NULL), "\"code\":\"903\"") != NULL);
    CHECK(strstr(code(d, NULL, "Gondor didn't contribute to Mordor.", NULL), "\"code\":\"904\"") != NULL);
    CHECK(strstr(code(d, NULL, "Gondor allowed that Mordor is a real pleasant place.", NULL), "\"code\":\"024\"") != NULL);
    CHECK(strstr(code(d, NULL, "Gondor allowed that Mordor is a real nice pleasant place.", NULL), "\"code\":\"080\"") != NULL);
    CHECK(strstr(code(d, NULL, "Gondor recently allowed Mordor in.", NULL), "\"code\":\"025\"") != NULL);
    /* exact forms: "contributes" is generated, "contributeses" not */
    CHECK(strstr(code(d, NULL, "Gondor contributes dollars to Mordor.", NULL), "\"code\":\"903\"") != NULL);
    /* a compound acting on itself: % * [030:030] */
    o = code(d, NULL, "Gondor and Mordor delayed the talks.", NULL);
    CHECK(strstr(o, "\"code\":\"030\"") != NULL);
    /* a multi-word verb: WIRE_+TAP */
    CHECK(strstr(code(d, NULL, "Mordor wire tapped Gondor.", NULL), "\"code\":\"1711\"") != NULL);
    /* agents: listed plurals only, prefix and suffix, PETRARCH composition, alone "---" */
    o = code(d, NULL, "Gondor police will visit Mordor.", NULL);
    CHECK(strstr(o, "\"code\":\"GONCOP\"") != NULL);
    o = code(d, NULL, "Gondor polices will visit Mordor.", NULL);
    CHECK(strstr(o, "GONCOP") == NULL);
    o = code(d, NULL, "Gondor golden geese will visit Mordor.", NULL);
    CHECK(strstr(o, "\"code\":\"GONGGS\"") != NULL);
    o = code(d, NULL, "An MSF Gondor soldier will visit Mordor.", NULL);
    CHECK(strstr(o, "\"code\":\"NGOGONMIL\"") != NULL);
    o = code(d, NULL, "Gondor congressmen will visit Mordor.", NULL);
    CHECK(strstr(o, "\"code\":\"GONLEG\"") != NULL);
    o = code(d, NULL, "Soldiers will visit Mordor.", NULL);
    CHECK(strstr(o, "\"code\":\"---MIL\"") != NULL);
    dyad_options rd = {.require_dyad = 1};
    CHECK(strstr(code(d, NULL, "Soldiers will visit Mordor.", &rd), "---MIL") != NULL); /* ---MIL is known */
    CHECK(strstr(code(d, NULL, "Mordor will visit.", &rd), "\"kind\":\"event\"") == NULL);
    /* discards: a story, a sentence (prefix words), whole words */
    CHECK(strstr(code(d, NULL, "Mordor will visit Gondor after the typhoon.", NULL), "\"kind\":\"event\"") == NULL);
    o = code(d, NULL, "Mordor will visit Gondor for baseballs. Gondor will visit Mordor.", NULL);
    CHECK(strstr(o, "\"text\":\"Mordor will visit") == NULL && strstr(o, "\"text\":\"Gondor will visit") != NULL);
    CHECK(strstr(code(d, NULL, "Mordor will visit Gondor in group ab.", NULL), "\"kind\":\"event\"") != NULL);

    /* the image: the same dict, the same records */
    char img[] = "/tmp/dyad-test-petrarch-XXXXXX";
    int fd = mkstemp(img);
    CHECK(fd >= 0);
    if (fd >= 0) close(fd);
    CHECK_INT_EQ(dyad_dict_save_image(d, img, &err), DYAD_OK);
    CHECK(dyad_dict_is_image(img));
    dyad_dict *m = dyad_dict_open_image(img, &err);
    CHECK(m != NULL);
    if (m) {
        static char a[16384];
        snprintf(a, sizeof a, "%s", code(d, "2010-06-01", "Sam Gamgee and the Shire will visit Gondor police.", NULL));
        CHECK_STR_EQ(code(m, "2010-06-01", "Sam Gamgee and the Shire will visit Gondor police.", NULL), a);
        CHECK_INT_EQ(dyad_dict_count(m, "patterns"), dyad_dict_count(d, "patterns"));
    }
    dyad_dict_free(m);
    unlink(img);
    CHECK(dyad_dict_open_image("/nonexistent/dyad.img", &err) == NULL && err.code == DYAD_EIO);
    dyad_dict_free(d);

    /* ---- PETRARCH-2 verbs ---- */
    d = fresh(0);
    CHECK_INT_EQ(load(d, "A.actors.txt", "GONDOR [GON]\nMORDOR [MOR]\n", PK_ACTORS), DYAD_OK);
    CHECK_INT_EQ(load(d, "CAMEO.9.txt", verbs2, PK_NONE), DYAD_OK); /* the kind from its patterns */
    CHECK(strstr(defects, "CAMEO.9.txt:11: malformed transformation") != NULL);
    CHECK_INT_EQ(dyad_dict_finish(d, &err), DYAD_OK);
    CHECK(strstr(code(d, NULL, "Mordor fired a rocket at Gondor.", NULL), "\"code\":\"195\"") != NULL);
    CHECK(strstr(code(d, NULL, "Mordor fired rockets at Gondor.", NULL), "\"code\":\"195\"") == NULL); /* ROCKET_ */
    CHECK(strstr(code(d, NULL, "Mordor launched missiles at Gondor.", NULL), "\"code\":\"195\"") != NULL);
    CHECK(strstr(code(d, NULL, "Mordor fired warning shots near Gondor.", NULL), "\"code\":\"150\"") != NULL);
    dyad_dict_free(d);
    CHECK_INT_EQ(dy_petrarch_kind("x/CAMEO.2.0.txt", verbs2, strlen(verbs2)), PK_VERBS2);
    CHECK_INT_EQ(dy_petrarch_kind("PETR.Validate.verbs.txt", verbs1, strlen(verbs1)), PK_VERBS1);
    CHECK_INT_EQ(dy_petrarch_kind("Phoenix.agents.txt", NULL, 0), PK_AGENTS);
    CHECK_INT_EQ(dy_petrarch_kind("cameo.txt", NULL, 0), PK_NONE);

    /* ---- strict: the first defect fails the load, at its file:line ---- */
    d = fresh(1);
    dyad_error e2 = {0};
    CHECK_INT_EQ(dy_petrarch_load_text(d, "S.actors.txt", actors, strlen(actors), PK_ACTORS, &e2), DYAD_EDICT);
    CHECK_STR_EQ(e2.file, "S.actors.txt");
    CHECK_INT_EQ(e2.line, 14);
    dyad_dict_free(d);
    return check_done();
}
