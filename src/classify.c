/*
 * classify.c — refines kept events: the PLOVER mode of violent events from the weapons their
 * sentences name (a drone, an air strike, shelling, an IED, gunfire, tear gas), and the
 * ACLED-style event type and sub-type (six types, 25 sub-types) from the CAMEO code, that
 * mode and who the two sides are (territory taken: by the state or by an armed group; weapons
 * seized: disrupted weapons use).
 */
#include <string.h>

#include "story.h"

/* Weapon cues: lemma or form -> PLOVER mode and ACLED sub-type of the remote-violence kind. */
typedef struct cue {
    const char *word, *next; /* a word, and optionally the word that must follow it */
    const char *mode, *acled;
} cue;

static const cue cues[] = {
    {"chemical", "weapon", "unconventional", "Chemical weapon"},
    {"chemical", "attack", "unconventional", "Chemical weapon"},
    {"sarin", NULL, "unconventional", "Chemical weapon"},
    {"chlorine", NULL, "unconventional", "Chemical weapon"},
    {"nerve", "agent", "unconventional", "Chemical weapon"},
    {"poisonous", "gas", "unconventional", "Chemical weapon"},
    {"poison", "gas", "unconventional", "Chemical weapon"},
    {"toxic", "gas", "unconventional", "Chemical weapon"},
    {"mustard", "gas", "unconventional", "Chemical weapon"},
    {"suicide", NULL, "suicide-attack", "Suicide bomb"},
    {"drone", NULL, "drone", "Air/drone strike"},
    {"uav", NULL, "drone", "Air/drone strike"},
    {"airstrike", NULL, "aerial", "Air/drone strike"},
    {"air", "strike", "aerial", "Air/drone strike"},
    {"air", "raid", "aerial", "Air/drone strike"},
    {"air", "attack", "aerial", "Air/drone strike"},
    {"warplane", NULL, "aerial", "Air/drone strike"},
    {"fighter", "jet", "aerial", "Air/drone strike"},
    {"helicopter", "gunship", "aerial", "Air/drone strike"},
    {"bombing", "raid", "aerial", "Air/drone strike"},
    {"barrel", "bomb", "aerial", "Air/drone strike"},
    {"ied", NULL, "explosives", "Remote explosive/landmine/IED"},
    {"roadside", "bomb", "explosives", "Remote explosive/landmine/IED"},
    {"car", "bomb", "explosives", "Remote explosive/landmine/IED"},
    {"landmine", NULL, "explosives", "Remote explosive/landmine/IED"},
    {"land", "mine", "explosives", "Remote explosive/landmine/IED"},
    {"explosive", "device", "explosives", "Remote explosive/landmine/IED"},
    {"booby", "trap", "explosives", "Remote explosive/landmine/IED"},
    {"grenade", NULL, "explosives", "Grenade"},
    {"shelling", NULL, "heavy-weapons", "Shelling/artillery/missile attack"},
    {"shell", NULL, "heavy-weapons", "Shelling/artillery/missile attack"},
    {"artillery", NULL, "heavy-weapons", "Shelling/artillery/missile attack"},
    {"mortar", NULL, "heavy-weapons", "Shelling/artillery/missile attack"},
    {"rocket", NULL, "heavy-weapons", "Shelling/artillery/missile attack"},
    {"missile", NULL, "heavy-weapons", "Shelling/artillery/missile attack"},
    {"tank", NULL, "heavy-weapons", NULL},
    {"tear", "gas", "crowd-control", NULL},
    {"teargas", NULL, "crowd-control", NULL},
    {"water", "cannon", "crowd-control", NULL},
    {"rubber", "bullet", "crowd-control", NULL},
    {"gunfire", NULL, "firearms", NULL},
    {"gunman", NULL, "firearms", NULL},
    {"gunmen", NULL, "firearms", NULL},
    {"rifle", NULL, "firearms", NULL},
    {"shoot", NULL, "firearms", NULL},
    {"shot", NULL, "firearms", NULL},
    {"knife", NULL, "primitive", NULL},
    {"machete", NULL, "primitive", NULL},
    {"stab", NULL, "primitive", NULL},
    {"explosion", NULL, "explosives", NULL},
    {"bomb", NULL, "explosives", NULL},
    {NULL, NULL, NULL, NULL}};

static int tok_word(const dy_story_ctx *s, uint32_t i, const char *w)
{
    const dy_token *t = &s->seg.tok[i];
    return dy_tok_reads(s->text, t, w) || (t->lemma != t->form && !strcmp(dy_word_str(s->d, t->lemma), w));
}

/* The first (most telling) weapon cue in the event's sentences, or NULL. Cues are ranked by
 * their order in the table. */
static const cue *weapon_of(const dy_story_ctx *s, const dy_event *e)
{
    const cue *best = NULL;
    for (uint8_t k = 0; k < e->nsent; k++) {
        const dy_sentence *st = &s->seg.sent[e->sents[k]];
        for (uint32_t i = st->first; i < st->first + st->count; i++)
            for (const cue *c = cues; c->word && (!best || c < best); c++)
                if (tok_word(s, i, c->word) &&
                    (!c->next || (i + 1 < st->first + st->count && tok_word(s, i + 1, c->next))))
                    best = c;
    }
    return best;
}

/* Whether an actor code names an armed organised side (state forces, rebels, militias). */
static int armed(const dy_story_ctx *s, int32_t m)
{
    if (m < 0) return 0;
    static const char *const sec[] = {"MIL", "COP", "REB", "UAF", "SPY", "IMG", "INS", NULL};
    for (uint8_t c = 0; c < s->m[m].ncode; c++)
        for (int k = 0; sec[k]; k++)
            if (strstr(s->m[m].code[c], sec[k])) return 1;
    return 0;
}

static int civilian(const dy_story_ctx *s, int32_t m)
{
    if (m < 0) return 0;
    static const char *const sec[] = {"CVL", "REF", "HLH", "EDU", "MED", "REL", "LAB", "AGR", "NGO",
                                      "HRI", "BUS", "OPP", NULL};
    for (int k = 0; sec[k]; k++)
        if (strstr(s->m[m].code[0], sec[k])) return 1;
    return 0;
}

/* Whether actor m is a state's forces or the state itself (MIL, COP, GOV, SPY sectors, or a
 * bare country code: "the Somali National Army" is SOM), not an armed group of it (SYRUAF). */
static int state_side(const dy_story_ctx *s, int32_t m)
{
    if (m < 0 || !s->m[m].ncode) return 0;
    static const char *const non[] = {"REB", "INS", "UAF", "IMG", "RAD", "OPP", NULL};
    static const char *const sec[] = {"MIL", "COP", "GOV", "SPY", NULL};
    const char *c = s->m[m].code[0];
    for (int k = 0; non[k]; k++)
        if (strstr(c, non[k])) return 0;
    if (strlen(c) == 3 && dy_is_country(s->d, c)) return 1;
    for (int k = 0; sec[k]; k++)
        if (strstr(c, sec[k])) return 1;
    return 0;
}

/* Whether actor m is a non-state armed group (rebels, insurgents, militias, jihadist groups). */
static int nonstate_side(const dy_story_ctx *s, int32_t m)
{
    if (m < 0 || !s->m[m].ncode) return 0;
    static const char *const sec[] = {"REB", "INS", "UAF", "IMG", "RAD", NULL};
    for (int k = 0; sec[k]; k++)
        if (strstr(s->m[m].code[0], sec[k])) return 1;
    return 0;
}

/* Whether actor m is a crowd that protests: its words name protesters, demonstrators, marchers
 * or a crowd ("arrested dozens of protesters": the protest was broken up). */
static int protesters(const dy_story_ctx *s, int32_t m)
{
    static const char *const w[] = {"protester", "protestor", "demonstrator", "marcher", "crowd", "rioter",
                                    "mob", NULL};
    if (m < 0) return 0;
    for (uint32_t i = s->m[m].first; i < s->m[m].last; i++)
        for (int k = 0; w[k]; k++)
            if (tok_word(s, i, w[k])) return 1;
    return 0;
}

/* Whether actor m is a political one: a state, its officials, parties, the opposition, the
 * press, rights groups, clergy or an armed group; not civilians, criminals or businesses. */
static int political(const dy_story_ctx *s, int32_t m)
{
    if (m < 0 || !s->m[m].ncode) return 0;
    static const char *const non[] = {"CVL", "CRM", "BUS", "REF", "AGR", "EDU", "HLH", "LAB", NULL};
    const char *c = s->m[m].code[0];
    for (int k = 0; non[k]; k++)
        if (strstr(c, non[k])) return 0;
    return 1;
}

/* Whether the event's sentence tells of a crowd turning violent: clashes, stones, fires set,
 * property smashed or stormed ("demonstrators clashed with police", "banks set ablaze"). Not
 * "violence" alone: people protest against violence. */
static int unruly(const dy_story_ctx *s, const dy_event *e)
{
    static const char *const w[] = {"clash", "clashed", "ablaze", "torch", "torched", "pelt", "stone-pelting",
                                    "stones", "rocks", "molotov", "vandalize", "vandalise", "loot", "smash",
                                    "storm", "rioter", "rioting", "arson", "firebomb", NULL};
    const dy_sentence *st = &s->seg.sent[e->sent];
    for (uint32_t i = st->first; i < st->first + st->count; i++) {
        for (int k = 0; w[k]; k++)
            if (tok_word(s, i, w[k])) return 1;
        /* "turned violent", "set fire to", "broke into" */
        if (i + 1 < st->first + st->count &&
            ((tok_word(s, i, "turn") && tok_word(s, i + 1, "violent")) ||
             (tok_word(s, i, "set") && tok_word(s, i + 1, "fire")) ||
             (tok_word(s, i, "break") && tok_word(s, i + 1, "into"))))
            return 1;
    }
    return 0;
}

/* Words that name weapons, ammunition or explosives as things seized or found. */
static const char *const arms_words[] = {"weapon", "arms", "gun", "firearm", "rifle", "pistol", "revolver",
                                         "ammunition", "ammo", "bullet", "cartridge", "explosive", "ied",
                                         "grenade", "detonator", "rocket", "missile", "cache", NULL};

/* Whether the words event e spans, or the next few of its sentence, include one of words. */
static int names_any(const dy_story_ctx *s, const dy_event *e, const char *const *words)
{
    for (uint32_t i = e->first; i < e->last + 6 && i < s->seg.ntok; i++) {
        if (s->tok_sent[i] != e->sent) break;
        for (int k = 0; words[k]; k++)
            if (tok_word(s, i, words[k])) return 1;
    }
    return 0;
}

/* Whether the words the event spans name weapons ("seized 12 firearms and ammunition"). */
int dy_seizes_arms(const dy_story_ctx *s, const dy_event *e) { return names_any(s, e, arms_words); }

/* Words that name a base or post a force sets up (ACLED's "headquarters or base established"). */
static const char *const base_words[] = {"base", "airbase", "outpost", "post", "point", "headquarters",
                                         "garrison", NULL};

void dy_classify(dy_story_ctx *s)
{
    for (size_t k = 0; k < s->nev; k++) {
        dy_event *e = &s->ev[k];
        if (e->dropped || e->cameo->opaque) continue;
        const char *code = e->cameo->code;
        int root = dy_cameo_root(e->cameo);
        const cue *w = root >= 18 || root == 14 || root == 17 ? weapon_of(s, e) : NULL;
        if (w && (root >= 18 || (w->mode && !strcmp(w->mode, "crowd-control")))) e->mode = w->mode;
        if (!strncmp(code, "192", 3) && (state_side(s, e->src) || nonstate_side(s, e->src) ||
                                         (e->src < 0 && (state_side(s, e->tgt) || nonstate_side(s, e->tgt))))) {
            /* territory taken: by a state's forces (or from rebels, the taker unnamed), or by
             * an armed group (or from the state's forces) */
            int gov = e->src >= 0 ? state_side(s, e->src) : nonstate_side(s, e->tgt);
            e->acled_type = "Battles";
            e->acled_sub = gov ? "Government regains territory" : "Non-state actor overtakes territory";
        } else if (root >= 18) {
            if (w && w->acled) {
                e->acled_type = "Explosions/Remote violence";
                e->acled_sub = w->acled;
            } else if (!strncmp(code, "181", 3) || !strcmp(code, "1821")) {
                e->acled_type = "Violence against civilians";
                e->acled_sub = !strncmp(code, "181", 3) ? "Abduction/forced disappearance" : "Sexual violence";
            } else if (!strncmp(code, "182", 3)) {
                e->acled_type = "Violence against civilians";
                e->acled_sub = "Sexual violence";
            } else if (armed(s, e->src) && armed(s, e->tgt)) {
                e->acled_type = "Battles";
                e->acled_sub = "Armed clash";
            } else if (civilian(s, e->tgt) || (e->tgt >= 0 && !armed(s, e->tgt))) {
                e->acled_type = "Violence against civilians";
                e->acled_sub = "Attack";
            } else {
                e->acled_type = "Battles";
                e->acled_sub = "Armed clash";
            }
        } else if (root == 14) {
            if (!strncmp(code, "145", 3)) {
                e->acled_type = "Riots";
                e->acled_sub = "Violent demonstration";
            } else if (unruly(s, e)) { /* "demonstrators clashed with police", "banks set ablaze" */
                e->acled_type = "Riots";
                e->acled_sub = "Violent demonstration";
            } else {
                e->acled_type = "Protests";
                e->acled_sub = w && w->mode && !strcmp(w->mode, "crowd-control") ? "Protest with intervention"
                                                                                 : "Peaceful protest";
            }
        } else if (!strncmp(code, "175", 3) || (!strncmp(code, "173", 3) && protesters(s, e->tgt))) {
            /* force against a crowd: tear gas, water cannon, rubber bullets or arrests break a
             * protest up; live fire, beatings and killings are excessive force */
            int mild = !strncmp(code, "173", 3) || (w && w->mode && !strcmp(w->mode, "crowd-control"));
            e->acled_type = mild && unruly(s, e) ? "Riots" : "Protests";
            e->acled_sub = mild && unruly(s, e) ? "Violent demonstration" /* the crowd was violent */
                           : mild             ? "Protest with intervention"
                                              : "Excessive force against protesters";
        } else if (!strncmp(code, "173", 3) && political(s, e->tgt)) {
            /* ACLED records the arrests that matter politically (of the opposition, reporters,
             * officials, militants), not a suspect taken into custody for a crime */
            e->acled_type = "Strategic developments";
            e->acled_sub = "Arrests";
        } else if (!strncmp(code, "171", 3) && !nonstate_side(s, e->src) && dy_seizes_arms(s, e)) {
            /* weapons, ammunition or explosives seized by the authorities */
            e->acled_type = "Strategic developments";
            e->acled_sub = "Disrupted weapons use";
        } else if (!strncmp(code, "1712", 4) || !strncmp(code, "171", 3)) {
            e->acled_type = "Strategic developments";
            e->acled_sub = "Looting/property destruction";
        } else if (!strcmp(code, "150") && (state_side(s, e->src) || nonstate_side(s, e->src)) &&
                   names_any(s, e, base_words)) {
            e->acled_type = "Strategic developments";
            e->acled_sub = "Headquarters or base established";
        } else if (!strncmp(code, "057", 3) || !strncmp(code, "0871", 4) ||
                   ((!strcmp(code, "046") || !strcmp(code, "0356") || !strcmp(code, "0841") ||
                     !strcmp(code, "0873") || !strcmp(code, "0874")) &&
                    (nonstate_side(s, e->src) || nonstate_side(s, e->tgt)))) {
            /* a deal, a truce, or between a state and an armed group (or two such groups):
             * talks, a promise to de-escalate, captives released, fighters standing down or
             * surrendering (ACLED's agreements); between states these are diplomacy */
            e->acled_type = "Strategic developments";
            e->acled_sub = "Agreement";
        } else if (!strncmp(code, "154", 3) || !strncmp(code, "152", 3)) {
            e->acled_type = "Strategic developments";
            e->acled_sub = "Change to group/activity";
        }
    }
}
