/*
 * petrarch_actors.c — PETRARCH's actor, agent, discard and issue files translated into dyad's
 * formats (dict/FORMAT.md), entry by entry, each defect reported once at its file:line.
 */
#define _GNU_SOURCE /* memmem */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dates.h"
#include "dict/petrarch.h"
#include "dict/petrarch_read.h"
#include "lemma.h"

/* ==== actors ============================================================================= */

typedef struct actor_entry {
    dy_buf names;   /* dyad names, " | " separated */
    dy_buf roles;   /* dyad roles, " ; " separated */
    uint32_t line;  /* the entry's first line */
    int open;
    int flawed;     /* a code of it was reported already */
} actor_entry;

/* Adds a PETRARCH name to e's names. */
static void actor_name(ctx *c, actor_entry *e, uint32_t line, const char *s, const char *n)
{
    char w[MAX_WORDS][DY_WORD_MAX];
    int k = dy_petr_split_words(s, n, w, MAX_WORDS, NULL, NAME_RESERVED);
    if (k < 0) {
        dy_petr_flaw(c, line, "actor name '%.*s' has a reserved character or too many words; skipped", (int)(n - s), s);
        return;
    }
    if (!k) return;
    if (e->names.n) dy_buf_puts(&e->names, " | ");
    for (int i = 0; i < k; i++) {
        if (i) dy_buf_putc(&e->names, ' ');
        dy_buf_puts(&e->names, w[i]);
    }
}

/* Reads the "[...]" groups of [s, e) as roles of e. Returns the start of what precedes the
 * first group (the name), i.e. s's end of name. */
static const char *actor_codes(ctx *c, actor_entry *e, uint32_t line, const char *s, const char *end)
{
    const char *first = NULL;
    for (const char *p = s; p < end; p++) {
        if (*p != '[') continue;
        if (!first) first = p;
        const char *q = memchr(p, ']', (size_t)(end - p));
        if (!q) {
            dy_petr_flaw(c, line, "unclosed '[' in '%.*s'", (int)(end - p), p);
            e->flawed = 1;
            break;
        }
        if (dy_petr_actor_role(c, line, p + 1, q, &e->roles)) e->flawed = 1;
        p = q;
    }
    return first ? first : end;
}

static void actor_flush(ctx *c, actor_entry *e)
{
    if (!e->open) return;
    e->open = 0;
    if (!e->names.n) { /* every name was unusable: already reported */
        e->names.n = e->roles.n = 0;
        return;
    }
    if (!e->roles.n) {
        if (!e->flawed)
            dy_petr_flaw(c, e->line, "actor entry '%.*s' has no usable code; skipped", (int)(e->names.n > 60 ? 60 : e->names.n), e->names.p);
        e->names.n = 0;
        return;
    }
    dy_buf t = {0};
    dy_buf_put(&t, e->names.p, e->names.n);
    dy_buf_puts(&t, " => ");
    dy_buf_put(&t, e->roles.p, e->roles.n);
    dy_petr_load(c, e->line, &t, K_ACTORS);
    dy_buf_free(&t);
    e->names.n = e->roles.n = 0;
}

void dy_petr_load_actors(ctx *c, reader *r)
{
    actor_entry e = {0};
    int gap = 1; /* a blank or comment line since the last name line */
    while (!c->failed && dy_petr_next_line(r) == 0) {
        const char *s = r->buf.p, *end = s + r->buf.n;
        const char *b = dy_petr_skip_sp(s, end);
        if (b == dy_petr_trim_sp(b, end)) { /* blank */
            gap = 1;
            continue;
        }
        if (*b == '[') { /* a code line of the open entry */
            if (!e.open) {
                dy_petr_flaw(c, r->line, "code line outside an actor entry");
                continue;
            }
            actor_codes(c, &e, r->line, b, end);
            continue;
        }
        if (*b == '+') { /* a synonym */
            if (!e.open) {
                dy_petr_flaw(c, r->line, "synonym outside an actor entry");
                continue;
            }
            const char *ne = actor_codes(c, &e, r->line, b + 1, end);
            if (!r->bad) actor_name(c, &e, r->line, b + 1, dy_petr_trim_sp(b + 1, ne));
            continue;
        }
        /* a new entry: NAME [CODE ...]; names on consecutive lines before any code line
         * ("LEONID_BREZHNEV_" "SECRETARY_BREZHNEV" then the codes) are one entry */
        if (!(e.open && !gap && !e.roles.n)) {
            actor_flush(c, &e);
            e.open = 1;
            e.flawed = 0;
            e.line = r->line;
        }
        gap = 0;
        const char *ne = actor_codes(c, &e, r->line, b, end);
        if (!r->bad) actor_name(c, &e, r->line, b, dy_petr_trim_sp(b, ne));
    }
    actor_flush(c, &e);
    dy_buf_free(&e.names);
    dy_buf_free(&e.roles);
}

/* ==== agents ============================================================================= */

typedef struct subst {
    char name[64];
    strv words;
} subst;

/* Expands the !NAME! substitution sets in a name into every combination (at most 64). */
static void expand_subst(const char *s, const char *e, const subst *sub, int nsub, strv *out, int depth)
{
    const char *a = memchr(s, '!', (size_t)(e - s));
    const char *b = a ? memchr(a + 1, '!', (size_t)(e - a - 1)) : NULL;
    if (!b || depth > 3 || out->n > 64) {
        dy_petr_strv_push(out, s, (size_t)(e - s));
        return;
    }
    for (int i = 0; i < nsub; i++) {
        if (strlen(sub[i].name) != (size_t)(b + 1 - a) || memcmp(sub[i].name, a, (size_t)(b + 1 - a))) continue;
        for (size_t k = 0; k < sub[i].words.n; k++) {
            dy_buf t = {0};
            dy_buf_put(&t, s, (size_t)(a - s));
            dy_buf_puts(&t, sub[i].words.s[k]);
            dy_buf_put(&t, b + 1, (size_t)(e - b - 1));
            if (!t.oom && t.p) expand_subst(t.p, t.p + t.n, sub, nsub, out, depth + 1);
            dy_buf_free(&t);
        }
        return;
    }
    dy_petr_strv_push(out, s, (size_t)(e - s)); /* unknown set: kept as written, reported by caller */
}

void dy_petr_load_agents(ctx *c, reader *r)
{
    subst sub[32];
    int nsub = 0;
    while (!c->failed && dy_petr_next_line(r) == 0) {
        if (r->bad) continue;
        const char *s = r->buf.p, *end = s + r->buf.n;
        s = dy_petr_skip_sp(s, end);
        end = dy_petr_trim_sp(s, end);
        if (s == end) continue;
        uint32_t line = r->line;
        const char *sb = *s == '!' ? memchr(s + 1, '!', (size_t)(end - s - 1)) : NULL;
        if (sb && dy_petr_skip_sp(sb + 1, end) < end && *dy_petr_skip_sp(sb + 1, end) == '=') { /* !NAME! = A, B */
            const char *b = sb, *eq = dy_petr_skip_sp(sb + 1, end);
            if ((size_t)(b + 1 - s) >= sizeof sub[0].name || nsub == 32) {
                dy_petr_flaw(c, line, "malformed substitution set (want !NAME! = A, B, C)");
                continue;
            }
            subst *x = &sub[nsub++];
            memset(x, 0, sizeof *x);
            memcpy(x->name, s, (size_t)(b + 1 - s));
            for (const char *p = eq + 1; p < end;) {
                const char *q = memchr(p, ',', (size_t)(end - p));
                if (!q) q = end;
                const char *ws = dy_petr_skip_sp(p, q), *we = dy_petr_trim_sp(ws, q);
                if (we > ws) dy_petr_strv_push(&x->words, ws, (size_t)(we - ws));
                p = q < end ? q + 1 : end;
            }
            continue;
        }
        const char *lb = memchr(s, '[', (size_t)(end - s));
        const char *rb = lb ? memchr(lb, ']', (size_t)(end - lb)) : NULL;
        if (!lb || !rb) {
            dy_petr_flaw(c, line, lb ? "unclosed '[' in agent line" : "agent line without a [CODE]");
            continue;
        }
        /* the code: ~SEC (a suffix) or SEC~ (a prefix) */
        const char *cs = dy_petr_skip_sp(lb + 1, rb), *ce = dy_petr_trim_sp(cs, rb);
        int suffix = ce > cs && *cs == '~', prefix = ce > cs && ce[-1] == '~';
        const char *k0 = suffix ? cs + 1 : cs, *k1 = prefix ? ce - 1 : ce;
        int ok = (suffix ^ prefix) && k1 - k0 >= 3 && k1 - k0 < DY_CODE_MAX;
        for (const char *p = k0; ok && p < k1; p++)
            if (!dy_isupper(*p) && !dy_isdigit(*p)) ok = 0;
        if (!ok) {
            dy_petr_flaw(c, line, "bad agent code '[%.*s]' (want [~SEC] or [SEC~])", (int)(rb - lb - 1), lb + 1);
            continue;
        }
        /* the name, then {plurals} */
        const char *brace = memchr(s, '{', (size_t)(lb - s));
        const char *ne = dy_petr_trim_sp(s, brace ? brace : lb);
        const char *pl0 = NULL, *pl1 = NULL;
        if (brace) {
            pl0 = brace + 1;
            pl1 = memchr(pl0, '}', (size_t)(lb - pl0));
            if (!pl1) {
                dy_petr_flaw(c, line, "unclosed '{' in agent line");
                continue;
            }
        }
        strv names = {0};
        expand_subst(s, ne, sub, nsub, &names, 0);
        dy_buf t = {0};
        int count = 0;
        for (size_t i = 0; i < names.n; i++) {
            const char *nm = names.s[i];
            if (strchr(nm, '!')) {
                dy_petr_flaw(c, line, "unknown substitution set in '%s'; name skipped", nm);
                continue;
            }
            char w[MAX_WORDS][DY_WORD_MAX];
            int stop[MAX_WORDS];
            int k = dy_petr_split_words(nm, nm + strlen(nm), w, MAX_WORDS, stop, NAME_RESERVED);
            if (k <= 0) {
                dy_petr_flaw(c, line, "agent name '%s' has a reserved character or too many words; skipped", nm);
                continue;
            }
            if (count++) dy_buf_puts(&t, " | ");
            if (brace) dy_petr_put_exact(&t, w, k); /* its forms are listed: match exactly those */
            else {
                for (int j = 0; j < k; j++) dy_buf_printf(&t, "%s%s", j ? " " : "", w[j]);
                if (!stop[k - 1]) { /* and its regular plural */
                    char pl[DY_WORD_MAX];
                    dy_petr_noun_plural(w[k - 1], pl, sizeof pl);
                    dy_buf_puts(&t, " | ");
                    for (int j = 0; j + 1 < k; j++) dy_buf_printf(&t, "%s ", w[j]);
                    dy_buf_puts(&t, pl);
                }
            }
        }
        dy_petr_strv_free(&names);
        if (brace) /* listed plurals: "ATTORNEYS_GENERAL" */
            for (const char *p = dy_petr_skip_sp(pl0, pl1); p < pl1; p = dy_petr_skip_sp(p, pl1)) {
                const char *q = p;
                while (q < pl1 && *q != ' ' && *q != '\t') q++;
                char w[MAX_WORDS][DY_WORD_MAX];
                int k = dy_petr_split_words(p, q, w, MAX_WORDS, NULL, NAME_RESERVED);
                if (k > 0) {
                    if (count++) dy_buf_puts(&t, " | ");
                    dy_petr_put_exact(&t, w, k);
                }
                p = q;
            }
        if (!count) {
            dy_buf_free(&t);
            continue;
        }
        dy_buf_printf(&t, " => %s%.*s%s @append @standalone", suffix ? "~" : "", (int)(k1 - k0), k0,
                      prefix ? "~" : "");
        dy_petr_load(c, line, &t, K_AGENTS);
        dy_buf_free(&t);
    }
    for (int i = 0; i < nsub; i++) dy_petr_strv_free(&sub[i].words);
}

/* ==== discards =========================================================================== */

void dy_petr_load_discards(ctx *c, reader *r)
{
    while (!c->failed && dy_petr_next_line(r) == 0) {
        if (r->bad) continue;
        const char *s = dy_petr_skip_sp(r->buf.p, r->buf.p + r->buf.n), *end = dy_petr_trim_sp(s, r->buf.p + r->buf.n);
        if (s == end) continue;
        int story = *s == '+';
        if (story) s = dy_petr_skip_sp(s + 1, end);
        char w[MAX_WORDS][DY_WORD_MAX];
        int stop[MAX_WORDS];
        int k = dy_petr_split_words(s, end, w, MAX_WORDS, stop, NAME_RESERVED);
        if (k <= 0) {
            dy_petr_flaw(c, r->line, "discard phrase '%.*s' has a reserved character or too many words", (int)(end - s), s);
            continue;
        }
        /* a word ending in '_' is matched whole, others as the beginning of a word */
        dy_buf t = {0};
        for (int j = 0; j < k; j++) dy_buf_printf(&t, "%s%s%s", j ? " " : "", w[j], stop[j] ? "" : "*");
        if (story) dy_buf_puts(&t, " => story");
        dy_petr_load(c, r->line, &t, K_DISCARDS);
        dy_buf_free(&t);
    }
}

/* ==== issues ============================================================================= */

void dy_petr_load_issues(ctx *c, reader *r)
{
    r->markup = 1;
    int open = 0;
    while (!c->failed && dy_petr_next_line(r) == 0) {
        if (r->bad) continue;
        const char *s = dy_petr_skip_sp(r->buf.p, r->buf.p + r->buf.n), *end = dy_petr_trim_sp(s, r->buf.p + r->buf.n);
        if (s == end) continue;
        if (!strncmp(s, "<ISSUE", 6)) {
            if (open) dy_petr_flaw(c, r->line, "<ISSUE> inside another");
            if (!memmem(s, (size_t)(end - s), "CATEGORY=", 9)) dy_petr_flaw(c, r->line, "<ISSUE> without CATEGORY=");
            open = 1;
            continue;
        }
        if (!strncmp(s, "</ISSUE>", 8)) {
            if (!open) dy_petr_flaw(c, r->line, "</ISSUE> without <ISSUE>");
            open = 0;
            continue;
        }
        if (*s == '<') continue;
        if (!open) {
            dy_petr_flaw(c, r->line, "issue phrase outside <ISSUE> ... </ISSUE>");
            continue;
        }
        if (*s == '~') continue; /* a phrase that must not count */
        /* "phrase [CODE]"; a phrase without a code counts for the category itself */
        const char *lb = memchr(s, '[', (size_t)(end - s));
        if (lb && (end[-1] != ']' || lb == s)) {
            dy_petr_flaw(c, r->line, "malformed issue phrase (want 'phrase [CODE]')");
            continue;
        }
        c->d->nissue++;
    }
    if (open) dy_petr_flaw(c, r->line, "<ISSUE> not closed at the end of the file");
}
