/* cmd_tune.c - `reluvet tune`: tune a list of problems into the wisdom
 * file, show what the wisdom holds (--show), or grade the tuner (--grade,
 * tune_grade.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "args.h"
#include "commands.h"
#include "reluvet/fileio.h"
#include "reluvet/wisdom_file.h"
#include "profiles.h"
#include "tune_grade.h"
#include "tune_problems.h"
#include "tune_vs_fixed.h"
#include "wisdom_opt.h"

#define CMD "tune"
#define COMPARE_ROUNDS 5

typedef struct tune_opts {
    rv_effort effort;
    double budget_s;
    int max_threads;
    const char *wisdom_arg;  /* --wisdom, or NULL */
    char wisdom_path[4096];
    int retune, show, grade;
    const char *report;
    rv_problem *problems;
    size_t count;
} tune_opts;

/* The thread cap of a `reluvet overfit` run by default (one run per core). */
static int harness_threads(void)
{
    int t = rvo_threads_per_run(rv_usable_cores());
    return t ? t : rv_usable_cores();
}

static void usage(FILE *f)
{
    fprintf(f,
        "usage: reluvet tune [options] [PROBLEM...]\n"
        "  Tunes each problem (default: the training shapes of the `reluvet overfit`\n"
        "  profiles, at the thread cap of its runs), prints the choices against naive\n"
        "  and the best single fixed variant, and records them in the wisdom file\n"
        "  (saved after each problem: an interrupted run resumes where it stopped);\n"
        "  `reluvet overfit` then runs the tuned kernels.\n"
        "  PROBLEM          OP:DTYPE:N,D,M[:FLAGS], e.g. layer_fwd:f64:20,1,500;\n"
        "                   FLAGS: h, dx, nobias joined by '+'\n"
        "  --shapes FILE    also tune the problems in FILE (one per line, # comments)\n"
        "  --effort E       measure (default) or exhaustive\n"
        "  --budget S       seconds per measure search (default %.1f)\n"
        "  --threads N      thread cap (default: the %d usable cores; for the\n"
        "                   default list, %d, the threads of one overfit run)\n"
        "  --wisdom PATH    wisdom file (default: $RELUVET_WISDOM, else\n"
        "                   $XDG_CACHE_HOME/reluvet/wisdom.json, else\n"
        "                   ~/.cache/reluvet/wisdom.json)\n"
        "  --retune         tune again problems the wisdom already holds\n"
        "  --show           print what the wisdom holds and exit\n"
        "  --grade          grade the tuner (measure vs exhaustive on held-out shapes,\n"
        "                   tuned vs fixed variants, tuning times, plan overhead);\n"
        "                   uses no wisdom file\n"
        "  --report PREFIX  --grade writes PREFIX.md and PREFIX.json (default %s)\n",
        RV_TUNE_DEFAULT_BUDGET_S, rv_usable_cores(), harness_threads(),
        RV_GRADE_DEFAULT_REPORT);
}

static int add_problem(tune_opts *o, const rv_problem *p)
{
    rv_problem *grown = realloc(o->problems, (o->count + 1) * sizeof *grown);
    if (!grown)
        return -1;
    o->problems = grown;
    o->problems[o->count++] = *p;
    return 0;
}

static int read_list(tune_opts *o, const char *path)
{
    char *text = NULL;
    size_t len = 0;
    rv_error err = {0};
    struct stat st; /* rv_read_file would block opening a FIFO */
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
        return rv_usage_error(CMD, "--shapes %s: not a regular file", path);
    if (rv_read_file(path, RV_TUNE_MAX_LIST_BYTES, &text, &len, &err) != RV_OK)
        return rv_usage_error(CMD, "--shapes: %s", err.msg);
    rv_problem *list = malloc(RV_TUNE_MAX_PROBLEMS * sizeof *list);
    size_t count = 0;
    char why[240];
    int rc = 0;
    if (!list)
        rc = rv_usage_error(CMD, "out of memory reading %s", path);
    else if (rv_parse_problem_list(text, len, list, RV_TUNE_MAX_PROBLEMS, &count, why,
                                   sizeof why) != 0)
        rc = rv_usage_error(CMD, "%s: %s", path, why);
    for (size_t i = 0; rc == 0 && i < count; i++)
        if (add_problem(o, &list[i]) != 0)
            rc = rv_usage_error(CMD, "out of memory reading %s", path);
    free(list);
    free(text);
    return rc;
}

static int is_value_option(const char *a)
{
    static const char *const names[] = {"--effort", "--budget", "--threads", "--wisdom",
                                        "--report", "--shapes"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(a, names[i]) == 0)
            return 1;
    return 0;
}

/* Parses argv into o; 0, or the exit status (usage errors print one line). */
static int parse(int argc, char **argv, tune_opts *o, int *done)
{
    char why[240];
    *done = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int has_value = i + 1 < argc;
        if (rv_arg_is_help(a)) {
            usage(stdout);
            *done = 1;
            return 0;
        } else if (strcmp(a, "--show") == 0) {
            o->show = 1;
        } else if (strcmp(a, "--grade") == 0) {
            o->grade = 1;
        } else if (strcmp(a, "--retune") == 0) {
            o->retune = 1;
        } else if (is_value_option(a) && !has_value) {
            return rv_usage_error(CMD, "option %s needs a value (see --help)", a);
        } else if (strcmp(a, "--effort") == 0) {
            const char *e = argv[++i];
            if (strcmp(e, "measure") == 0)
                o->effort = RV_EFFORT_MEASURE;
            else if (strcmp(e, "exhaustive") == 0)
                o->effort = RV_EFFORT_EXHAUSTIVE;
            else
                return rv_usage_error(CMD, "--effort '%s': must be measure or exhaustive", e);
        } else if (strcmp(a, "--budget") == 0) {
            if (rv_arg_double(argv[++i], 0.001, 3600, &o->budget_s, why, sizeof why) != 0)
                return rv_usage_error(CMD, "--budget: %s", why);
        } else if (strcmp(a, "--threads") == 0) {
            long t;
            if (rv_arg_long(argv[++i], 1, RV_MAX_THREADS, &t, why, sizeof why) != 0)
                return rv_usage_error(CMD, "--threads: %s", why);
            o->max_threads = (int)t;
        } else if (strcmp(a, "--wisdom") == 0) {
            o->wisdom_arg = argv[++i];
            if (!*o->wisdom_arg)
                return rv_usage_error(CMD, "--wisdom: empty path");
        } else if (strcmp(a, "--report") == 0) {
            o->report = argv[++i];
            if (!*o->report)
                return rv_usage_error(CMD, "--report: empty prefix");
        } else if (strcmp(a, "--shapes") == 0) {
            int rc = read_list(o, argv[++i]);
            if (rc)
                return rc;
        } else if (a[0] == '-') {
            return rv_usage_error(CMD, "unknown option '%s' (see --help)", a);
        } else {
            rv_problem p;
            if (rv_parse_problem(a, &p, why, sizeof why) != 0)
                return rv_usage_error(CMD, "%s", why);
            if (add_problem(o, &p) != 0)
                return rv_usage_error(CMD, "out of memory");
        }
    }
    if (o->show + o->grade > 1 || ((o->show || o->grade) && o->count))
        return rv_usage_error(CMD, "--show and --grade take no problems and exclude each other");
    return 0;
}

/* Creates *w from the wisdom file; an unusable file is a warning (its
 * problems are tuned again) and *usable = 0. Returns 0, or 1 out of memory. */
static int load_wisdom(const tune_opts *o, rv_wisdom **w, int *usable)
{
    return rv_cli_wisdom_load(CMD, o->wisdom_path, "its problems are tuned again", w, usable);
}

static int show(const tune_opts *o)
{
    rv_wisdom *w = NULL;
    int usable;
    if (load_wisdom(o, &w, &usable) != 0)
        return 1;
    rv_fingerprint fp;
    rv_fingerprint_current(&fp);
    printf("wisdom file: %s\n", o->wisdom_path);
    printf("valid for: %s, %d usable cores, BLIS %s (%s kernels), %s, kernel set %s\n",
           fp.cpu_model, fp.usable_cores, fp.blis_version, fp.blis_kernel_set, fp.compiler,
           fp.kernel_set);
    printf("%zu entries%s\n", rv_wisdom_count(w), usable ? "" : " usable (the file was rejected)");
    if (rv_wisdom_count(w))
        printf("%-44s %-5s %-30s %-10s %12s %16s %s\n", "problem", "cap", "choice", "effort",
               "time/call", "rate", "candidates (failed)");
    for (size_t i = 0; i < rv_wisdom_count(w); i++) {
        const rv_wisdom_entry *e = rv_wisdom_at(w, i);
        char prob[160], cand[96];
        const char *unit;
        double rate = rv_problem_rate(&e->problem, e->seconds, &unit);
        printf("%-44s %-5d %-30s %-10s %9.2f us %8.2f %-7s %d (%d)\n",
               rv_problem_describe(&e->problem, prob, sizeof prob), e->max_threads,
               rv_candidate_describe(&e->choice, cand, sizeof cand),
               e->effort == RV_EFFORT_EXHAUSTIVE ? "exhaustive" : "measure", e->seconds * 1e6,
               rate, unit, e->candidates, e->failed);
    }
    rv_wisdom_destroy(w);
    return usable ? 0 : 1;
}

/* Prints the failed candidates of a search (they are never chosen). */
static int print_failures(const rv_tune_report *rep)
{
    int failed = 0;
    char prob[160], cand[96];
    for (size_t i = 0; i < rep->count; i++) {
        const rv_cand_result *r = &rep->results[i];
        if (r->status != RV_CAND_FAILED)
            continue;
        failed++;
        printf("  check FAILED (not chosen): %s: %s: %s\n",
               rv_problem_describe(&rep->problem, prob, sizeof prob),
               rv_candidate_describe(&r->cand, cand, sizeof cand), r->note);
    }
    return failed;
}

/* Tunes (or looks up) one problem, saves the wisdom, prints its row. */
/* What the searches of a run add up to. */
typedef struct totals {
    double search_s;
    int failed, disturbed;
} totals;

static int tune_one(const tune_opts *o, rv_wisdom *w, size_t i, totals *sum)
{
    const rv_problem *p = &o->problems[i];
    rv_tune_report rep = {0};
    rv_plan_opts po = {.effort = o->effort, .max_threads = o->max_threads, .wisdom = w,
                       .budget_s = o->budget_s, .report = &rep};
    rv_plan *plan = NULL;
    rv_error err = {0};
    char prob[160], cand[96], best[96];
    rv_problem_describe(p, prob, sizeof prob);
    if (o->retune)
        rv_wisdom_forget(w, p, o->max_threads);
    if (rv_plan_create(&plan, p->op, p->dt, p->shape, p->flags, &po, &err) != RV_OK) {
        fprintf(stderr, "reluvet tune: %s: %s\n", prob, err.msg);
        rv_tune_report_clear(&rep);
        return 1;
    }
    sum->search_s += rep.elapsed_s;
    sum->disturbed += rep.disturbed;
    int searched = rep.count > 0;
    if (searched)
        fprintf(stderr, "[%zu/%zu] %s: %zu candidates in %.2f s%s\n", i + 1, o->count, prob,
                rep.count, rep.elapsed_s, rep.budget_hit ? " (budget reached)" : "");
    else
        fprintf(stderr, "[%zu/%zu] %s: from wisdom\n", i + 1, o->count, prob);
    sum->failed += print_failures(&rep);
    rv_tune_report_clear(&rep);
    rv_error warn = {0};
    if (rv_wisdom_save(w, o->wisdom_path, &warn, &err) != RV_OK) {
        fprintf(stderr, "reluvet tune: %s\n", err.msg);
        rv_plan_destroy(plan);
        return 1;
    }
    if (warn.code != RV_OK)
        fprintf(stderr, "reluvet tune: warning: %s\n", warn.msg);
    rv_candidate c = {rv_plan_variant(plan), rv_plan_kernel_opts(plan)};
    rv_vs_fixed vs;
    rv_plan_destroy(plan);
    if (rv_time_vs_fixed(p, &c, 1, o->max_threads, COMPARE_ROUNDS, &vs, &err) != RV_OK) {
        fprintf(stderr, "reluvet tune: %s: %s\n", prob, err.msg);
        return 1;
    }
    const char *unit;
    double rate = rv_problem_rate(p, vs.mine_s[0], &unit);
    rv_candidate bf = rv_fixed_candidate(vs.best_fixed, o->max_threads);
    printf("%-40s %-30s %-11s %9.2f us %8.2f %-7s %7.2fx %7.2fx (%s)\n", prob,
           rv_candidate_describe(&c, cand, sizeof cand),
           !searched ? "wisdom" : o->effort == RV_EFFORT_MEASURE ? "measure" : "exhaustive",
           vs.mine_s[0] * 1e6, rate, unit, vs.fixed_s[RV_VAR_NAIVE] / vs.mine_s[0],
           vs.best_fixed_s / vs.mine_s[0], rv_candidate_describe(&bf, best, sizeof best));
    fflush(stdout);
    return 0;
}

static int tune(tune_opts *o)
{
    if (o->count == 0) {
        o->problems = malloc(RVO_MAX_PROFILE_PROBLEMS * sizeof *o->problems);
        if (!o->problems)
            return 1;
        o->count = rvo_profiles_problems(o->problems);
    }
    rv_error err = {0};
    /* Before loading (whose warning would say "tuned again" of a file we
     * are about to refuse) and before any search: a target the save would
     * refuse (a device, FIFO, folder, unreadable file) stops the run here,
     * in one line. */
    if (rv_wisdom_check_writable(o->wisdom_path, &err) != RV_OK) {
        fprintf(stderr, "reluvet tune: %s\n", err.msg);
        return 1;
    }
    rv_wisdom *w = NULL;
    int usable;
    if (load_wisdom(o, &w, &usable) != 0)
        return 1;
    printf("tuning %zu problems, effort %s, thread cap %d, wisdom %s\n", o->count,
           o->effort == RV_EFFORT_MEASURE ? "measure" : "exhaustive", o->max_threads,
           o->wisdom_path);
    printf("%-40s %-30s %-11s %12s %16s %8s %s\n", "problem", "choice", "from", "time/call",
           "rate", "vs naive", "vs best fixed variant (same thread cap)");
    fflush(stdout); /* the header before the progress on stderr, also in one redirected file */
    totals sum = {0};
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < o->count; i++)
        rc = tune_one(o, w, i, &sum);
    if (rc == 0)
        printf("searched for %.1f s in all; %d candidate(s) failed their check; %d timing "
               "batch(es) run again after preemption by other processes; wisdom: %s (%zu "
               "entries)\n", sum.search_s, sum.failed, sum.disturbed, o->wisdom_path,
               rv_wisdom_count(w));
    rv_wisdom_destroy(w);
    return rc;
}

int cmd_tune(int argc, char **argv)
{
    tune_opts o = {.effort = RV_EFFORT_MEASURE, .report = RV_GRADE_DEFAULT_REPORT};
    int done;
    int rc = parse(argc, argv, &o, &done);
    if (rc == 0 && !done) {
        if (o.max_threads == 0) /* the default list is tuned as overfit runs it */
            o.max_threads = o.count || o.grade || o.show ? rv_usable_cores() : harness_threads();
        if (o.grade)
            rc = rv_tune_grade(o.report, o.max_threads);
        else if ((rc = rv_cli_wisdom_path(CMD, o.wisdom_arg, 1, o.wisdom_path,
                                          sizeof o.wisdom_path)) == 0)
            rc = o.show ? show(&o) : tune(&o);
    }
    free(o.problems);
    return rc;
}
