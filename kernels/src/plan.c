/* plan.c - plan objects and the estimate heuristic (no timing). */
#define _GNU_SOURCE /* sched_getaffinity */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>

#include "reluvet/plan.h"

struct rv_plan {
    rv_op op;
    rv_dtype dt;
    rv_shape shape;
    unsigned flags;
    rv_variant variant;
    rv_opts opts;
    rv_effort effort;
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
static void estimate(rv_plan *p, int max_threads)
{
    double flops = rv_op_flops(p->op, p->shape, p->flags & RV_PLAN_WITH_DX);
    double bytes = rv_op_bytes(p->op, p->dt, p->shape, 0);
    int big = flops > 4e6 || bytes > 4e6;
    p->opts = (rv_opts){.threads = big ? max_threads : 1};
    if ((p->op == RV_OP_LAYER_FWD || p->op == RV_OP_LAYER_BWD) && p->shape.d > 4)
        p->variant = variant_or("blis", RV_VAR_NAIVE);
    else
        p->variant = variant_or("omp", RV_VAR_NAIVE);
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
    if (!rv_op_name(op))
        return rv_fail(err, RV_ERR_OP, "unknown operation %d", (int)op);
    if (!rv_dtype_name(dt))
        return rv_fail(err, RV_ERR_DTYPE, "unknown dtype %d", (int)dt);
    if (s.n == 0 || s.m == 0 || ((op == RV_OP_LAYER_FWD || op == RV_OP_LAYER_BWD) && s.d == 0))
        return rv_fail(err, RV_ERR_SIZE, "plan shape n=%zu d=%zu m=%zu has a zero size",
                       s.n, s.d, s.m);
    if (popts->max_threads < 0 || popts->max_threads > RV_MAX_THREADS)
        return rv_fail(err, RV_ERR_OPTS, "max_threads = %d: must be 0..%d",
                       popts->max_threads, RV_MAX_THREADS);
    if (popts->force_variant < 0 || popts->force_variant > RV_VARIANT_COUNT)
        return rv_fail(err, RV_ERR_VARIANT, "force_variant = %d: must be 0..%d",
                       popts->force_variant, RV_VARIANT_COUNT);
    if (popts->effort != RV_EFFORT_ESTIMATE)
        return rv_fail(err, RV_ERR_OPTS, "effort %d is not available yet", (int)popts->effort);
    rv_plan *p = calloc(1, sizeof *p);
    if (!p)
        return rv_fail(err, RV_ERR_NOMEM, "out of memory creating a plan");
    *p = (rv_plan){.op = op, .dt = dt, .shape = s, .flags = flags, .effort = popts->effort};
    if (op == RV_OP_RELU_FWD || op == RV_OP_RELU_BWD)
        p->shape.d = 1;
    int max_threads = popts->max_threads ? popts->max_threads : rv_usable_cores();
    estimate(p, max_threads);
    if (popts->force_variant)
        p->variant = (rv_variant)(popts->force_variant - 1);
    *out = p;
    return RV_OK;
}

/* Does the argument block carry what the plan was made for? */
static int flags_match(const rv_plan *p, const void *args)
{
    unsigned f = 0;
    if (p->op == RV_OP_LAYER_FWD) {
        const rv_layer_fwd_args *a = args;
        f = (a->H ? RV_PLAN_WITH_H : 0) | (a->b ? 0 : RV_PLAN_NO_BIAS);
    } else if (p->op == RV_OP_LAYER_BWD) {
        const rv_layer_bwd_args *a = args;
        f = (a->dX ? RV_PLAN_WITH_DX : 0) | (a->db ? 0 : RV_PLAN_NO_BIAS);
    } else {
        return 1;
    }
    return f == (p->flags & (RV_PLAN_WITH_H | RV_PLAN_WITH_DX | RV_PLAN_NO_BIAS));
}

rv_status rv_plan_execute(const rv_plan *p, const void *args, rv_error *err)
{
    if (!p)
        return rv_fail(err, RV_ERR_NULL, "plan is NULL");
    if (!args)
        return rv_fail(err, RV_ERR_NULL, "argument block is NULL");
    rv_shape s = rv_args_shape(p->op, args);
    if (s.n != p->shape.n || s.m != p->shape.m || s.d != p->shape.d)
        return rv_fail(err, RV_ERR_SIZE,
                       "arguments have shape n=%zu d=%zu m=%zu, the plan n=%zu d=%zu m=%zu",
                       s.n, s.d, s.m, p->shape.n, p->shape.d, p->shape.m);
    if (!flags_match(p, args))
        return rv_fail(err, RV_ERR_SIZE, "arguments do not match the plan's H/dX/bias flags");
    return rv_run_ex(p->op, p->variant, p->dt, &p->opts, args, err);
}

void rv_plan_destroy(rv_plan *p)
{
    free(p);
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
    snprintf(buf, cap, "%s %s n=%zu d=%zu m=%zu: %s threads=%d block=%dx%d (%s)",
             rv_op_name(p->op), rv_dtype_name(p->dt), p->shape.n, p->shape.d, p->shape.m,
             rv_variant_name(p->variant), p->opts.threads ? p->opts.threads : 1,
             p->opts.block_rows, p->opts.block_cols, efforts[p->effort]);
    return buf;
}
