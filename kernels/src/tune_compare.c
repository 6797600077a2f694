/* tune_compare.c - interleaved timing comparisons: candidates against each
 * other (rv_tune_compare), a plan against its bare kernel (rv_plan_overhead). */
#include <stdlib.h>

#include "tune_internal.h"
#include "tune_time.h"
#include "tune_ws.h"
#include "variant.h"

#define RV_VARIANT(ID, name, flags) extern const rv_variant_impl rv_##name##_impl;
#include "reluvet/variants.def"
#undef RV_VARIANT

/* The kernel function of each variant, for calls without any validation. */
static const rv_variant_impl *const impls[RV_VARIANT_COUNT] = {
#define RV_VARIANT(ID, name, flags) [RV_VAR_##ID] = &rv_##name##_impl,
#include "reluvet/variants.def"
#undef RV_VARIANT
};

#define OVERHEAD_BATCH_S 5e-3

static rv_status check_rounds(int rounds, rv_error *err)
{
    if (rounds < 1 || rounds > RV_TIMER_MAX_SAMPLES)
        return rv_fail(err, RV_ERR_OPTS, "rounds = %d: must be 1..%d", rounds,
                       RV_TIMER_MAX_SAMPLES);
    return RV_OK;
}

rv_status rv_tune_compare(const rv_problem *p, const rv_candidate *cands, size_t k, int rounds,
                          double *median_s, rv_error *err)
{
    rv_status st = rv_problem_validate(p, err);
    if (st == RV_OK)
        st = check_rounds(rounds, err);
    if (st != RV_OK)
        return st;
    if (!cands || !median_s || k == 0)
        return rv_fail(err, RV_ERR_NULL, "no candidates to compare");
    for (size_t i = 0; i < k; i++)
        if ((st = rv_opts_validate(&cands[i].opts, err)) != RV_OK)
            return st;
        else if (!rv_variant_name(cands[i].variant))
            return rv_fail(err, RV_ERR_VARIANT, "unknown variant %d", (int)cands[i].variant);
    rv_ws *ws = NULL;
    rv_timer *t = calloc(k, sizeof *t);
    rv_cand_call *calls = calloc(k, sizeof *calls);
    if (!t || !calls)
        st = rv_fail(err, RV_ERR_NOMEM, "out of memory comparing %zu candidates", k);
    else
        st = rv_ws_create(&ws, p, rv_ws_rotation(p), err);
    for (size_t i = 0; st == RV_OK && i < k; i++) {
        calls[i] = (rv_cand_call){rv_run_ex, p->op, p->dt, &cands[i]};
        rv_timer_init(&t[i], rv_call_candidate, &calls[i], ws, RV_TIMER_PAIRED_BATCH_S);
    }
    if (st == RV_OK)
        st = rv_timer_interleave(t, k, rounds, err);
    if (st == RV_OK)
        rv_timer_paired(t, k, 0, median_s, NULL);
    rv_ws_destroy(ws);
    free(t);
    free(calls);
    return st;
}

typedef struct direct_ctx {
    rv_kernel_fn fn;
    const rv_opts *opts;
} direct_ctx;

static rv_status call_direct(void *ctx, const void *args, rv_error *err)
{
    const direct_ctx *d = ctx;
    (void)err;
    d->fn(d->opts, args);
    return RV_OK;
}

static rv_status call_plan(void *ctx, const void *args, rv_error *err)
{
    return rv_plan_execute(ctx, args, err);
}

rv_status rv_plan_overhead(const rv_plan *plan, int rounds, rv_overhead *out, rv_error *err)
{
    if (!plan || !out)
        return rv_fail(err, RV_ERR_NULL, "plan or result is NULL");
    rv_status st = check_rounds(rounds, err);
    if (st != RV_OK)
        return st;
    rv_problem p = rv_plan_problem(plan);
    rv_opts opts = rv_plan_kernel_opts(plan);
    direct_ctx d = {impls[rv_plan_variant(plan)]->fn[p.op][p.dt], &opts};
    rv_ws *ws = NULL;
    if ((st = rv_ws_create(&ws, &p, rv_ws_rotation(&p), err)) != RV_OK)
        return st;
    rv_timer t[2];
    rv_timer_init(&t[0], call_plan, (void *)plan, ws, OVERHEAD_BATCH_S);
    rv_timer_init(&t[1], call_direct, &d, ws, OVERHEAD_BATCH_S);
    st = rv_timer_interleave(t, 2, rounds, err);
    if (st == RV_OK) {
        double paired[2];
        rv_timer_paired(t, 2, 1, paired, NULL);
        out->plan_s = rv_timer_median(&t[0], NULL);
        out->direct_s = paired[1]; /* the reference: its own median */
        out->ratio = paired[0] / paired[1];
    }
    rv_ws_destroy(ws);
    return st;
}
