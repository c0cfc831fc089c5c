/*
 * table.c — the public face of the table renderers (dyad.h "table formats"): a story's JSON
 * Lines from the coder, read back one record at a time, written as rows. (Until the coder
 * hands out typed records, the rows are made from its JSON, as the store's are.)
 */
#include <string.h>

#include "dyad.h"
#include "render/render.h"

int dyad_table_known(const char *name)
{
    return name && dy_renderer_find(name) != NULL;
}

const char *dyad_table_header(const char *name)
{
    const dy_renderer *t = name ? dy_renderer_find(name) : NULL;
    return t ? t->header : NULL;
}

int dyad_table_write(const char *name, const dyad_story *st, const char *jsonl, size_t len,
                     long long *next_id, FILE *out)
{
    const dy_renderer *t = name ? dy_renderer_find(name) : NULL;
    if (!t) return DYAD_EUSAGE;
    int rc = DYAD_OK;
    for (const char *p = jsonl, *end = jsonl + len; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        json_t *ev = n ? json_loadb(p, n, 0, NULL) : NULL;
        p += n + (nl != NULL);
        if (!n) continue;
        if (!ev) {
            rc = DYAD_EINPUT;
            continue;
        }
        json_t *acled = json_object_get(ev, "acled");
        if (!strcmp(dy_js(ev, "kind"), "event") && (!t->acled_only || json_is_object(acled))) {
            dy_render_row r;
            dy_render_row_init(&r, ev);
            r.id = (*next_id)++;
            r.source = st && st->source ? st->source : "";
            r.url = st && st->url ? st->url : "";
            r.story_date = st ? st->date : NULL;
            t->write(out, &r);
        }
        json_decref(ev);
    }
    return ferror(out) ? DYAD_EIO : rc;
}
