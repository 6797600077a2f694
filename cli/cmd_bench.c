/* cmd_bench.c - `reluvet bench`: runs reluvet-bench (Google Benchmark JSON),
 * the PyTorch peer when python3 can import torch, and writes the report.
 *
 * reluvet-bench and the peer script are found relative to this executable
 * (/proc/self/exe), in the installed layout (bin/ -> libexec/reluvet/,
 * share/reluvet/peers/; relative paths from cli/CMakeLists.txt) or else in
 * the build tree's (cli/ -> bench/, bench/peers/). No path of the build is
 * compiled in, so a moved or installed tree works. */
#include <errno.h>
#include <limits.h>
#include <regex.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "args.h"
#include "bench_report.h"
#include "commands.h"
#include "reluvet/reluvet.h"
#include "shapes.h"

extern char **environ;

/* Where the results go unless --out says otherwise: relative to the current
 * folder, never to the build or source tree. */
#define RV_BENCH_DEFAULT_OUT "bench-results"

#ifndef RV_HAVE_BENCH
#define RV_HAVE_BENCH 0
#endif
#ifndef RV_REL_LIBEXEC
#define RV_REL_LIBEXEC "../libexec/reluvet"
#endif
#ifndef RV_REL_DATA
#define RV_REL_DATA "../share/reluvet"
#endif
#ifndef RV_REL_BUILD_BENCH
#define RV_REL_BUILD_BENCH "../bench"
#endif

/* The folder of this executable, without a trailing slash; 0, or -1 with
 * why. */
static int exe_dir(char *buf, size_t cap, char *why, size_t why_cap)
{
    ssize_t n = readlink("/proc/self/exe", buf, cap - 1);
    if (n < 0 || (size_t)n >= cap - 1) {
        snprintf(why, why_cap, "cannot tell where this executable is (/proc/self/exe: %s)",
                 n < 0 ? strerror(errno) : "path too long");
        return -1;
    }
    buf[n] = '\0';
    char *slash = strrchr(buf, '/');
    if (!slash) {
        snprintf(why, why_cap, "cannot tell where this executable is (/proc/self/exe: %s)",
                 buf);
        return -1;
    }
    *(slash == buf ? slash + 1 : slash) = '\0';
    return 0;
}

/* The first of <exe dir>/<rel[i]>/<name> that exists with access mode mode,
 * into path; 0 when found, else -1 with why naming the places looked at. */
static int find_helper(const char *const rel[], size_t nrel, const char *name, int mode,
                       char *path, size_t cap, char *why, size_t why_cap)
{
    char dir[PATH_MAX];
    if (exe_dir(dir, sizeof dir, why, why_cap) != 0)
        return -1;
    size_t used = (size_t)snprintf(why, why_cap, "cannot find %s (looked for", name);
    for (size_t i = 0; i < nrel; i++) {
        const char *r = rel[i][0] ? rel[i] : ".";
        int len = snprintf(path, cap, "%s/%s/%s", dir, r, name);
        if (len > 0 && (size_t)len < cap && access(path, mode) == 0)
            return 0;
        if (used < why_cap)
            used += (size_t)snprintf(why + used, why_cap - used, "%s %s", i ? " and" : "",
                                     len > 0 && (size_t)len < cap ? path : r);
    }
    if (used < why_cap)
        snprintf(why + used, why_cap - used, ")");
    return -1;
}

static void usage(FILE *f)
{
    fprintf(f,
            "usage: reluvet bench [--quick] [--out DIR] [--filter REGEX] [--seed N]\n"
            "                     [--python EXE | --no-torch] [--report-only]\n"
            "  Runs every (operation, variant, dtype), the tuned dispatch, the roofs (BLIS\n"
            "  gemm, memcpy) and the peers (oneDNN; PyTorch when EXE can import torch),\n"
            "  then writes DIR/bench.json, DIR/torch.json (Google Benchmark JSON),\n"
            "  DIR/bench.md (ratios, targets) and DIR/fig/*.svg.\n"
            "  --quick       CI smoke subset (under a minute); default run: under 10 minutes\n"
            "  --out DIR     default ./%s\n"
            "  --filter RE   only the cases whose name matches RE (Google Benchmark regex)\n"
            "  --seed N      seed of the benchmark data (default 1)\n"
            "  --python EXE  interpreter for the PyTorch peer (default /usr/bin/python3 when\n"
            "                present, else python3); --no-torch skips the peer\n"
            "  --report-only rewrite DIR/bench.md and the figures from DIR's JSON files\n"
            "  Compare runs with /usr/share/benchmark/compare.py (see bench/README.md).\n",
            RV_BENCH_DEFAULT_OUT);
}

/* Runs argv[0] with argv; returns its exit status, or -1 (errno-style
 * message in why) when it could not be started or died from a signal. */
static int run(char *const argv[], char *why, size_t cap)
{
    pid_t pid;
    int rc = posix_spawnp(&pid, argv[0], NULL, NULL, argv, environ);
    if (rc != 0) {
        snprintf(why, cap, "cannot run %s: %s", argv[0], strerror(rc));
        return -1;
    }
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR) {
            snprintf(why, cap, "lost track of %s: %s", argv[0], strerror(errno));
            return -1;
        }
    if (WIFSIGNALED(st)) {
        snprintf(why, cap, "%s was killed by signal %d", argv[0], WTERMSIG(st));
        return -1;
    }
    return WEXITSTATUS(st);
}

typedef struct bench_opts {
    int quick, torch, report_only;
    const char *out, *filter, *python;
    unsigned long seed;
} bench_opts;

/* An argument vector under construction: constant words are pointed to,
 * formatted ones are kept in num[]. */
enum { MAX_ARGS = 160 };
typedef struct argvec {
    char *v[MAX_ARGS + 1];
    char num[MAX_ARGS][32];
    int n;
} argvec;

static void push(argvec *a, const char *word)
{
    if (a->n < MAX_ARGS)
        a->v[a->n++] = (char *)word;
}

static void push_num(argvec *a, const char *fmt, double x)
{
    if (a->n < MAX_ARGS) {
        snprintf(a->num[a->n], sizeof a->num[0], fmt, x);
        a->v[a->n] = a->num[a->n];
        a->n++;
    }
}

/* The PyTorch peer on the harness shapes (the --quick subset when quick),
 * matching the filter. Returns 0 with json written, else 1 with note saying
 * why there is none; *io_failed (with err) when json could not be published. */
static int torch_peer(const bench_opts *o, const char *json, char *note, size_t cap,
                      rv_error *err, int *io_failed)
{
    argvec *a = calloc(1, sizeof *a);
    static char names[MAX_ARGS][200];
    static char script[PATH_MAX];
    char tmp[PATH_MAX + 32];
    char why[PATH_MAX * 2 + 100];
    if (!a) {
        snprintf(note, cap, "PyTorch peer not run: out of memory");
        return 1;
    }
    static const char *const peer_dirs[] = {RV_REL_DATA "/peers", RV_REL_BUILD_BENCH "/peers"};
    if (find_helper(peer_dirs, 2, "torch_step.py", R_OK, script, sizeof script, why,
                    sizeof why) != 0) {
        snprintf(note, cap, "PyTorch peer not run: %s", why);
        free(a);
        return 1;
    }
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", json, (long)getpid());
    const char *head[] = {o->python, script, "--out", tmp, "--min-time",
                          o->quick ? "0.02" : "0.1", "--repetitions", o->quick ? "1" : "3"};
    for (size_t i = 0; i < sizeof head / sizeof head[0]; i++)
        push(a, head[i]);
    push(a, "--seed");
    push_num(a, "%.0f", (double)o->seed);
    regex_t re;
    if (o->filter && regcomp(&re, o->filter, REG_EXTENDED | REG_NOSUB) != 0) {
        snprintf(note, cap, "the filter is not a POSIX extended regex: PyTorch peer skipped");
        free(a);
        return 1;
    }
    size_t count;
    int cases = 0, t[2], nt = rvb_thread_counts(t);
    const rvb_layer_shape *ls = rvb_layer_shapes(RVB_SET_HARNESS, &count);
    for (size_t i = 0; i < count; i++)
        for (int k = 0; k < nt && (!o->quick || ls[i].quick); k++) {
            char *name = names[cases];
            rvb_case_name(name, sizeof names[0], "step", "peer-torch", RV_F64, RVB_SET_HARNESS,
                          ls[i].s, t[k]);
            if ((o->filter && regexec(&re, name, 0, NULL, 0) != 0) || a->n + 7 > MAX_ARGS)
                continue;
            push(a, "--case");
            push(a, name);
            push_num(a, "%.0f", (double)ls[i].s.n);
            push_num(a, "%.0f", (double)ls[i].s.d);
            push_num(a, "%.0f", (double)ls[i].s.m);
            push_num(a, "%.0f", t[k]);
            push_num(a, "%.17g", rvb_step_flops(ls[i].s));
            cases++;
        }
    if (o->filter)
        regfree(&re);
    a->v[a->n] = NULL;
    int rc = 1;
    if (!cases) {
        snprintf(note, cap, "no PyTorch case matches the filter");
    } else if ((rc = run(a->v, why, sizeof why)) != 0) {
        unlink(tmp);
        if (rc == 3)
            snprintf(note, cap, "%s cannot import torch (install python3-torch)", o->python);
        else if (rc < 0)
            snprintf(note, cap, "PyTorch peer not run: %s", why);
        else
            snprintf(note, cap, "PyTorch peer failed (exit status %d)", rc);
        rc = 1;
    } else if (rvr_publish_file(tmp, json, err) != RV_OK) {
        *io_failed = rc = 1;
    }
    free(a);
    return rc;
}

/* Returns -1 to go on, else the exit status (0 after --help, 2 on misuse). */
static int parse(int argc, char **argv, bench_opts *o)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *value = i + 1 < argc ? argv[i + 1] : NULL;
        int takes_value = strcmp(a, "--out") == 0 || strcmp(a, "--filter") == 0 ||
                          strcmp(a, "--python") == 0 || strcmp(a, "--seed") == 0;
        if (takes_value && !value)
            return rv_usage_error("bench", "%s needs a value", a);
        if (strcmp(a, "--quick") == 0) {
            o->quick = 1;
        } else if (strcmp(a, "--no-torch") == 0) {
            o->torch = 0;
        } else if (strcmp(a, "--report-only") == 0) {
            o->report_only = 1;
        } else if (strcmp(a, "--out") == 0) {
            o->out = argv[++i];
            if (!o->out[0]) /* the same words as overfit's */
                return rv_usage_error("bench", "--out: empty folder name");
        } else if (strcmp(a, "--filter") == 0) {
            o->filter = argv[++i];
        } else if (strcmp(a, "--python") == 0) {
            o->python = argv[++i];
        } else if (strcmp(a, "--seed") == 0) {
            char why[120];
            long seed;
            if (rv_arg_long(argv[++i], 0, 0xFFFFFFFFL, &seed, why, sizeof why) != 0)
                return rv_usage_error("bench", "--seed: %s", why);
            o->seed = (unsigned long)seed;
        } else if (rv_arg_is_help(a)) {
            usage(stdout);
            return 0;
        } else {
            return rv_usage_error("bench", "unknown argument '%s' (see reluvet bench --help)", a);
        }
    }
    return -1;
}

int cmd_bench(int argc, char **argv)
{
    bench_opts o = {.torch = 1, .out = RV_BENCH_DEFAULT_OUT, .seed = 1,
                    .python = access("/usr/bin/python3", X_OK) == 0 ? "/usr/bin/python3"
                                                                     : "python3"};
    int rc = parse(argc, argv, &o);
    if (rc >= 0)
        return rc;
    static char bench_exe[PATH_MAX];
    if (!o.report_only) {
        if (!RV_HAVE_BENCH) {
            fprintf(stderr, "reluvet bench: the benchmarks were not built: Google Benchmark "
                            "(libbenchmark-dev) was not found, or RELUVET_BENCH was OFF, when "
                            "reluvet was configured (--report-only still works)\n");
            return 1;
        }
        static const char *const bench_dirs[] = {RV_REL_LIBEXEC, RV_REL_BUILD_BENCH};
        char why[PATH_MAX * 2 + 100];
        if (find_helper(bench_dirs, 2, "reluvet-bench", X_OK, bench_exe, sizeof bench_exe, why,
                        sizeof why) != 0) {
            fprintf(stderr, "reluvet bench: %s\n", why);
            return 1;
        }
    }
    rv_error err = {0};
    if (rv_make_dirs(o.out, &err) != RV_OK) {
        fprintf(stderr, "reluvet bench: %s\n", err.msg);
        return 1;
    }
    char json[PATH_MAX], torch_json[PATH_MAX], tmp[PATH_MAX], outflag[PATH_MAX + 32];
    char seedflag[48], filterflag[1100];
    if (snprintf(json, sizeof json, "%s/bench.json", o.out) >= (int)sizeof json ||
        snprintf(torch_json, sizeof torch_json, "%s/torch.json", o.out) >= (int)sizeof json ||
        snprintf(tmp, sizeof tmp, "%s.tmp.%ld", json, (long)getpid()) >= (int)sizeof tmp ||
        snprintf(outflag, sizeof outflag, "--benchmark_out=%s", tmp) >= (int)sizeof outflag ||
        snprintf(filterflag, sizeof filterflag, "--benchmark_filter=%s",
                 o.filter ? o.filter : ".") >= (int)sizeof filterflag) {
        return rv_usage_error("bench", "--out or --filter is too long");
    }
    snprintf(seedflag, sizeof seedflag, "--seed=%lu", o.seed);
    char *bargv[] = {bench_exe, seedflag, outflag, "--benchmark_out_format=json", filterflag,
                     o.quick ? "--quick" : NULL, NULL};

    char note[PATH_MAX * 3] = "PyTorch peer skipped (--no-torch)";
    int have_torch;
    if (o.report_only) {
        have_torch = access(torch_json, R_OK) == 0;
        snprintf(note, sizeof note, "no PyTorch results in %s", o.out);
    } else {
        char why[300];
        rc = run(bargv, why, sizeof why);
        if (rc != 0) {
            unlink(tmp);
            if (rc == 2) /* reluvet-bench's usage status: here, nothing matched --filter */
                return rv_usage_error("bench", "no benchmark case matches --filter '%s'",
                                      o.filter ? o.filter : ".");
            if (rc < 0)
                fprintf(stderr, "reluvet bench: %s\n", why);
            else
                fprintf(stderr, "reluvet bench: reluvet-bench failed (exit status %d)\n", rc);
            return 1;
        }
        if (rvr_publish_file(tmp, json, &err) != RV_OK) {
            fprintf(stderr, "reluvet bench: %s\n", err.msg);
            return 1;
        }
        int io_failed = 0;
        have_torch =
            o.torch && !torch_peer(&o, torch_json, note, sizeof note, &err, &io_failed);
        if (io_failed) {
            fprintf(stderr, "reluvet bench: %s\n", err.msg);
            return 1;
        }
        if (!have_torch)
            unlink(torch_json); /* no stale peer results beside this run's */
    }
    rvr_bench_input in = {.bench_json = json, .torch_json = have_torch ? torch_json : NULL,
                          .torch_note = have_torch ? NULL : note, .out_dir = o.out};
    rvr_bench_result res;
    if (rvr_bench_report(&in, &res, &err) != RV_OK) {
        fprintf(stderr, "reluvet bench: %s\n", err.msg);
        return 1;
    }
    printf("reluvet bench: %s\n  results %s%s%s\n  targets: %d met, %d missed, %d not judged\n"
           "  figures: %d in %s/fig%s%s\n",
           res.markdown, json, have_torch ? ", " : "", have_torch ? torch_json : "", res.met,
           res.missed, res.unjudged, res.figures, o.out, res.figures_note[0] ? ": " : "",
           res.figures_note);
    if (!have_torch)
        printf("  %s\n", note);
    return 0;
}
