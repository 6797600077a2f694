/* tune.c - the search: check, time and choose among candidates (the
 * effort levels and the pruning rule are documented in reluvet/tune.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tune_check.h"
#include "tune_internal.h"
#include "tune_time.h"
#include "tune_ws.h"

typedef struct search {
    const rv_tune_job *job;
    rv_run_fn run;
    rv_checker *checker;
    rv_ws *ws;              /* rotating timing buffers at the full shape */
    rv_candidate *grid;
    size_t ngrid;
    unsigned char *tried;   /* per grid point */
    size_t *rank;           /* per result: its grid position */
    rv_tune_report *rep;
    double t0;
    double best;            /* fastest median so far; 0 before any */
} search;

rv_status rv_call_candidate(void *ctx, const void *args, rv_error *err)
{
    const rv_cand_call *k = ctx;
    return k->run(k->op, k->c->variant, k->dt, &k->c->opts, args, err);
}

void rv_tune_report_clear(rv_tune_report *rep)
{
    if (!rep)
        return;
    free(rep->results);
    memset(rep, 0, sizeof *rep);
}

/* The samples of a candidate after its warm-up; measure may prune it. */
static rv_status sample_candidate(search *s, rv_timer *t, rv_cand_result *r, int prune,
                                  rv_error *err)
{
    rv_status st;
    if (prune && t->warm_s > RV_TUNE_ABORT_WARM * s->best) {
        r->status = RV_CAND_PRUNED;
        r->median_s = t->warm_s;
        return RV_OK;
    }
    for (int i = 0; i < RV_TUNE_SAMPLES; i++) {
        if ((st = rv_timer_sample(t, err)) != RV_OK)
            return st;
        if (i == 0 && prune && t->samples[0] > RV_TUNE_ABORT_SAMPLE * s->best) {
            r->status = RV_CAND_PRUNED;
            r->median_s = t->samples[0];
            r->samples = 1;
            return RV_OK;
        }
    }
    r->status = RV_CAND_TIMED;
    r->median_s = rv_timer_median(t, &r->spread);
    r->samples = t->count;
    if (s->best == 0 || r->median_s < s->best)
        s->best = r->median_s;
    return RV_OK;
}

/* Warm-up and samples of one checked candidate. */
static rv_status time_candidate(search *s, rv_cand_result *r, rv_error *err)
{
    const rv_tune_job *job = s->job;
    int prune = job->effort == RV_EFFORT_MEASURE && s->best > 0;
    rv_cand_call ctx = {s->run, job->problem.op, job->problem.dt, &r->cand};
    rv_timer t;
    rv_timer_init(&t, rv_call_candidate, &ctx, s->ws, RV_TIMER_BATCH_S);
    rv_status st = rv_timer_warm(&t, err);
    if (st == RV_OK)
        st = sample_candidate(s, &t, r, prune, err);
    s->rep->disturbed += t.disturbed;
    return st;
}

/* Checks and times grid point gi unless already tried. */
static rv_status try_point(search *s, size_t gi, rv_error *err)
{
    if (gi >= s->ngrid || s->tried[gi])
        return RV_OK;
    s->tried[gi] = 1;
    rv_tune_report *rep = s->rep;
    rv_cand_result *r = &rep->results[rep->count];
    memset(r, 0, sizeof *r);
    r->cand = s->grid[gi];
    s->rank[rep->count++] = gi;
    if (!rv_checker_passes(s->checker, &r->cand, r->note, sizeof r->note)) {
        r->status = RV_CAND_FAILED;
        return RV_OK;
    }
    return time_candidate(s, r, err);
}

static size_t find_point(const search *s, rv_candidate c)
{
    c = rv_candidate_normalize(c);
    for (size_t i = 0; i < s->ngrid; i++)
        if (rv_candidate_equal(&s->grid[i], &c))
            return i;
    return s->ngrid;
}

/* Measure's step 2 stops when this says so (step 1 always completes). */
static int out_of_budget(search *s)
{
    if (s->best == 0)
        return 0;
    if (rv_now() - s->t0 <= s->job->budget_s)
        return 0;
    s->rep->budget_hit = 1;
    return 1;
}

/* The fastest timed (else least-pruned) result of variant v with default
 * blocks; NULL when it has none. */
static const rv_cand_result *best_default(const search *s, rv_variant v)
{
    const rv_cand_result *best = NULL;
    for (size_t i = 0; i < s->rep->count; i++) {
        const rv_cand_result *r = &s->rep->results[i];
        if (r->cand.variant != v || r->status == RV_CAND_FAILED || r->cand.opts.block_rows ||
            r->cand.opts.block_cols)
            continue;
        if (!best || (r->status == RV_CAND_TIMED && best->status != RV_CAND_TIMED) ||
            (r->status == best->status && r->median_s < best->median_s))
            best = r;
    }
    return best;
}

/* The block_rows (dim 0) or block_cols (dim 1) of the fastest timed result
 * of (v, threads, other dimension fixed at `fixed`). */
static int best_block(const search *s, rv_variant v, int threads, int dim, int fixed)
{
    const rv_cand_result *best = NULL;
    for (size_t i = 0; i < s->rep->count; i++) {
        const rv_cand_result *r = &s->rep->results[i];
        const rv_opts *o = &r->cand.opts;
        if (r->cand.variant == v && o->threads == threads && r->status == RV_CAND_TIMED &&
            (dim == 0 ? o->block_cols : o->block_rows) == fixed &&
            (!best || r->median_s < best->median_s))
            best = r;
    }
    return !best ? 0 : dim == 0 ? best->cand.opts.block_rows : best->cand.opts.block_cols;
}

/* Coordinate search over the blocks of variant v at `threads`. */
static rv_status search_blocks_at(search *s, rv_variant v, int threads, rv_error *err)
{
    const int *vals;
    int rows = 0;
    for (int dim = 0; dim < 2; dim++) {
        size_t count = dim == 0 ? rv_tune_block_rows(&vals) : rv_tune_block_cols(&vals);
        for (size_t i = 1; i < count; i++) {
            if (out_of_budget(s))
                return RV_OK;
            rv_opts o = {threads, dim == 0 ? vals[i] : rows, dim == 0 ? 0 : vals[i]};
            rv_status st = try_point(s, find_point(s, (rv_candidate){v, o}), err);
            if (st != RV_OK)
                return st;
        }
        if (dim == 0)
            rows = best_block(s, v, threads, 0, 0);
    }
    return RV_OK;
}

/* Measure step 2 for variant v: the coordinate search at its best seeded
 * thread count, then at every other whose seed timed within
 * RV_TUNE_ABORT_SAMPLE x of that one. */
static rv_status search_blocks(search *s, rv_variant v, rv_error *err)
{
    const rv_cand_result *seed = best_default(s, v);
    if (!seed)
        return RV_OK;
    int threads = seed->cand.opts.threads;
    double limit = seed->status == RV_CAND_TIMED ? RV_TUNE_ABORT_SAMPLE * seed->median_s : 0;
    rv_status st = search_blocks_at(s, v, threads, err);
    size_t seeds = s->rep->count;
    for (size_t i = 0; st == RV_OK && i < seeds; i++) {
        const rv_cand_result *r = &s->rep->results[i];
        if (r->cand.variant == v && r->status == RV_CAND_TIMED && r->median_s <= limit &&
            r->cand.opts.threads != threads && !r->cand.opts.block_rows &&
            !r->cand.opts.block_cols)
            st = search_blocks_at(s, v, r->cand.opts.threads, err);
    }
    return st;
}

static rv_status run_measure(search *s, rv_error *err)
{
    rv_status st = try_point(s, find_point(s, s->job->seed), err);
    for (size_t i = 0; st == RV_OK && i < s->ngrid; i++) {
        const rv_opts *o = &s->grid[i].opts;
        if (o->block_rows == 0 && o->block_cols == 0)
            st = try_point(s, i, err);
    }
    for (int v = 0; st == RV_OK && v < RV_VARIANT_COUNT; v++)
        if (rv_variant_flags((rv_variant)v) & RV_VF_BLOCKS)
            st = search_blocks(s, (rv_variant)v, err);
    return st;
}

/* Is result i, or (group) another of its variant and thread count, among
 * fin[0..k)? */
static int picked(const rv_tune_report *rep, const size_t *fin, size_t k, size_t i, int group)
{
    const rv_candidate *c = &rep->results[i].cand;
    for (size_t j = 0; j < k; j++) {
        const rv_candidate *f = &rep->results[fin[j]].cand;
        if (fin[j] == i ||
            (group && f->variant == c->variant && f->opts.threads == c->opts.threads))
            return 1;
    }
    return 0;
}

/* The finalists, fastest first, at most RV_TUNE_FINALISTS: the fastest of
 * each (variant, threads) group within RV_TUNE_GROUP_RANGE x the best, so
 * that a thread count slowed by another process during its screening still
 * meets the others side by side; then the fastest of the rest within
 * RV_TUNE_FINAL_RANGE x. Returns how many. */
static size_t pick_finalists(const search *s, size_t *fin)
{
    const rv_tune_report *rep = s->rep;
    size_t k = 0;
    for (int group = 1; group >= 0; group--) {
        double limit = (group ? RV_TUNE_GROUP_RANGE : RV_TUNE_FINAL_RANGE) * s->best;
        while (k < RV_TUNE_FINALISTS) {
            size_t pick = rep->count;
            for (size_t i = 0; i < rep->count; i++) {
                const rv_cand_result *r = &rep->results[i];
                if (r->status == RV_CAND_TIMED && r->median_s <= limit &&
                    !picked(rep, fin, k, i, group) &&
                    (pick == rep->count || r->median_s < rep->results[pick].median_s))
                    pick = i;
            }
            if (pick == rep->count)
                break;
            fin[k++] = pick;
        }
    }
    return k;
}

/* The finals: the finalists timed again over RV_TUNE_FINAL_ROUNDS
 * interleaved rounds, each then judged by its time relative to the fastest
 * in the same round (rv_timer_paired); the choice rule applies to those.
 * Sets rep->chosen (count when nothing was timed). */
static rv_status run_finals(search *s, rv_error *err)
{
    rv_tune_report *rep = s->rep;
    size_t fin[RV_TUNE_FINALISTS];
    size_t k = pick_finalists(s, fin);
    rep->chosen = k ? fin[0] : rep->count;
    if (k < 2)
        return RV_OK;
    rv_cand_call calls[RV_TUNE_FINALISTS];
    rv_timer t[RV_TUNE_FINALISTS];
    for (size_t i = 0; i < k; i++) {
        calls[i] = (rv_cand_call){s->run, s->job->problem.op, s->job->problem.dt,
                                  &rep->results[fin[i]].cand};
        rv_timer_init(&t[i], rv_call_candidate, &calls[i], s->ws,
                      RV_TIMER_PAIRED_BATCH_S);
    }
    rv_status st = rv_timer_interleave(t, k, RV_TUNE_FINAL_ROUNDS, err);
    if (st != RV_OK)
        return st;
    double est[RV_TUNE_FINALISTS], spread[RV_TUNE_FINALISTS];
    size_t fastest = 0;
    rv_timer_paired(t, k, 0, est, NULL);
    for (size_t i = 1; i < k; i++)
        if (est[i] < est[fastest])
            fastest = i;
    rv_timer_paired(t, k, fastest, est, spread);
    rv_cand_result sub[RV_TUNE_FINALISTS];
    size_t rank[RV_TUNE_FINALISTS];
    for (size_t i = 0; i < k; i++) {
        rv_cand_result *r = &rep->results[fin[i]];
        r->median_s = est[i];
        r->spread = spread[i];
        r->samples = t[i].count;
        r->finalist = 1;
        rep->disturbed += t[i].disturbed;
        sub[i] = *r;
        rank[i] = s->rank[fin[i]];
    }
    rep->chosen = fin[rv_tune_choose(sub, rank, k)];
    return RV_OK;
}

static rv_status run_search(search *s, rv_error *err)
{
    const rv_tune_job *job = s->job;
    rv_tune_report *rep = s->rep;
    s->ngrid = rv_tune_grid(job->only_variant, job->max_threads, NULL, 0);
    if (s->ngrid == 0)
        return rv_fail(err, RV_ERR_VARIANT, "no candidate to tune (variant %d)",
                       job->only_variant);
    s->grid = calloc(s->ngrid, sizeof *s->grid);
    s->tried = calloc(s->ngrid, 1);
    s->rank = calloc(s->ngrid, sizeof *s->rank);
    rep->results = calloc(s->ngrid, sizeof *rep->results);
    if (!s->grid || !s->tried || !s->rank || !rep->results)
        return rv_fail(err, RV_ERR_NOMEM, "out of memory for %zu candidates", s->ngrid);
    rv_tune_grid(job->only_variant, job->max_threads, s->grid, s->ngrid);
    rv_status st = rv_checker_create(&s->checker, &job->problem, s->run, err);
    if (st == RV_OK)
        st = rv_ws_create(&s->ws, &job->problem, rv_ws_rotation(&job->problem), err);
    if (st != RV_OK)
        return st;
    if (job->effort == RV_EFFORT_MEASURE)
        st = run_measure(s, err);
    for (size_t i = 0; st == RV_OK && job->effort != RV_EFFORT_MEASURE && i < s->ngrid; i++)
        st = try_point(s, i, err);
    if (st == RV_OK)
        st = run_finals(s, err);
    if (st != RV_OK)
        return st;
    if (rep->chosen == rep->count)
        return rv_fail(err, RV_ERR_VARIANT, "every one of %zu candidates failed its check (%s %s: %s)",
                       rep->count, rv_variant_name(rep->results[0].cand.variant),
                       rv_op_name(job->problem.op), rep->results[0].note);
    return RV_OK;
}

rv_status rv_tune_search(const rv_tune_job *job, rv_tune_report *rep, rv_error *err)
{
    rv_tune_report_clear(rep);
    rep->problem = job->problem;
    rep->effort = job->effort;
    rep->max_threads = job->max_threads;
    rep->check_shape = rv_check_shape(&job->problem);
    search s = {.job = job, .run = job->run ? job->run : rv_run_ex, .rep = rep, .t0 = rv_now()};
    rv_status st = run_search(&s, err);
    rep->elapsed_s = rv_now() - s.t0;
    rv_checker_destroy(s.checker);
    rv_ws_destroy(s.ws);
    free(s.grid);
    free(s.tried);
    free(s.rank);
    if (st != RV_OK) {
        rv_tune_report_clear(rep);
        rep->problem = job->problem;
    }
    return st;
}
