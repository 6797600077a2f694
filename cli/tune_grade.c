/* tune_grade.c - `reluvet tune --grade` (see tune_grade.h). */
#include "tune_grade.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "reluvet/fileio.h"
#include "machine_quiet.h"
#include "profiles.h"
#include "reluvet/wisdom_file.h"
#include "tune_vs_fixed.h"

#define ROUNDS 15          /* interleaved samples per candidate in comparisons */
#define OVERHEAD_ROUNDS 63
#define T_MEASURE_RATIO 0.95
#define T_MEASURE_SHARE 0.90
#define T_MEASURE_FLOOR 0.80
#define T_VS_FIXED 0.95
#define T_LIST_SECONDS 60.0
#define T_OVERHEAD 0.01
#define QUIET_BUSY 0.25      /* the machine is quiet below this busy share */
#define QUIET_WAIT_S 120.0   /* at most this long waited for quiet, in all */

/* The held-out shapes: none is in the harness's default list; together they
 * span d = 1..4096, n = 16..4096, m = 16..4096, both dtypes, both layer
 * ops, tiny to about 0.5 GFLOP per call (a few minutes on 2 cores). */
static const rv_problem held_out[] = {
    {RV_OP_LAYER_FWD, RV_F64, {16, 1, 4096}, 0},
    {RV_OP_LAYER_FWD, RV_F64, {4096, 1, 16}, 0},
    {RV_OP_LAYER_FWD, RV_F64, {64, 3, 700}, 0},
    {RV_OP_LAYER_FWD, RV_F64, {256, 64, 256}, 0},
    {RV_OP_LAYER_FWD, RV_F64, {1024, 512, 128}, 0},
    {RV_OP_LAYER_FWD, RV_F64, {16, 4096, 64}, 0},
    {RV_OP_LAYER_FWD, RV_F64, {2000, 30, 2000}, 0},
    {RV_OP_LAYER_FWD, RV_F64, {333, 777, 555}, 0},
    {RV_OP_LAYER_BWD, RV_F64, {16, 1, 4096}, 0},
    {RV_OP_LAYER_BWD, RV_F64, {4096, 8, 64}, 0},
    {RV_OP_LAYER_BWD, RV_F64, {128, 256, 1024}, 0},
    {RV_OP_LAYER_BWD, RV_F64, {32, 4096, 32}, 0},
    {RV_OP_LAYER_BWD, RV_F64, {700, 100, 900}, 0},
    {RV_OP_LAYER_BWD, RV_F64, {4096, 2, 512}, 0},
    {RV_OP_LAYER_FWD, RV_F32, {16, 2, 16}, 0},
    {RV_OP_LAYER_FWD, RV_F32, {512, 1, 2048}, 0},
    {RV_OP_LAYER_FWD, RV_F32, {4096, 128, 128}, 0},
    {RV_OP_LAYER_FWD, RV_F32, {64, 4096, 256}, 0},
    {RV_OP_LAYER_FWD, RV_F32, {1500, 50, 3000}, 0},
    {RV_OP_LAYER_FWD, RV_F32, {200, 2000, 100}, 0},
    {RV_OP_LAYER_BWD, RV_F32, {16, 16, 16}, 0},
    {RV_OP_LAYER_BWD, RV_F32, {1024, 1, 1024}, 0},
    {RV_OP_LAYER_BWD, RV_F32, {256, 1024, 256}, 0},
    {RV_OP_LAYER_BWD, RV_F32, {4096, 32, 512}, 0},
    {RV_OP_LAYER_BWD, RV_F32, {100, 4096, 16}, 0},
    {RV_OP_LAYER_BWD, RV_F32, {48, 10, 4096}, 0},
};
#define NHELD (sizeof held_out / sizeof held_out[0])

typedef struct search_result {
    rv_candidate choice;
    double seconds;  /* the search's own duration */
    size_t tried;
    int failed;
    int disturbed;   /* timing batches re-run after preemption by other processes */
} search_result;

typedef struct row {
    rv_problem p;
    search_result meas, exh;
    rv_vs_fixed vs;       /* mine_s[0]: measure's choice, [1]: exhaustive's */
    int same;             /* both searches chose the same candidate */
    double ratio;         /* measure speed / exhaustive speed (1 when same) */
    double vs_best_fixed; /* measure speed / best fixed variant's speed */
} row;

typedef struct list_time {
    double wall_s;
    int failed;
    int disturbed;
} list_time;

typedef struct grade {
    int max_threads;
    row rows[NHELD];
    list_time list_meas, list_exh;
    size_t list_count;
    rv_overhead overhead;
    double geo_vs_fixed[RV_VARIANT_COUNT]; /* geometric mean speed-up over each */
    size_t n_ratio_ok;
    double min_ratio, min_vs_fixed;
    double load_before, load_after; /* 1-minute load average */
    int disturbed;
    double waited_s;      /* waiting for other processes to finish */
    int busy_starts;      /* steps that started while the machine was busy */
} grade;

/* Before each timed step: wait (within the overall allowance) until other
 * processes leave the CPUs alone, and count the steps they did not. */
static void settle(grade *g)
{
    int quiet;
    double left = QUIET_WAIT_S - g->waited_s;
    g->waited_s += rv_wait_quiet(QUIET_BUSY, left > 0 ? left : 0, &quiet);
    g->busy_starts += !quiet;
}

/* The 1-minute load average (-1 if unknown): how busy the machine was. */
static double load_average(void)
{
    double load = -1;
    FILE *f = fopen("/proc/loadavg", "r");
    if (f) {
        if (fscanf(f, "%lf", &load) != 1)
            load = -1;
        fclose(f);
    }
    return load;
}

/* ---- measuring ---- */

static int search(const rv_problem *p, rv_effort effort, int max_threads, search_result *out)
{
    rv_tune_report rep = {0};
    rv_plan_opts po = {.effort = effort, .max_threads = max_threads, .report = &rep};
    rv_plan *plan = NULL;
    rv_error err = {0};
    if (rv_plan_create(&plan, p->op, p->dt, p->shape, p->flags, &po, &err) != RV_OK) {
        char prob[160];
        fprintf(stderr, "reluvet tune: %s: %s\n", rv_problem_describe(p, prob, sizeof prob),
                err.msg);
        return 1;
    }
    out->choice = (rv_candidate){rv_plan_variant(plan), rv_plan_kernel_opts(plan)};
    out->seconds = rep.elapsed_s;
    out->tried = rep.count;
    out->disturbed = rep.disturbed;
    out->failed = 0;
    for (size_t i = 0; i < rep.count; i++)
        out->failed += rep.results[i].status == RV_CAND_FAILED;
    rv_tune_report_clear(&rep);
    rv_plan_destroy(plan);
    return 0;
}

static int grade_row(row *r, const rv_problem *p, int max_threads)
{
    r->p = *p;
    if (search(p, RV_EFFORT_MEASURE, max_threads, &r->meas) ||
        search(p, RV_EFFORT_EXHAUSTIVE, max_threads, &r->exh))
        return 1;
    r->same = rv_candidate_equal(&r->meas.choice, &r->exh.choice);
    rv_candidate mine[2] = {r->meas.choice, r->exh.choice};
    rv_error err = {0};
    if (rv_time_vs_fixed(p, mine, r->same ? 1 : 2, max_threads, ROUNDS, &r->vs, &err) != RV_OK) {
        fprintf(stderr, "reluvet tune: %s\n", err.msg);
        return 1;
    }
    r->ratio = r->same ? 1 : r->vs.mine_s[1] / r->vs.mine_s[0];
    r->vs_best_fixed = r->vs.best_fixed_s / r->vs.mine_s[0];
    return 0;
}

static int time_list(rv_effort effort, int max_threads, list_time *out, size_t *count)
{
    rv_problem *list = malloc(RVO_MAX_PROFILE_PROBLEMS * sizeof *list);
    if (!list)
        return 1;
    size_t n = rvo_profiles_problems(list);
    *out = (list_time){0};
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        search_result s;
        rc = search(&list[i], effort, max_threads, &s);
        out->wall_s += s.seconds;
        out->failed += s.failed;
        out->disturbed += s.disturbed;
    }
    *count = n;
    free(list);
    return rc;
}

/* The overhead of a measure plan at n = d = m = 64, single-threaded: the
 * plan's cost per call does not depend on the kernel's threads, and a
 * threaded kernel's fork/join jitter would hide a 1% difference. */
static int measure_overhead(rv_overhead *out)
{
    rv_plan_opts po = {.effort = RV_EFFORT_MEASURE, .max_threads = 1};
    rv_plan *plan = NULL;
    rv_error err = {0};
    rv_status s = rv_plan_create(&plan, RV_OP_LAYER_FWD, RV_F64, (rv_shape){64, 64, 64}, 0, &po,
                                 &err);
    if (s == RV_OK)
        s = rv_plan_overhead(plan, OVERHEAD_ROUNDS, out, &err);
    rv_plan_destroy(plan);
    if (s != RV_OK)
        fprintf(stderr, "reluvet tune: overhead: %s\n", err.msg);
    return s != RV_OK;
}

static void summarise(grade *g)
{
    g->n_ratio_ok = 0;
    g->min_ratio = g->min_vs_fixed = INFINITY;
    double logsum[RV_VARIANT_COUNT] = {0};
    for (size_t i = 0; i < NHELD; i++) {
        const row *r = &g->rows[i];
        g->n_ratio_ok += r->ratio >= T_MEASURE_RATIO;
        g->min_ratio = fmin(g->min_ratio, r->ratio);
        g->min_vs_fixed = fmin(g->min_vs_fixed, r->vs_best_fixed);
        g->disturbed += r->meas.disturbed + r->exh.disturbed;
        for (int v = 0; v < RV_VARIANT_COUNT; v++)
            if (r->vs.fixed_s[v] > 0)
                logsum[v] += log(r->vs.fixed_s[v] / r->vs.mine_s[0]);
    }
    for (int v = 0; v < RV_VARIANT_COUNT; v++)
        g->geo_vs_fixed[v] = logsum[v] != 0 ? exp(logsum[v] / NHELD) : 0;
    g->disturbed += g->list_meas.disturbed + g->list_exh.disturbed;
}

/* One line on how busy the machine was: timings are only as good as that. */
static void load_line(FILE *b, const grade *g)
{
    fprintf(b, "Machine load (1-minute average) %.2f before the grading, %.2f at its end "
              "(its own threads included), on %d usable cores. Each step waited for the "
              "other processes to use under %.0f%% of the CPUs (%.0f s waited in all); %d of "
              "%zu steps started on a busy machine anyway; %d timing batches were run again "
              "after another process preempted this one.%s\n", g->load_before, g->load_after,
              rv_usable_cores(), 100 * QUIET_BUSY, g->waited_s, g->busy_starts, NHELD + 3,
              g->disturbed, g->busy_starts ? " Threaded timings on a busy machine are "
                                             "unreliable." : "");
}

/* ---- reporting ---- */

typedef struct target {
    char name[64];
    char value[96];
    const char *goal;
    int met;
} target;

static size_t targets(const grade *g, target *t)
{
    size_t n = 0;
    double share = (double)g->n_ratio_ok / NHELD;
    t[n] = (target){"measure >= 0.95x exhaustive speed", "", ">= 90% of shapes",
                    share >= T_MEASURE_SHARE};
    snprintf(t[n++].value, sizeof t->value, "%zu of %zu shapes (%.0f%%)", g->n_ratio_ok,
             (size_t)NHELD, 100 * share);
    t[n] = (target){"measure vs exhaustive, worst shape", "", ">= 0.80x",
                    g->min_ratio >= T_MEASURE_FLOOR};
    snprintf(t[n++].value, sizeof t->value, "%.3fx", g->min_ratio);
    t[n] = (target){"tuned vs best fixed variant, worst shape", "", ">= 0.95x",
                    g->min_vs_fixed >= T_VS_FIXED};
    snprintf(t[n++].value, sizeof t->value, "%.3fx", g->min_vs_fixed);
    for (int v = 0; v < RV_VARIANT_COUNT; v++) {
        if (g->geo_vs_fixed[v] == 0)
            continue;
        t[n] = (target){"", "", "> 1x", g->geo_vs_fixed[v] > 1};
        snprintf(t[n].name, sizeof t->name, "tuned vs fixed %s, geometric mean",
                 rv_variant_name((rv_variant)v));
        snprintf(t[n++].value, sizeof t->value, "%.2fx", g->geo_vs_fixed[v]);
    }
    t[n] = (target){"measure tuning of the default list", "", "< 60 s",
                    g->list_meas.wall_s < T_LIST_SECONDS};
    snprintf(t[n++].value, sizeof t->value, "%.1f s for %zu shapes (exhaustive: %.1f s)",
             g->list_meas.wall_s, g->list_count, g->list_exh.wall_s);
    double ovh = g->overhead.ratio - 1;
    t[n] = (target){"plan overhead, layer_fwd f64 n=d=m=64, 1 thread", "", "< 1%",
                    ovh < T_OVERHEAD};
    snprintf(t[n++].value, sizeof t->value, "%+.2f%% (plan %.2f us, direct %.2f us per call)",
             100 * ovh, g->overhead.plan_s * 1e6, g->overhead.direct_s * 1e6);
    return n;
}

/* The per-shape table, as Markdown (md = 1) or plain text. */
static void shape_table(FILE *b, const grade *g, int md)
{
    const char *sep = md ? " | " : "  ";
    fprintf(b, "%s%-40s%s%-28s%s%-28s%s%8s%s%-22s%s%9s%s%s%s\n", md ? "| " : "", "problem",
              sep, "measure choice", sep, "exhaustive choice", sep, "meas/exh", sep,
              "best fixed (all cores)", sep, "tuned/fixed", sep,
              "search s (measure / exhaustive)", md ? " |" : "");
    if (md)
        fprintf(b, "|---|---|---|---:|---|---:|---:|\n");
    for (size_t i = 0; i < NHELD; i++) {
        const row *r = &g->rows[i];
        char prob[160], mc[96], ec[96], bf[96];
        rv_candidate best = rv_fixed_candidate(r->vs.best_fixed, g->max_threads);
        fprintf(b, "%s%-40s%s%-28s%s%-28s%s%7.3fx%s%-22s%s%8.3fx%s%.2f / %.2f%s\n",
                  md ? "| " : "", rv_problem_describe(&r->p, prob, sizeof prob), sep,
                  rv_candidate_describe(&r->meas.choice, mc, sizeof mc), sep,
                  r->same ? "(same)" : rv_candidate_describe(&r->exh.choice, ec, sizeof ec), sep,
                  r->ratio, sep, rv_candidate_describe(&best, bf, sizeof bf), sep,
                  r->vs_best_fixed, sep, r->meas.seconds, r->exh.seconds, md ? " |" : "");
    }
}

static void target_table(FILE *b, const target *t, size_t n, int md)
{
    if (md)
        fprintf(b, "| target | value | goal | met |\n|---|---|---|---|\n");
    for (size_t i = 0; i < n; i++)
        fprintf(b, md ? "| %s | %s | %s | %s |\n" : "%-48s %-52s %-18s %s\n", t[i].name,
                  t[i].value, t[i].goal, t[i].met ? "MET" : "MISSED");
}

/* The Markdown report (a string the caller frees), or NULL out of memory. */
static char *markdown(const grade *g, const target *t, size_t nt)
{
    rv_fingerprint fp;
    rv_fingerprint_current(&fp);
    char *text = NULL;
    size_t len = 0;
    FILE *b = open_memstream(&text, &len);
    if (!b)
        return NULL;
    fprintf(b, "# Tuner grading\n\n%s, %d usable cores (thread cap %d), BLIS %s (%s "
            "kernels), %s, kernel set %s.\n\nEach candidate is timed in %d interleaved "
            "rounds in one run; a ratio is the median over rounds of the two times in the "
            "same round, so that load changing between rounds cancels. Ratios > 1 favour "
            "the tuned choice.\n",
            fp.cpu_model, fp.usable_cores, g->max_threads, fp.blis_version,
            fp.blis_kernel_set, fp.compiler, fp.kernel_set, ROUNDS);
    load_line(b, g);
    fprintf(b, "\n## Held-out shapes\n\n");
    shape_table(b, g, 1);
    fprintf(b, "\n## Targets\n\n");
    target_table(b, t, nt, 1);
    if (fclose(b) != 0) {
        free(text);
        return NULL;
    }
    return text;
}

static cJSON *candidate_json(const rv_candidate *c)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "variant", rv_variant_name(c->variant));
    cJSON_AddNumberToObject(o, "threads", c->opts.threads);
    cJSON_AddNumberToObject(o, "block_rows", c->opts.block_rows);
    cJSON_AddNumberToObject(o, "block_cols", c->opts.block_cols);
    return o;
}

static char *json(const grade *g, const target *t, size_t nt)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddNumberToObject(root, "max_threads", g->max_threads);
    cJSON_AddNumberToObject(root, "rounds", ROUNDS);
    cJSON_AddNumberToObject(root, "load_before", g->load_before);
    cJSON_AddNumberToObject(root, "load_after", g->load_after);
    cJSON_AddNumberToObject(root, "disturbed_batches", g->disturbed);
    cJSON_AddNumberToObject(root, "waited_for_quiet_s", g->waited_s);
    cJSON_AddNumberToObject(root, "steps_started_busy", g->busy_starts);
    cJSON *rows = cJSON_AddArrayToObject(root, "shapes");
    for (size_t i = 0; i < NHELD; i++) {
        const row *r = &g->rows[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "op", rv_op_name(r->p.op));
        cJSON_AddStringToObject(o, "dtype", rv_dtype_name(r->p.dt));
        cJSON_AddNumberToObject(o, "n", (double)r->p.shape.n);
        cJSON_AddNumberToObject(o, "d", (double)r->p.shape.d);
        cJSON_AddNumberToObject(o, "m", (double)r->p.shape.m);
        cJSON_AddItemToObject(o, "measure_choice", candidate_json(&r->meas.choice));
        cJSON_AddItemToObject(o, "exhaustive_choice", candidate_json(&r->exh.choice));
        cJSON_AddNumberToObject(o, "measure_s_per_call", r->vs.mine_s[0]);
        cJSON_AddNumberToObject(o, "exhaustive_s_per_call", r->same ? r->vs.mine_s[0]
                                                                    : r->vs.mine_s[1]);
        cJSON_AddNumberToObject(o, "measure_vs_exhaustive", r->ratio);
        cJSON_AddStringToObject(o, "best_fixed", rv_variant_name(r->vs.best_fixed));
        cJSON_AddNumberToObject(o, "tuned_vs_best_fixed", r->vs_best_fixed);
        cJSON *fixed = cJSON_AddObjectToObject(o, "fixed_s_per_call");
        for (int v = 0; v < RV_VARIANT_COUNT; v++)
            if (r->vs.fixed_s[v] > 0)
                cJSON_AddNumberToObject(fixed, rv_variant_name((rv_variant)v), r->vs.fixed_s[v]);
        cJSON_AddNumberToObject(o, "measure_search_s", r->meas.seconds);
        cJSON_AddNumberToObject(o, "exhaustive_search_s", r->exh.seconds);
        cJSON_AddNumberToObject(o, "measure_candidates", (double)r->meas.tried);
        cJSON_AddNumberToObject(o, "exhaustive_candidates", (double)r->exh.tried);
        cJSON_AddNumberToObject(o, "failed_checks", r->meas.failed + r->exh.failed);
        cJSON_AddItemToArray(rows, o);
    }
    cJSON *list = cJSON_AddObjectToObject(root, "default_list");
    cJSON_AddNumberToObject(list, "shapes", (double)g->list_count);
    cJSON_AddNumberToObject(list, "measure_s", g->list_meas.wall_s);
    cJSON_AddNumberToObject(list, "exhaustive_s", g->list_exh.wall_s);
    cJSON *ovh = cJSON_AddObjectToObject(root, "overhead_layer_fwd_f64_64");
    cJSON_AddNumberToObject(ovh, "plan_s_per_call", g->overhead.plan_s);
    cJSON_AddNumberToObject(ovh, "direct_s_per_call", g->overhead.direct_s);
    cJSON_AddNumberToObject(ovh, "median_ratio", g->overhead.ratio);
    cJSON *tg = cJSON_AddArrayToObject(root, "targets");
    for (size_t i = 0; i < nt; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "target", t[i].name);
        cJSON_AddStringToObject(o, "value", t[i].value);
        cJSON_AddStringToObject(o, "goal", t[i].goal);
        cJSON_AddBoolToObject(o, "met", t[i].met);
        cJSON_AddItemToArray(tg, o);
    }
    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    return text;
}

static int write_report(const char *prefix, const char *ext, char *text)
{
    char path[4096];
    rv_error err = {0};
    int rc = 0;
    if (snprintf(path, sizeof path, "%s.%s", prefix, ext) >= (int)sizeof path || !text) {
        fprintf(stderr, "reluvet tune: cannot write %s.%s: path too long or out of memory\n",
                prefix, ext);
        rc = 1;
    } else if (rv_write_file_atomic(path, text, strlen(text), &err) != RV_OK) {
        fprintf(stderr, "reluvet tune: %s\n", err.msg);
        rc = 1;
    } else {
        printf("wrote %s\n", path);
    }
    free(text);
    return rc;
}

int rv_tune_grade(const char *prefix, int max_threads)
{
    grade *g = calloc(1, sizeof *g);
    if (!g)
        return 1;
    g->max_threads = max_threads;
    g->load_before = load_average();
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < NHELD; i++) {
        char prob[160];
        fprintf(stderr, "[held-out %zu/%zu] %s\n", i + 1, (size_t)NHELD,
                rv_problem_describe(&held_out[i], prob, sizeof prob));
        settle(g);
        rc = grade_row(&g->rows[i], &held_out[i], max_threads);
    }
    if (rc == 0) {
        fprintf(stderr, "[default list] measure, then exhaustive\n");
        settle(g);
        rc = time_list(RV_EFFORT_MEASURE, max_threads, &g->list_meas, &g->list_count);
    }
    if (rc == 0) {
        settle(g);
        rc = time_list(RV_EFFORT_EXHAUSTIVE, max_threads, &g->list_exh, &g->list_count);
    }
    if (rc == 0) {
        settle(g);
        rc = measure_overhead(&g->overhead);
    }
    if (rc == 0) {
        g->load_after = load_average();
        summarise(g);
        target t[16];
        size_t nt = targets(g, t);
        shape_table(stdout, g, 0);
        printf("\n");
        target_table(stdout, t, nt, 0);
        load_line(stdout, g);
        int failed = g->list_meas.failed + g->list_exh.failed;
        for (size_t i = 0; i < NHELD; i++)
            failed += g->rows[i].meas.failed + g->rows[i].exh.failed;
        printf("%d candidate check(s) failed in all searches (failed candidates are never "
               "chosen)\n", failed);
        rc = write_report(prefix, "md", markdown(g, t, nt)) |
             write_report(prefix, "json", json(g, t, nt));
    }
    free(g);
    return rc;
}
