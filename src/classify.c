/*
 * classify.c — refines kept events: the PLOVER mode of violent events from the weapons their
 * sentences name (a drone, an air strike, shelling, an IED, gunfire, tear gas), and the
 * ACLED-style event type and sub-type (six types, 25 sub-types) from the CAMEO code, that
 * mode and who the two sides are (territory taken: by the state or by an armed group, or
 * handed over without a fight; weapons seized: disrupted weapons use; a mob's violence; a
 * crowd fighting the police; an armed group attacking a base: a battle).
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
    {"sulfur", "mustard", "unconventional", "Chemical weapon"},
    {"sulphur", "mustard", "unconventional", "Chemical weapon"},
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
    /* a rocket-propelled grenade is a launcher's round, not a hand grenade */
    {"rocket-propelled", NULL, "heavy-weapons", "Shelling/artillery/missile attack"},
    {"rpg", NULL, "heavy-weapons", "Shelling/artillery/missile attack"},
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
    if (dy_tok_reads(s->text, t, w)) return 1;
    if (t->lemma == t->form) return 0;
    const char *l = dy_word_str(s->d, t->lemma);
    return l[0] == w[0] && !strcmp(l, w); /* the first letter rules out most without a call */
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
    /* a toxic agent named in the next sentence ("Rebels shelled the town. Residents suspect
     * the shells contained chlorine."): reports often tell the weapon after the attack */
    uint32_t nx = e->nsent ? e->sents[e->nsent - 1] + 1 : UINT32_MAX;
    if (nx < s->seg.nsent && (!best || strcmp(best->acled ? best->acled : "", "Chemical weapon"))) {
        const dy_sentence *st = &s->seg.sent[nx];
        for (uint32_t i = st->first; i < st->first + st->count; i++)
            for (const cue *c = cues; c->word && c->acled && !strcmp(c->acled, "Chemical weapon"); c++)
                if (tok_word(s, i, c->word) &&
                    (!c->next || (i + 1 < st->first + st->count && tok_word(s, i + 1, c->next))))
                    return c;
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

int dy_telltale_weapon(const dy_story_ctx *s, uint32_t k)
{
    const dy_sentence *st = &s->seg.sent[k];
    for (uint32_t i = st->first; i < st->first + st->count; i++)
        for (const cue *c = cues; c->word; c++)
            if (c->acled && (!strcmp(c->acled, "Chemical weapon") || !strcmp(c->acled, "Suicide bomb") ||
                             !strcmp(c->acled, "Grenade") || !strcmp(c->acled, "Remote explosive/landmine/IED")) &&
                tok_word(s, i, c->word) &&
                (!c->next || (i + 1 < st->first + st->count && tok_word(s, i + 1, c->next))))
                return 1;
    return 0;
}

int dy_told_without_actor(const dy_story_ctx *s, const dy_event *e)
{
    static const char *const w[] = {"loot", "looting", "ransack", "plunder", "vandalize", "vandalise", NULL};
    /* fire only told of a thing burnt ("shops were burned"): "will burn crop waste" is not */
    static const char *const fire[] = {"torch", "burn", "set", NULL};
    static const char *const taken[] = {"abduct", "kidnap", NULL};
    static const char *const held[] = {"hold", "stage", NULL};
    if (e->cameo->opaque) return 0;
    if (dy_cameo_root(e->cameo) == 14) { /* "rallies were held across the country" */
        for (int k = 0; held[k] && e->passive; k++)
            if (tok_word(s, e->anchor, held[k])) return 1;
        return 0;
    }
    /* a woman raped, the men who did it no actors ("four men raped a woman") */
    if (!strcmp(e->cameo->code, "1821") &&
        (tok_word(s, e->anchor, "raped") || tok_word(s, e->anchor, "molested")))
        return 1;
    if (!strncmp(e->cameo->code, "181", 3)) {
        for (int k = 0; taken[k]; k++)
            if (tok_word(s, e->anchor, taken[k])) return 1;
        return 0;
    }
    if (strncmp(e->cameo->code, "171", 3)) return 0;
    for (int k = 0; w[k]; k++)
        if (tok_word(s, e->anchor, w[k])) return 1;
    for (int k = 0; fire[k]; k++)
        if (e->passive && tok_word(s, e->anchor, fire[k])) return 1;
    return 0;
}

/* Whether the words of actor m include one of words. */
static int mention_says(const dy_story_ctx *s, int32_t m, const char *const *words)
{
    if (m < 0) return 0;
    for (uint32_t i = s->m[m].first; i < s->m[m].last; i++)
        for (int k = 0; words[k]; k++)
            if (tok_word(s, i, words[k])) return 1;
    return 0;
}

/* Whether actor m names a mob or vigilantes: a crowd that attacks people without a cause it
 * demonstrates for (ACLED's mob violence: lynchings, vigilante killings). */
static int mob(const dy_story_ctx *s, int32_t m)
{
    static const char *const w[] = {"mob", "lynch-mob", "vigilante", NULL};
    if (m < 0) return 0;
    for (uint32_t i = s->m[m].first; i < s->m[m].last; i++)
        for (int k = 0; w[k]; k++)
            if (tok_word(s, i, w[k])) return 1;
    return 0;
}

/* Whether sentence k has one of words, or one of the two-word phrases pairs (NULL-ended
 * pairs of words). */
static int sent_says(const dy_story_ctx *s, uint32_t k, const char *const *words, const char *const *pairs)
{
    const dy_sentence *st = &s->seg.sent[k];
    for (uint32_t i = st->first; i < st->first + st->count; i++) {
        for (int j = 0; words && words[j]; j++)
            if (tok_word(s, i, words[j])) return 1;
        for (int j = 0; pairs && pairs[j]; j += 2)
            if (i + 1 < st->first + st->count && tok_word(s, i, pairs[j]) && tok_word(s, i + 1, pairs[j + 1]))
                return 1;
    }
    return 0;
}

/* Whether the territory changed hands without a fight: the sentence (or the next) says the
 * other side withdrew or met no resistance ("entered the town after the army pulled out",
 * "took the villages without any clashes", "handed control of the base to"). */
/* Words that say no fight took place, not only that a side left. */
static const char *const strict_unopposed[] = {"without", "resistance", "without", "fighting", "without", "firing",
                                               "without", "bloodshed", "no", "resistance", "any", "resistance",
                                               "handed", "control", "handed", "over", NULL};

static int unopposed(const dy_story_ctx *s, const dy_event *e)
{
    static const char *const w[] = {"withdrawal", "withdrew", "withdrawn", "unopposed", "handover", NULL};
    static const char *const p[] = {"without", "resistance", "without", "fighting", "without", "firing",
                                    "without", "bloodshed", "no", "resistance", "any", "resistance",
                                    "pulled", "out", "handed", "control", "handed", "over", NULL};
    /* but not when the sentence tells of the fight ("withdrew after heavy clashes") */
    static const char *const fight[] = {"clash", "fighting", "battle", "assault", "offensive", "counterattack",
                                        "bombardment", "shelling", "airstrike", "fierce", NULL};
    if (sent_says(s, e->sent, fight, NULL)) return 0;
    for (uint32_t k = e->sent; k < e->sent + 2 && k < s->seg.nsent; k++)
        if (sent_says(s, k, w, p)) return 1;
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
                                    "storm", "rioter", "rioting", "arson", "firebomb", "projectile", NULL};
    const dy_sentence *st = &s->seg.sent[e->sent];
    for (uint32_t i = st->first; i < st->first + st->count; i++) {
        for (int k = 0; w[k]; k++)
            if (tok_word(s, i, w[k])) return 1;
        /* "turned violent", "violent protests", "set fire to", "broke into" */
        if (i + 1 < st->first + st->count &&
            ((tok_word(s, i, "turn") && tok_word(s, i + 1, "violent")) ||
             (tok_word(s, i, "violent") && (tok_word(s, i + 1, "protest") || tok_word(s, i + 1, "demonstration") ||
                                            tok_word(s, i + 1, "clash") || tok_word(s, i + 1, "riot"))) ||
             (tok_word(s, i, "set") && tok_word(s, i + 1, "fire")) ||
             (tok_word(s, i, "break") && tok_word(s, i + 1, "into"))))
            return 1;
    }
    return 0;
}

/* Words that name weapons, ammunition or explosives as things seized or found. */
static const char *const arms_words[] = {"weapon", "arms", "gun", "firearm", "rifle", "pistol", "revolver",
                                         "ammunition", "ammo", "bullet", "cartridge", "explosive", "ied",
                                         "grenade", "detonator", "rocket", "missile", "cache", "mine",
                                         "landmine", "ordnance", NULL};

/* Words that name a population expelled (not diplomats or a spy). */
static const char *const population_words[] = {"nationals", "refugees", "migrants", "civilians",
                                               "families",  "residents", "villagers", "minority", NULL};
static const char *const mass_expulsion[] = {"mass", "expulsion", "mass", "expulsions", "mass", "deportation",
                                             "mass", "deportations", NULL};

/* Words that tell of captives exchanged rather than freed by one side. */
static const char *const swap_words[] = {"exchange", "swap", "swapped", "exchanged", NULL};

/* Whether one of the three words before event e's anchor, in its sentence, is one of words
 * ("3,000 Congolese nationals expelled"). */
static int just_before(const dy_story_ctx *s, const dy_event *e, const char *const *words)
{
    for (uint32_t i = e->anchor; i > 0 && i + 3 > e->anchor; ) {
        i--;
        if (s->tok_sent[i] != e->sent) break;
        for (int k = 0; words[k]; k++)
            if (tok_word(s, i, words[k])) return 1;
    }
    return 0;
}

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

/* Whether the event's sentence places it at a protest ("detained during an unsanctioned
 * protest", "arrested while trying to hold a demonstration"): arrests that break one up. */
static int at_protest(const dy_story_ctx *s, const dy_event *e)
{
    static const char *const when[] = {"during", "while", NULL};
    static const char *const demo[] = {"protest", "demonstration", "rally", "sit-in", NULL}; /* not "march": the month */
    return sent_says(s, e->sent, when, NULL) && sent_says(s, e->sent, demo, NULL);
}

/* Words that name armed forces or their posts, attacked ("attacked a checkpoint", "killing
 * ten soldiers"): an attack on them is a battle, not violence against civilians. */
static const char *const post_words[] = {"base", "checkpoint", "barracks", "outpost", "garrison", "soldier", "troops",
                                         "army", "convoy", "patrol", "policeman", "positions", NULL};

/* Words that name forces that move, withdraw or are reinforced ("withdrew its troops", "sent
 * police reinforcements"; not "withdrew a request", "tightened quality controls"). */
static const char *const force_words[] = {"troops", "forces", "soldiers", "fighters", "units", "warships", "militants",
                                          "police", "policemen", "reinforcements", "battalion", NULL};

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
        if (!strncmp(code, "201", 3)) {
            /* a mass expulsion: ACLED's other strategic developments, not an attack */
            e->acled_type = "Strategic developments";
            e->acled_sub = "Other";
        } else if (!strncmp(code, "192", 3) && unopposed(s, e)) {
            /* taken after the other side pulled out, or met no resistance */
            e->acled_type = "Strategic developments";
            e->acled_sub = "Non-violent transfer of territory";
        } else if (!strncmp(code, "192", 3) && (state_side(s, e->src) || nonstate_side(s, e->src) ||
                                         (e->src < 0 && (state_side(s, e->tgt) || nonstate_side(s, e->tgt))))) {
            /* territory taken: by a state's forces (or from rebels, the taker unnamed), or by
             * an armed group (or from the state's forces) */
            int gov = e->src >= 0 ? state_side(s, e->src) : nonstate_side(s, e->tgt);
            e->acled_type = "Battles";
            e->acled_sub = gov ? "Government regains territory" : "Non-state actor overtakes territory";
        } else if (root >= 18 && strncmp(code, "192", 3) && strncmp(code, "191", 3) &&
                   (protesters(s, e->src) || (protesters(s, e->tgt) && tok_word(s, e->anchor, "clash"))) &&
                   !(mob(s, e->src) && !armed(s, e->tgt))) {
            /* a crowd fighting the police, or clashes between police and protesters */
            e->acled_type = "Riots";
            e->acled_sub = "Violent demonstration";
        } else if (root >= 18 && strncmp(code, "191", 3) && strncmp(code, "192", 3) &&
                   (mob(s, e->src) || tok_word(s, e->anchor, "lynch") ||
                    (e->anchor > 0 && tok_word(s, e->anchor, "violence") &&
                     (tok_word(s, e->anchor - 1, "mob") || tok_word(s, e->anchor - 1, "vigilante"))))) {
            /* a mob or vigilantes beating, lynching or killing people */
            e->acled_type = "Riots";
            e->acled_sub = "Mob violence";
        } else if (root >= 18) {
            const char *by_code = !strncmp(code, "1831", 4) ? "Suicide bomb"
                                  : !strncmp(code, "183", 3)  ? "Remote explosive/landmine/IED"
                                  : !strncmp(code, "194", 3)  ? "Shelling/artillery/missile attack"
                                  : !strncmp(code, "195", 3)  ? "Air/drone strike"
                                                              : NULL;
            if (w && w->acled) {
                e->acled_type = "Explosions/Remote violence";
                e->acled_sub = w->acled;
            } else if (!strncmp(code, "181", 3) || !strcmp(code, "1821")) {
                e->acled_type = "Violence against civilians";
                e->acled_sub = !strncmp(code, "181", 3) ? "Abduction/forced disappearance" : "Sexual violence";
            } else if (!strncmp(code, "182", 3)) {
                e->acled_type = "Violence against civilians";
                e->acled_sub = "Sexual violence";
            } else if (by_code) {
                /* the code itself names the weapon: a bombing, artillery, an air attack */
                e->acled_type = "Explosions/Remote violence";
                e->acled_sub = by_code;
            } else if (armed(s, e->src) && (armed(s, e->tgt) || names_any(s, e, post_words))) {
                /* armed sides on both ends, or an armed group attacking a base, a checkpoint,
                 * soldiers: a battle */
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
        } else if (!strncmp(code, "175", 3) ||
                   (!strncmp(code, "173", 3) && (protesters(s, e->tgt) || at_protest(s, e)))) {
            /* force against a crowd: tear gas, water cannon, rubber bullets or arrests break a
             * protest up; live fire, beatings and killings are excessive force */
            int mild = !strncmp(code, "173", 3) || (w && w->mode && !strcmp(w->mode, "crowd-control"));
            int violent = mild && unruly(s, e); /* the crowd was violent */
            e->acled_type = violent ? "Riots" : "Protests";
            e->acled_sub = violent ? "Violent demonstration"
                           : mild  ? "Protest with intervention"
                                   : "Excessive force against protesters";
        } else if (!strncmp(code, "173", 3) && political(s, e->tgt)) {
            /* ACLED records the arrests that matter politically (of the opposition, reporters,
             * officials, militants), not a suspect taken into custody for a crime */
            e->acled_type = "Strategic developments";
            e->acled_sub = "Arrests";
        } else if ((!strncmp(code, "171", 3) || !strcmp(code, "0873")) && !nonstate_side(s, e->src) &&
                   dy_seizes_arms(s, e)) {
            /* weapons, ammunition, explosives or mines seized, cleared or destroyed by the
             * authorities */
            e->acled_type = "Strategic developments";
            e->acled_sub = "Disrupted weapons use";
        } else if (!strncmp(code, "171", 3) && (tok_word(s, e->anchor, "storm") || tok_word(s, e->anchor, "raid")) &&
                   armed(s, e->src)) {
            /* an armed side storming or raiding a place: an attack, or a battle when the place
             * is held by armed men */
            int battle = armed(s, e->tgt);
            e->acled_type = battle ? "Battles" : "Violence against civilians";
            e->acled_sub = battle ? "Armed clash" : "Attack";
        } else if (!strcmp(code, "0874") && (state_side(s, e->src) || nonstate_side(s, e->src)) &&
                   (tok_word(s, e->anchor, "withdraw") || tok_word(s, e->anchor, "pull") ||
                    tok_word(s, e->anchor, "retreat")) &&
                   (armed(s, e->src) || names_any(s, e, force_words) || mention_says(s, e->src, force_words))) {
            /* forces withdrawing: the place handed over without a fight, or a move of the force */
            int handed = unopposed(s, e) && (sent_says(s, e->sent, NULL, strict_unopposed));
            e->acled_type = "Strategic developments";
            e->acled_sub = handed ? "Non-violent transfer of territory" : "Change to group/activity";
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
        } else if (!strcmp(code, "0874") && tok_word(s, e->anchor, "surrender") && e->tgt >= 0 &&
                   state_side(s, e->tgt) && !strstr(s->m[e->tgt].code[0], "COP")) {
            /* fighters surrendering to the state's army or government (not a suspect giving
             * himself up to the police) */
            e->acled_type = "Strategic developments";
            e->acled_sub = "Agreement";
        } else if (!strncmp(code, "174", 3) &&
                   (names_any(s, e, population_words) || just_before(s, e, population_words) ||
                    sent_says(s, e->sent, NULL, mass_expulsion))) {
            /* a people expelled, not diplomats ("3,000 nationals expelled", a mass expulsion):
             * ACLED's other strategic developments */
            e->acled_type = "Strategic developments";
            e->acled_sub = "Other";
        } else if (!strncmp(code, "0841", 4) && names_any(s, e, swap_words)) {
            /* prisoners exchanged: a deal between the two sides */
            e->acled_type = "Strategic developments";
            e->acled_sub = "Agreement";
        } else if (!strncmp(code, "154", 3) || !strncmp(code, "152", 3) ||
                   (!strncmp(code, "153", 3) && names_any(s, e, force_words)) ||
                   (root == 12 && tok_word(s, e->anchor, "defected"))) {
            /* forces raised, sent or reinforced, or fighters defecting to the other side */
            e->acled_type = "Strategic developments";
            e->acled_sub = "Change to group/activity";
        }
    }
}
