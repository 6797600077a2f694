/* plan.c - plan objects: the estimate heuristic, wisdom lookups and the
 * searches of reluvet/tune.h; execution with no search on the hot path. */
#define _GNU_SOURCE /* sched_getaffinity */
#include <math.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>

#include "reluvet/wisdom.h"
#include "tune_internal.h"

typedef enum source { FROM_ESTIMATE, FROM_SEARCH, FROM_WISDOM, FROM_FORCED } source;

struct rv_plan {
    rv_problem problem;
    rv_variant variant;
    rv_opts opts;
    rv_effort effort; /* of the search or wisdom entry that chose */
    source from;
};

int rv_usable_cores(void)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
        return CPU_COUNT(&set);
    return 1;
}

/* The variant named `name` if the list has it, else `fallback`. */
static rv_variant variant_or(const char *name, rv_variant fallback)
{
    rv_variant v;
    return rv_variant_from_name(name, &v) == 0 ? v : fallback;
}

/* Estimate: small problems are dominated by call and fork/join overhead, so
 * they run single-threaded. Layer ops with d <= 4 go to the OpenMP variant
 * (its row passes: f64, 1 thread, n = 20, m = 1000, d = 1: fwd 4 us, bwd
 * 6 us against BLIS's 12 and 18), larger d to BLIS (d = 5: 13 us against
 * 20 fwd; d = 1000: 2x); elementwise ReLU to OpenMP. */
static rv_candidate estimate(const rv_problem *p, int max_threads)
{
    double flops = rv_op_flops(p->op, p->shape, p->flags & RV_PLAN_WITH_DX);
    double bytes = rv_op_bytes(p->op, p->dt, p->shape, 0);
    int big = flops > 4e6 || bytes > 4e6;
    rv_candidate c = {RV_VAR_NAIVE, {.threads = big ? max_threads : 1}};
    if ((p->op == RV_OP_LAYER_FWD || p->op == RV_OP_LAYER_BWD) && p->shape.d > 4)
        c.variant = variant_or("blis", RV_VAR_NAIVE);
    else
        c.variant = variant_or("omp", RV_VAR_NAIVE);
    return c;
}

static rv_status check_opts(const rv_plan_opts *o, rv_error *err)
{
    if (o->effort < RV_EFFORT_ESTIMATE || o->effort > RV_EFFORT_EXHAUSTIVE)
        return rv_fail(err, RV_ERR_OPTS, "effort = %d: must be 0..2", (int)o->effort);
    if (o->max_threads < 0 || o->max_threads > RV_MAX_THREADS)
        return rv_fail(err, RV_ERR_OPTS, "max_threads = %d: must be 0..%d", o->max_threads,
                       RV_MAX_THREADS);
    if (o->force_variant < 0 || o->force_variant > RV_VARIANT_COUNT)
        return rv_fail(err, RV_ERR_VARIANT, "force_variant = %d: must be 0..%d",
                       o->force_variant, RV_VARIANT_COUNT);
    if (!isfinite(o->budget_s) || o->budget_s < 0)
        return rv_fail(err, RV_ERR_OPTS, "budget_s = %g: must be a finite number >= 0",
                       o->budget_s);
    return RV_OK;
}

/* Runs a search for p and records its choice in the plan (and wisdom). */
static rv_status tune_plan(rv_plan *p, const rv_plan_opts *o, int max_threads, rv_error *err)
{
    rv_tune_report local = {0}, *rep = o->report ? o->report : &local;
    rv_tune_job job = {.problem = p->problem, .effort = o->effort, .max_threads = max_threads,
                       .only_variant = o->force_variant - 1,
                       .seed = estimate(&p->problem, max_threads),
                       .budget_s = o->budget_s > 0 ? o->budget_s : RV_TUNE_DEFAULT_BUDGET_S};
    rv_status s = rv_tune_search(&job, rep, err);
    if (s == RV_OK) {
        const rv_cand_result *r = &rep->results[rep->chosen];
        p->variant = r->cand.variant;
        p->opts = r->cand.opts;
        p->from = FROM_SEARCH;
        if (o->wisdom && !o->force_variant) {
            int failed = 0;
            for (size_t i = 0; i < rep->count; i++)
                failed += rep->results[i].status == RV_CAND_FAILED;
            rv_wisdom_entry e = {p->problem, max_threads, r->cand, o->effort, r->median_s,
                                 (int)rep->count, failed};
            s = rv_wisdom_put(o->wisdom, &e, err);
        }
    }
    rv_tune_report_clear(&local);
    return s;
}

static rv_status choose(rv_plan *p, const rv_plan_opts *o, int max_threads, rv_error *err)
{
    const rv_wisdom_entry *e =
        o->wisdom && !o->force_variant ? rv_wisdom_find(o->wisdom, &p->problem, max_threads) : NULL;
    if (e && e->effort >= (int)o->effort) {
        p->variant = e->choice.variant;
        p->opts = e->choice.opts;
        p->effort = (rv_effort)e->effort;
        p->from = FROM_WISDOM;
        return RV_OK;
    }
    int oracle = o->force_variant && (rv_variant_flags((rv_variant)(o->force_variant - 1)) &
                                      RV_VF_ORACLE);
    if (o->effort != RV_EFFORT_ESTIMATE && !oracle) /* the oracle has nothing to tune */
        return tune_plan(p, o, max_threads, err);
    rv_candidate c = estimate(&p->problem, max_threads);
    if (o->force_variant) {
        c.variant = (rv_variant)(o->force_variant - 1);
        p->from = FROM_FORCED;
    }
    c = rv_candidate_normalize(c);
    p->variant = c.variant;
    p->opts = c.opts;
    return RV_OK;
}

rv_status rv_plan_create(rv_plan **out, rv_op op, rv_dtype dt, rv_shape s, unsigned flags,
                         const rv_plan_opts *popts, rv_error *err)
{
    static const rv_plan_opts defaults;
    if (!out)
        return rv_fail(err, RV_ERR_NULL, "plan output pointer is NULL");
    *out = NULL;
    if (!popts)
        popts = &defaults;
    if (popts->report)
        rv_tune_report_clear(popts->report);
    rv_problem prob = {op, dt, s, flags};
    if (op == RV_OP_RELU_FWD || op == RV_OP_RELU_BWD)
        prob.shape.d = 1;
    rv_status st = rv_problem_validate(&prob, err);
    if (st == RV_OK)
        st = check_opts(popts, err);
    if (st != RV_OK)
        return st;
    rv_plan *p = calloc(1, sizeof *p);
    if (!p)
        return rv_fail(err, RV_ERR_NOMEM, "out of memory creating a plan");
    *p = (rv_plan){.problem = prob, .effort = popts->effort, .from = FROM_ESTIMATE};
    int max_threads = popts->max_threads ? popts->max_threads : rv_usable_cores();
    st = choose(p, popts, max_threads, err);
    if (st != RV_OK) {
        free(p);
        return st;
    }
    *out = p;
    return RV_OK;
}

/* Does the argument block carry what the plan was made for? */
static int flags_match(const rv_plan *p, const void *args)
{
    unsigned f = 0;
    if (p->problem.op == RV_OP_LAYER_FWD) {
        const rv_layer_fwd_args *a = args;
        f = (a->H ? RV_PLAN_WITH_H : 0) | (a->b ? 0 : RV_PLAN_NO_BIAS);
    } else if (p->problem.op == RV_OP_LAYER_BWD) {
        const rv_layer_bwd_args *a = args;
        f = (a->dX ? RV_PLAN_WITH_DX : 0) | (a->db ? 0 : RV_PLAN_NO_BIAS);
    } else {
        return 1;
    }
    return f == p->problem.flags;
}

rv_status rv_plan_execute(const rv_plan *p, const void *args, rv_error *err)
{
    if (!p)
        return rv_fail(err, RV_ERR_NULL, "plan is NULL");
    if (!args)
        return rv_fail(err, RV_ERR_NULL, "argument block is NULL");
    rv_shape s = rv_args_shape(p->problem.op, args);
    const rv_shape *ps = &p->problem.shape;
    if (s.n != ps->n || s.m != ps->m || s.d != ps->d)
        return rv_fail(err, RV_ERR_SIZE,
                       "arguments have shape n=%zu d=%zu m=%zu, the plan n=%zu d=%zu m=%zu",
                       s.n, s.d, s.m, ps->n, ps->d, ps->m);
    if (!flags_match(p, args))
        return rv_fail(err, RV_ERR_SIZE, "arguments do not match the plan's H/dX/bias flags");
    return rv_run_ex(p->problem.op, p->variant, p->problem.dt, &p->opts, args, err);
}

void rv_plan_destroy(rv_plan *p)
{
    free(p);
}

rv_problem rv_plan_problem(const rv_plan *p)
{
    return p->problem;
}

rv_variant rv_plan_variant(const rv_plan *p)
{
    return p->variant;
}

rv_opts rv_plan_kernel_opts(const rv_plan *p)
{
    return p->opts;
}

char *rv_plan_describe(const rv_plan *p, char *buf, size_t cap)
{
    static const char *const efforts[] = {"estimate", "measure", "exhaustive"};
    char prob[160], cand[96];
    rv_candidate c = {p->variant, p->opts};
    snprintf(buf, cap, "%s: %s (%s%s)", rv_problem_describe(&p->problem, prob, sizeof prob),
             rv_candidate_describe(&c, cand, sizeof cand), p->from == FROM_WISDOM ? "wisdom: " : "",
             p->from == FROM_FORCED ? "forced" : efforts[p->effort]);
    return buf;
}
