/*
 * sgml2jsonl.c — benchmark helper: turns Reuters-21578 SGML files into dyad's JSON Lines
 * stories ({"id","date","title","text"}), so the benchmark codes real wire-story text.
 * Usage: sgml2jsonl FILE.sgm... > stories.jsonl
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *months[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};

/* Copies the text between <tag> and </tag> in [s, e) into a new string, or NULL. */
static char *between(const char *s, const char *e, const char *tag)
{
    char open[32], close[32];
    snprintf(open, sizeof open, "<%s>", tag);
    snprintf(close, sizeof close, "</%s>", tag);
    const char *a = strstr(s, open);
    if (!a || a >= e) return NULL;
    a += strlen(open);
    const char *b = strstr(a, close);
    if (!b || b > e) return NULL;
    return strndup(a, (size_t)(b - a));
}

/* Writes s as a JSON string, turning SGML entities &lt; &gt; &amp; back into characters and
 * dropping the control characters the files carry. */
static void json_str(const char *s)
{
    putchar('"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '&' && !strncmp(s, "&lt;", 4)) { putchar('<'); s += 3; }
        else if (c == '&' && !strncmp(s, "&gt;", 4)) { putchar('>'); s += 3; }
        else if (c == '&' && !strncmp(s, "&amp;", 5)) { putchar('&'); s += 4; }
        else if (c == '"' || c == '\\') { putchar('\\'); putchar(c); }
        else if (c == '\n') fputs("\\n", stdout);
        else if (c < 0x20 || c >= 0x80) putchar(' ');
        else putchar(c);
    }
    putchar('"');
}

int main(int argc, char **argv)
{
    for (int f = 1; f < argc; f++) {
        FILE *in = fopen(argv[f], "rb");
        if (!in) { perror(argv[f]); return 1; }
        fseek(in, 0, SEEK_END);
        long n = ftell(in);
        fseek(in, 0, SEEK_SET);
        char *buf = malloc((size_t)n + 1);
        if (!buf || fread(buf, 1, (size_t)n, in) != (size_t)n) { perror(argv[f]); return 1; }
        buf[n] = 0;
        fclose(in);
        for (char *p = buf; (p = strstr(p, "<REUTERS")); ) {
            char *end = strstr(p, "</REUTERS>");
            if (!end) break;
            char *id = strstr(p, "NEWID=\"");
            char *date = between(p, end, "DATE"), *title = between(p, end, "TITLE"), *body = between(p, end, "BODY");
            if (body && date && id && id < end) {
                int day = atoi(date), y = 0, m = 0;
                for (int k = 0; k < 12; k++) if (strstr(date, months[k]) == date + 3 || strstr(date, months[k]) == date + 2) m = k + 1;
                char *yy = strchr(date, '-');
                if (yy) yy = strchr(yy + 1, '-');
                if (yy) y = atoi(yy + 1);
                printf("{\"id\":\"reut-%d\",\"date\":\"%04d-%02d-%02d\",\"title\":", atoi(id + 7), y, m ? m : 1, day ? day : 1);
                json_str(title ? title : "");
                printf(",\"text\":");
                json_str(body);
                printf("}\n");
            }
            free(date); free(title); free(body);
            p = end;
        }
        free(buf);
    }
    return 0;
}
