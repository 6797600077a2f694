/* tune_problem.c - problems: validation, rates, the fixed-variant baseline
 * and the overfitting harness's shape list (kept here, in one place). */
#include <stdio.h>

#include "reluvet/tune.h"

static unsigned allowed_flags(rv_op op)
{
    switch (op) {
    case RV_OP_LAYER_FWD:
        return RV_PLAN_WITH_H | RV_PLAN_NO_BIAS;
    case RV_OP_LAYER_BWD:
        return RV_PLAN_WITH_DX | RV_PLAN_NO_BIAS;
    default:
        return 0;
    }
}

rv_status rv_problem_validate(const rv_problem *p, rv_error *err)
{
    if (!p)
        return rv_fail(err, RV_ERR_NULL, "problem is NULL");
    if (!rv_op_name(p->op))
        return rv_fail(err, RV_ERR_OP, "unknown operation %d", (int)p->op);
    if (!rv_dtype_name(p->dt))
        return rv_fail(err, RV_ERR_DTYPE, "unknown dtype %d", (int)p->dt);
    if (p->shape.n == 0 || p->shape.m == 0 || p->shape.d == 0)
        return rv_fail(err, RV_ERR_SIZE, "shape n=%zu d=%zu m=%zu has a zero size",
                       p->shape.n, p->shape.d, p->shape.m);
    if (p->flags & ~allowed_flags(p->op))
        return rv_fail(err, RV_ERR_OPTS, "flags 0x%x are not valid for %s", p->flags,
                       rv_op_name(p->op));
    return RV_OK;
}

double rv_problem_rate(const rv_problem *p, double seconds, const char **unit)
{
    double flops = rv_op_flops(p->op, p->shape, (p->flags & RV_PLAN_WITH_DX) != 0);
    if (flops > 0) {
        *unit = "GFLOP/s";
        return seconds > 0 ? flops / seconds * 1e-9 : 0;
    }
    int extra = (p->flags & (RV_PLAN_WITH_H | RV_PLAN_WITH_DX)) != 0;
    *unit = "GB/s";
    return seconds > 0 ? rv_op_bytes(p->op, p->dt, p->shape, extra) / seconds * 1e-9 : 0;
}

/* At most 97 characters (the longest op and dtype, three 20-digit extents,
 * every flag), so the 160-byte buffers of every caller never cut it. */
char *rv_problem_describe(const rv_problem *p, char *buf, size_t cap)
{
    snprintf(buf, cap, "%s %s n=%zu d=%zu m=%zu%s%s%s", rv_op_name(p->op), rv_dtype_name(p->dt),
             p->shape.n, p->shape.d, p->shape.m, p->flags & RV_PLAN_WITH_H ? " +H" : "",
             p->flags & RV_PLAN_WITH_DX ? " +dX" : "", p->flags & RV_PLAN_NO_BIAS ? " no-bias" : "");
    return buf;
}

/* At most 59 characters (the longest variant name, three 11-character
 * ints): the 96-byte buffers of every caller never cut it. */
char *rv_candidate_describe(const rv_candidate *c, char *buf, size_t cap)
{
    unsigned f = rv_variant_flags(c->variant);
    int n = snprintf(buf, cap, "%s", rv_variant_name(c->variant));
    if (n >= 0 && (size_t)n < cap && (f & RV_VF_THREADS))
        n += snprintf(buf + n, cap - (size_t)n, " threads=%d", c->opts.threads > 1 ? c->opts.threads : 1);
    if (n >= 0 && (size_t)n < cap && (f & RV_VF_BLOCKS))
        snprintf(buf + n, cap - (size_t)n, " block=%dx%d", c->opts.block_rows, c->opts.block_cols);
    return buf;
}

rv_candidate rv_fixed_candidate(rv_variant v, int max_threads)
{
    rv_candidate c = {v, {0, 0, 0}};
    if (rv_variant_flags(v) & RV_VF_THREADS)
        c.opts.threads = max_threads > 1 ? max_threads : 1;
    return c;
}

int rv_problem_equal(const rv_problem *a, const rv_problem *b)
{
    return a->op == b->op && a->dt == b->dt && a->shape.n == b->shape.n &&
           a->shape.d == b->shape.d && a->shape.m == b->shape.m && a->flags == b->flags;
}
