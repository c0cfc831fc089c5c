/*
 * business.c — business news: a story whose lead names a company by its legal designator
 * ("Triton Energy Corp said ...", "<Metro Airlines> signed ...", "Fiat Spa said ...") is a
 * company's news. In it the spokesman, the president and the official who speak or decline to
 * comment are the company's, the country words name where firms are based ("U.S. Air", "Sweden's
 * Wallenberg group"), and the deals, bids, denials, lawsuits, resignations and forecasts are
 * business, not politics: a verbal, cooperative or coercive act (CAMEO roots 01-13 and 15-17:
 * a firm that "cancels flights", "closes its office in Dubai", "freezes credit lines" or wins a
 * court order against a bidder) there is a political event only when its sentence names a
 * government, an army, a police force, a legislature, a party or an international body by more
 * than a title any firm has, or when both of its sides are states. Protest and violence (roots
 * 14 and 18-20) are left to the other filters: a strike, a killing or a kidnapping in a
 * company's story is still news.
 */
#include <string.h>

#include "story.h"

/* Whether token i reads w exactly, case kept, a final period aside ("Inc." reads "Inc"). */
static int tok_exact(const dy_story_ctx *s, uint32_t i, const char *w)
{
    const dy_token *t = &s->seg.tok[i];
    size_t n = strlen(w), len = t->len;
    if (len == n + 1 && s->text[t->start + n] == '.') len = n;
    return len == n && !memcmp(s->text + t->start, w, n);
}

/* Whether token i is a company's legal designator ending a capitalised name ("Broadcasting
 * Co", "Holdings Ltd"), not "Co Tyrone" (a county) after a function word. */
static int designator(const dy_story_ctx *s, uint32_t i, uint32_t first)
{
    static const char *const des[] = {"Corp", "Inc", "Co", "Cos", "Ltd", "Plc", "PLC", "AG", "NV",
        "N.V", "SpA", "Spa", "GmbH", "Bancorp", "Bhd", "Pty", "LLC", NULL};
    if (i <= first || !(s->seg.tok[i - 1].flags & TK_CAP)) return 0;
    for (int k = 0; des[k]; k++)
        if (tok_exact(s, i, des[k])) return 1;
    return 0;
}

int dy_company_story(const dy_story_ctx *s)
{
    for (size_t si = 0; si < s->seg.nsent; si++) {
        const dy_sentence *st = &s->seg.sent[si];
        if (st->flags & SENT_HEADLINE) continue;
        for (uint32_t i = st->first; i < st->first + st->count; i++) {
            const dy_token *t = &s->seg.tok[i];
            /* Reuters marks a company's name "<Metro Airlines>" */
            if ((t->flags & TK_PUNCT) && s->text[t->start] == '<' && i + 1 < st->first + st->count &&
                (s->seg.tok[i + 1].flags & TK_CAP))
                return 1;
            if (designator(s, i, st->first)) return 1;
        }
        return 0; /* the lead only */
    }
    return 0;
}

/* Whether token i is a title every firm has (spokesman, official, president): it says nothing
 * of a state. */
static int staff_word(const dy_story_ctx *s, uint32_t i)
{
    static const char *const w[] = {"spokesman", "spokeswoman", "spokesperson", "spokesmen",
        "official", "officials", "president", "chairman", "director", "directors", "executive",
        "executives", "source", "sources", "aide", "aides", "representative", "representatives",
        "management", "board", "party", "parties", "opposition", NULL};
    const dy_token *t = &s->seg.tok[i];
    char c0 = (char)dy_tolower((unsigned char)s->text[t->start]);
    for (int k = 0; w[k]; k++) /* the first letter rules out most without a comparison */
        if (w[k][0] == c0 && dy_tok_reads(s->text, t, w[k])) return 1;
    return 0;
}

/* Whether mention m is, or qualifies, a title every firm has: "a spokesman", "government
 * sources" (who tell of it: the sources, not the government, are named). */
static int staff(const dy_story_ctx *s, const dy_mention *m)
{
    return staff_word(s, m->last - 1) || (m->last < s->seg.ntok && staff_word(s, m->last));
}

/* Whether sentence si names a state's office by a word no firm uses for its own ("the Trade and
 * Industry Secretary", "the ministry", "senators"), known to the dictionaries or not. */
static int office_word(const dy_story_ctx *s, size_t si)
{
    static const char *const w[] = {"minister", "ministers", "ministry", "secretary", "government",
        "governments", "cabinet", "parliament", "congress", "congressional", "senate", "senator",
        "senators", "embassy", "ambassador", "regime", "prosecutor", "prosecutors", NULL};
    const dy_sentence *st = &s->seg.sent[si];
    for (uint32_t i = st->first; i < st->first + st->count; i++) {
        if (i + 1 < st->first + st->count && staff_word(s, i + 1)) continue; /* "government sources" */
        if ((s->seg.tok[i].flags & TK_CAP) && dy_tok_reads(s->text, &s->seg.tok[i], "department"))
            return 1; /* "the Justice Department", "the Department of Commerce" */
        char c0 = (char)dy_tolower((unsigned char)s->text[s->seg.tok[i].start]);
        for (int k = 0; w[k]; k++)
            if (w[k][0] == c0 && dy_tok_reads(s->text, &s->seg.tok[i], w[k])) return 1;
    }
    return 0;
}

/* The mention m stands for: a pronoun's antecedent, or m itself; NULL for a possessive, a city
 * standing for its country, a company or a title any firm has. */
static const dy_mention *stands_for(const dy_story_ctx *s, int32_t mi)
{
    if (mi < 0) return NULL;
    const dy_mention *m = &s->m[mi];
    if ((m->flags & M_PRONOUN) && m->ref >= 0) m = &s->m[m->ref];
    if (m->flags & (M_PRONOUN | M_POSS | M_CITY)) return NULL;
    if (!m->ncode || dy_mention_business(m) || staff(s, m)) return NULL;
    return m;
}

/* Whether m is a state's organ: a government, army, police, legislature, intelligence service,
 * party or elite of a state, or an international body. */
static int organ(const dy_mention *m)
{
    static const char *const sec[] = {"GOV", "MIL", "COP", "LEG", "SPY", "PTY", "ELI", "IGO", NULL};
    for (uint8_t c = 0; c < m->ncode; c++)
        for (int k = 0; sec[k]; k++)
            if (strstr(m->code[c], sec[k])) return 1;
    return 0;
}

/* Whether every one of m's codes is a state's organ or a state ("Turkey and Azerbaijan"). */
static int states(const dyad_dict *d, const dy_mention *m)
{
    if (organ(m)) return 1;
    for (uint8_t c = 0; c < m->ncode; c++)
        if (strlen(m->code[c]) != 3 || !dy_is_country(d, m->code[c])) return 0;
    return 1;
}

int dy_company_matter(const dy_story_ctx *s, const dy_event *e, int company_story)
{
    int root = dy_cameo_root(e->cameo);
    if (!company_story || e->cameo->opaque || root == 14 || root >= 18) return 0;
    if (office_word(s, e->sent)) return 0;
    for (size_t k = 0; k < s->nm; k++) {
        if (s->m[k].sent != e->sent) continue;
        const dy_mention *m = stands_for(s, (int32_t)k);
        if (m && organ(m)) return 0;
    }
    const dy_mention *a = stands_for(s, e->src), *b = stands_for(s, e->tgt);
    /* states on both sides, or several states together ("Turkey and Azerbaijan signed") */
    return !(a && states(s->d, a) && ((b && states(s->d, b)) || a->ncode >= 2));
}
