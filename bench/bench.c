/*
 * bench.c — dyad's benchmark: codes a JSON Lines corpus with the `dyad` binary and reports,
 * from one run, medians of wall time, sentences/s and MB/s on one core, the ratio to `wc -w`
 * over the same bytes, the dictionary load time (the built-in set: its image, compiled at build
 * time; others: from text) and the peak resident memory; with --jobs,
 * the wall time of `dyad code -j 1` and `-j 2` measured in turns and their ratio. With the
 * built-in dictionaries it also prints instructions per sentence, counted by callgrind over the
 * first SLICE_STORIES stories less a run on empty input (the noise-free figure), and the
 * start-up time (dictionaries and gazetteer: `dyad code` on empty input, median of 5).
 * Usage: bench DYAD STORIES.jsonl [LABEL] [-- extra dyad code options]
 *        bench --jobs DYAD STORIES.jsonl
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include "dyad.h"

#define RUNS 3
#define SLICE_STORIES 2000 /* the stories callgrind counts instructions over */

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Runs argv with stdin from in (or /dev/null) and stdout to /dev/null; returns wall seconds
 * and the child's peak RSS in KiB. */
/* Runs argv with stdin from in (or /dev/null) and stdout to /dev/null; returns wall seconds,
 * and the child's CPU seconds (user + system) in *cpu and its peak RSS in KiB in *maxrss. */
static int quiet_stderr; /* run(): the child's stderr to /dev/null (start-up on empty input) */
static double run(char **argv, const char *in, long *maxrss, double *cpu)
{
    double t0 = now();
    pid_t pid = fork();
    if (pid == 0) {
        int fd = open(in ? in : "/dev/null", O_RDONLY);
        int nul = open("/dev/null", O_WRONLY);
        dup2(fd, 0);
        dup2(nul, 1);
        if (quiet_stderr) dup2(nul, 2);
        execvp(argv[0], argv);
        _exit(127);
    }
    int st;
    struct rusage ru;
    wait4(pid, &st, 0, &ru);
    double t = now() - t0;
    if (!WIFEXITED(st) || WEXITSTATUS(st) > 1) {
        fprintf(stderr, "bench: %s failed (status %d)\n", argv[0], st);
        exit(1);
    }
    if (maxrss) *maxrss = ru.ru_maxrss;
    if (cpu)
        *cpu = (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
               ru.ru_stime.tv_usec / 1e6;
    return t;
}

/* The instructions valgrind's callgrind counted for `dyad code -j 1 --quiet IN` (ir out of the
 * file it writes beside corpus), or -1 when valgrind is missing or fails. */
static double callgrind_ir(const char *dyad, const char *in, const char *dir)
{
    char out[4096], arg[4200];
    snprintf(out, sizeof out, "%s/callgrind.out", dir);
    snprintf(arg, sizeof arg, "--callgrind-out-file=%s", out);
    pid_t pid = fork();
    if (pid == 0) {
        int nul = open("/dev/null", O_RDWR);
        dup2(nul, 0), dup2(nul, 1), dup2(nul, 2);
        execlp("valgrind", "valgrind", "--tool=callgrind", arg, dyad, "code", "--quiet", "-j", "1", in, (char *)NULL);
        _exit(127);
    }
    int st;
    if (pid < 0 || waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) > 1) return -1;
    FILE *f = fopen(out, "r");
    double ir = -1;
    char line[512];
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, "totals:", 7) || !strncmp(line, "summary:", 8)) ir = atof(strchr(line, ':') + 1);
    if (f) fclose(f);
    unlink(out);
    return ir;
}

/* `dyad code -j 1` against `-j 2` on the same stories: JOB_PAIRS pairs timed in turns, so
 * that a drift of the machine's speed (other work on it) weighs on both alike. Prints the
 * medians, the ratio of the medians, and the median, lowest and highest ratio of a pair. */
#define JOB_PAIRS 5
static int bench_jobs(const char *dyad, const char *corpus)
{
    double wall[2][JOB_PAIRS], cpu[2][JOB_PAIRS], ratio[JOB_PAIRS];
    for (int r = 0; r < JOB_PAIRS; r++) {
        for (int j = 0; j < 2; j++) {
            char *cmd[] = {(char *)dyad, "code", "--quiet", "-j", j ? "2" : "1", (char *)corpus, NULL};
            wall[j][r] = run(cmd, NULL, NULL, &cpu[j][r]);
        }
        ratio[r] = wall[0][r] / wall[1][r];
    }
    for (int j = 0; j < 2; j++) {
        qsort(wall[j], JOB_PAIRS, sizeof *wall[j], cmp_d);
        qsort(cpu[j], JOB_PAIRS, sizeof *cpu[j], cmp_d);
    }
    qsort(ratio, JOB_PAIRS, sizeof *ratio, cmp_d);
    double speedup = wall[0][JOB_PAIRS / 2] / wall[1][JOB_PAIRS / 2];
    printf("== dyad code -j 1 and -j 2, built-in dictionaries: %s (%ld online cores)\n", corpus,
           sysconf(_SC_NPROCESSORS_ONLN));
    for (int j = 0; j < 2; j++)
        printf("  -j %d, median of %d     %8.3f s wall, %.3f s CPU\n", j + 1, JOB_PAIRS, wall[j][JOB_PAIRS / 2],
               cpu[j][JOB_PAIRS / 2]);
    printf("  -j 2 / -j 1 speed     %8.2f x   target >= 1.80 %s (ratio of the medians; of a pair: median %.2f, "
           "%.2f to %.2f)\n",
           speedup, speedup >= 1.8 ? "met" : "MISSED", ratio[JOB_PAIRS / 2], ratio[0], ratio[JOB_PAIRS - 1]);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 4 && !strcmp(argv[1], "--jobs")) return bench_jobs(argv[2], argv[3]);
    if (argc < 3) {
        fprintf(stderr, "usage: bench DYAD STORIES.jsonl [LABEL] [-- dyad code options]\n");
        return 2;
    }
    const char *dyad = argv[1], *corpus = argv[2], *label = argc > 3 && strcmp(argv[3], "--") ? argv[3] : "built-in dictionaries";
    char *extra[16];
    int nextra = 0;
    for (int i = 3; i < argc; i++)
        if (!strcmp(argv[i], "--"))
            for (int k = i + 1; k < argc && nextra < 12; k++) extra[nextra++] = argv[k];
    struct stat sb;
    if (stat(corpus, &sb)) {
        perror(corpus);
        return 1;
    }
    double mb = (double)sb.st_size / 1e6;

    /* sentences and stories: count once in-process with the same dictionaries */
    dyad_error err = {0};
    const char *dictdir = NULL;
    for (int k = 0; k + 1 < nextra; k++)
        if (!strcmp(extra[k], "--dict")) dictdir = extra[k + 1];
    double loads[5];
    dyad_dict *d = NULL;
    for (int r = 0; r < 5; r++) {
        if (d) dyad_dict_free(d);
        double t0 = now();
        int rc = 0;
        if (dictdir) { /* read and translated from text */
            d = dyad_dict_new(NULL, NULL, 0);
            rc = dyad_dict_load_dir(d, dictdir, &err);
            if (!rc) rc = dyad_dict_finish(d, &err);
        } else if (!(d = dyad_dict_open_builtin(&err))) /* compiled at build time, as dyad does */
            rc = err.code ? err.code : DYAD_ENOMEM;
        loads[r] = now() - t0;
        if (rc) {
            fprintf(stderr, "bench: dictionaries: %s\n", err.message);
            return 1;
        }
    }
    qsort(loads, 5, sizeof *loads, cmp_d);
    /* the same dictionaries compiled into an image and mapped (dyad dict compile, --dict FILE) */
    double maps[5] = {0};
    static char img[4096]; /* in $TMPDIR: a test run checks that /tmp is left as it was */
    const char *tmp = getenv("TMPDIR");
    snprintf(img, sizeof img, "%s/dyad-bench-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    int have_img = 0;
    if (dictdir) {
        int fd = mkstemp(img);
        if (fd >= 0) close(fd);
        if (fd < 0 || dyad_dict_save_image(d, img, &err)) maps[2] = -1;
        for (int r = 0; r < 5 && maps[2] >= 0; r++) {
            double t0 = now();
            dyad_dict *m = dyad_dict_open_image(img, &err);
            maps[r] = now() - t0;
            dyad_dict_free(m);
        }
        qsort(maps, 5, sizeof *maps, cmp_d);
        /* the timed runs code with the image, as a user who compiled the set would */
        if (maps[2] >= 0)
            for (int k = 0; k + 1 < nextra; k++)
                if (!strcmp(extra[k], "--dict")) extra[k + 1] = img, have_img = 1;
        if (!have_img && fd >= 0) unlink(img);
    }
    dyad_coder *c = dyad_coder_new(d, NULL);
    FILE *f = fopen(corpus, "rb");
    dyad_reader *rd = dyad_reader_open(f, corpus, DYAD_FORMAT_JSONL, NULL, 0);
    size_t stories = 0, sentences = 0, events = 0, slice_sentences = 0, read = 0;
    dyad_story st;
    int rc;
    while ((rc = dyad_reader_next(rd, &st, &err)) != DYAD_DONE) {
        if (rc == DYAD_OK && dyad_story_code(c, &st, &err) == DYAD_OK) {
            stories++;
            sentences += dyad_coder_sentence_count(c);
            events += dyad_coder_event_count(c);
        }
        if (++read == SLICE_STORIES) slice_sentences = sentences; /* one line is one story */
    }
    dyad_reader_close(rd);
    fclose(f);
    dyad_coder_free(c);
    dyad_dict_free(d);

    /* wall time of the real command and of wc -w, interleaved, medians of RUNS */
    double tw[RUNS], td[RUNS], tc[RUNS];
    long rss = 0, r1;
    char *wc[] = {"wc", "-w", NULL};
    char *cmd[24] = {(char *)dyad, "code", "--quiet", "-j", "1"}; /* one core: the rates are per core */
    int nc = 5;
    for (int k = 0; k < nextra; k++) cmd[nc++] = extra[k];
    cmd[nc++] = (char *)corpus;
    cmd[nc] = NULL;
    for (int r = 0; r < RUNS; r++) {
        tw[r] = run(wc, corpus, NULL, NULL);
        td[r] = run(cmd, NULL, &r1, &tc[r]);
        if (r1 > rss) rss = r1;
    }
    qsort(tw, RUNS, sizeof *tw, cmp_d);
    qsort(td, RUNS, sizeof *td, cmp_d);
    if (have_img) unlink(img);
    qsort(tc, RUNS, sizeof *tc, cmp_d);
    /* the rate "on one core" is the rate per second of CPU the coder used (it is single-
     * threaded); wall time is printed beside it, since other work on the machine inflates it */
    double wall = td[RUNS / 2], t = tc[RUNS / 2], w = tw[RUNS / 2];
    printf("== dyad code, %s: %s (%.1f MB, %zu stories, %zu sentences, %zu events)%s\n", label, corpus, mb,
           stories, sentences, events, have_img ? " — coded from the compiled image" : "");
    if (dictdir) /* the 1.3 s target is the built-in dictionaries' */
        printf("  median of %d runs     %8.3f s CPU, %.3f s wall   (wc -w: %.3f s wall)\n", RUNS, t, wall, w);
    else
        printf("  median of %d runs     %8.3f s CPU, %.3f s wall   target <= 1.3 s CPU %s (wc -w: %.3f s wall)\n", RUNS,
               t, wall, t <= 1.3 ? "met" : "MISSED", w);
    printf("  sentences/s          %8.0f       target >= 50000  %s (per CPU second, one core; per wall second %.0f)\n",
           sentences / t, sentences / t >= 50000 ? "met" : "MISSED", sentences / wall);
    printf("  MB/s                 %8.2f\n", mb / t);
    printf("  time / wc -w         %8.1f x   (wall / wall)\n", wall / w);
    double load_target = dictdir ? 300 : 50; /* a PETRARCH/Phoenix set is read and translated */
    printf("  dictionary load      %8.1f ms    target <= %.0f ms %s (median of 5; %s)\n", loads[2] * 1e3, load_target,
           loads[2] * 1e3 <= load_target ? "met" : "MISSED", dictdir ? "from text" : "the built-in image");
    if (dictdir)
        printf("  image load (mapped)  %8.1f ms    target <= 50 ms %s (dyad dict compile; median of 5)\n",
               maps[2] * 1e3, maps[2] >= 0 && maps[2] * 1e3 <= 50 ? "met" : "MISSED");
    const char *base = getenv("BENCH_BASE_RATE"); /* sentences/s with the built-in dictionaries */
    if (base && atof(base) > 0)
        printf("  speed / built-in     %8.2f       target >= 0.50  %s\n", sentences / t / atof(base),
               sentences / t / atof(base) >= 0.5 ? "met" : "MISSED");
    if (!nextra) { /* the built-in dictionaries: start-up and instructions per sentence */
        char dir[4096], slice[4200], empty[4200];
        snprintf(dir, sizeof dir, "%s", corpus);
        char *slash = strrchr(dir, '/');
        if (slash) *slash = 0;
        else snprintf(dir, sizeof dir, ".");
        snprintf(slice, sizeof slice, "%s/slice.jsonl", dir);
        snprintf(empty, sizeof empty, "%s/empty.jsonl", dir);
        FILE *in = fopen(corpus, "rb"), *out = fopen(slice, "wb"), *e = fopen(empty, "wb");
        int ch, lines = 0;
        while (in && out && lines < SLICE_STORIES && (ch = getc(in)) != EOF) {
            putc(ch, out);
            if (ch == '\n') lines++;
        }
        if (in) fclose(in);
        if (out) fclose(out);
        if (e) fclose(e);
        double starts[5];
        char *startup[] = {(char *)dyad, "code", "--quiet", "-j", "1", empty, NULL};
        quiet_stderr = 1; /* "empty input: no story in it" */
        for (int r = 0; r < 5; r++) starts[r] = run(startup, NULL, NULL, NULL);
        quiet_stderr = 0;
        qsort(starts, 5, sizeof *starts, cmp_d);
        printf("  start-up             %8.1f ms    target <= 50 ms %s (dictionaries and gazetteer: dyad code on "
               "empty input, median of 5)\n",
               starts[2] * 1e3, starts[2] * 1e3 <= 50 ? "met" : "MISSED");
        double ir_slice = callgrind_ir(dyad, slice, dir), ir_empty = ir_slice >= 0 ? callgrind_ir(dyad, empty, dir) : -1;
        if (ir_slice < 0 || ir_empty < 0 || !slice_sentences)
            printf("  instructions/sentence    (not measured: valgrind missing or failed)\n");
        else {
            double ips = (ir_slice - ir_empty) / (double)slice_sentences;
            printf("  instructions/sentence %7.0f       target <= 40000 %s (callgrind: first %d stories, %zu sentences, "
                   "less start-up)\n",
                   ips, ips <= 40000 ? "met" : "MISSED", SLICE_STORIES, slice_sentences);
        }
        unlink(slice);
        unlink(empty);
    }
    printf("  peak RSS             %8.1f MB    target <= 200 MB %s\n", rss / 1024.0, rss / 1024.0 <= 200 ? "met" : "MISSED");
    return 0;
}
