/* case.c - a check case: operands, fills, the reference, bounds, finite
 * differences, and the verification of one kernel run. */
#include "check/case.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/rng.h"
#include "reluvet/plan.h"
#include "reluvet/schema.h"
#include "check/shapes.h"
#include "check/tolerance.h"

const char *rvc_verdict_name(rvc_verdict v)
{
    static const char *const names[RVC_VERDICT_COUNT] = {"PASSED", "FAILED", "MISTRUSTED"};
    return (unsigned)v < RVC_VERDICT_COUNT ? names[v] : "?";
}

/* ---- the operands of each op: the schema (reluvet/operands.def) ---- */

/* Short names for the operands this file reaches by name. */
enum {
    F_Z = RV_O_LAYER_FWD_Z, F_O = RV_O_LAYER_FWD_o,
    B_X = RV_O_LAYER_BWD_X, B_W = RV_O_LAYER_BWD_W, B_V = RV_O_LAYER_BWD_v,
    B_Z = RV_O_LAYER_BWD_Z, B_G = RV_O_LAYER_BWD_g, B_DZ = RV_O_LAYER_BWD_dZ,
    B_DV = RV_O_LAYER_BWD_dv, B_DW = RV_O_LAYER_BWD_dW, B_DB = RV_O_LAYER_BWD_db,
    B_DX = RV_O_LAYER_BWD_dX,
};

/* An op's operands, and the output that shows whether the check can see
 * anything: it must have an element > 0 (positive) or != 0. */
static const struct op_table {
    int witness, positive;
    const char *blind;
} tables[RV_OP_COUNT] = {
    [RV_OP_RELU_FWD] = {RV_O_RELU_FWD_y, 1, "every x <= 0: y is all zero"},
    [RV_OP_RELU_BWD] = {RV_O_RELU_BWD_dx, 0, "dx is all zero (x <= 0 or dy = 0)"},
    [RV_OP_LAYER_FWD] = {F_Z, 1, "every Z <= 0: H is all zero, o = 0"},
    [RV_OP_LAYER_BWD] = {B_DZ, 0, "dZ is all zero (Z masked out)"},
};

static const rv_operand_spec *operands(const rvc_case *c)
{
    size_t count;
    return rv_schema_operands(c->op, &count);
}

/* The plan flags (RV_PLAN_*) that say which operands a layout has. */
static unsigned layout_flags(unsigned layout)
{
    return (layout & RVC_NO_BIAS ? RV_PLAN_NO_BIAS : 0u) |
           (layout & RVC_NO_OPT ? 0u : RV_PLAN_WITH_H | RV_PLAN_WITH_DX);
}

/* The argument block of c->op over the matrices m[k] (data NULL when
 * absent). */
static rv_any_args make_args(const rvc_case *c, const rvc_mat *const *m)
{
    rv_any_args a;
    rv_schema_bind_shape(c->op, c->shape, &a);
    const rv_operand_spec *ops = operands(c);
    for (int k = 0; k < c->count; k++)
        rv_schema_set(&a, &ops[k], m[k]->data, m[k]->ld);
    return a;
}

static const rvc_mat *const *case_mats(const rvc_case *c, const rvc_mat **m)
{
    for (int k = 0; k < c->count; k++)
        m[k] = &c->mat[k];
    return m;
}

/* ---- preparation ---- */

static rv_status run_oracle(rv_op op, rv_dtype dt, const void *args, rv_error *err)
{
    rv_variant oracle;
    if (rvc_oracle(&oracle) != 0)
        return rv_fail(err, RV_ERR_VARIANT, "variants.def has no oracle (RV_VF_ORACLE)");
    return rv_run_ex(op, oracle, dt, NULL, args, err);
}

/* Terms of the longest sum, in units of R^3 (see rvc_exact_range). */
static double exact_terms(const rvc_case *c)
{
    const rv_shape *s = &c->shape;
    if (c->op == RV_OP_LAYER_FWD) /* o = sum_j relu(b_j + sum_k x w) v_j */
        return (double)s->m * (double)(s->d + 1);
    if (c->op == RV_OP_LAYER_BWD) /* dv, db, dW: n terms; dX: m terms */
        return (double)(s->n > s->m ? s->n : s->m);
    return 1;
}

static void fill_inputs(rvc_case *c, rvc_rng *r, long range)
{
    const rv_operand_spec *ops = operands(c);
    double specials[RVC_SPECIAL_COUNT];
    size_t nspecial = rvc_special_values(c->dt, specials, RVC_SPECIAL_COUNT);
    for (int k = 0; k < c->count; k++) {
        rvc_mat *m = &c->mat[k];
        if (ops[k].role != RV_IN || !m->data)
            continue;
        if (c->mode == RVC_EXACT) {
            long lim = ops[k].deg == 2 ? range * range : range;
            rvc_fill_exact(r, m, lim, ops[k].exp2, 1);
            continue;
        }
        rvc_fill_uniform(r, m, -1, 1);
        if (c->op == RV_OP_RELU_FWD || c->op == RV_OP_RELU_BWD)
            rvc_fill_sprinkle(r, m, 0.05, specials, nspecial);
        else if (c->op == RV_OP_LAYER_BWD && k == B_Z)
            rvc_fill_sprinkle(r, m, 0.03, specials, 2); /* +0 and -0: the kink */
    }
}

/* The forward pass behind a finite-difference case of layer_bwd: its X,
 * W, v and bias, writing Z (the backward's input) and o. */
static rv_layer_fwd_args forward_of(const rvc_case *c, void *o)
{
    return (rv_layer_fwd_args){c->shape.n, c->shape.d, c->shape.m,
                               c->mat[B_X].data, c->mat[B_X].ld, c->mat[B_W].data,
                               c->mat[B_W].ld, c->bias.data, c->mat[B_V].data,
                               c->mat[B_Z].data, c->mat[B_Z].ld, NULL, 0, o};
}

/* Finite-difference cases: Z comes from the forward pass of X, W and a
 * bias, so that the backward is the gradient of a real loss. */
static rv_status forward_z(rvc_case *c, rvc_rng *r, rv_error *err)
{
    rvc_mat o;
    rv_status s = rvc_mat_alloc(&o, c->dt, 1, c->shape.n, c->shape.n, err);
    if (s != RV_OK)
        return s;
    if (c->bias.data)
        rvc_fill_uniform(r, &c->bias, -1, 1);
    rv_layer_fwd_args f = forward_of(c, o.data);
    s = run_oracle(RV_OP_LAYER_FWD, c->dt, &f, err);
    rvc_mat_free(&o);
    return s;
}

static int sees_something(const rvc_case *c)
{
    const struct op_table *t = &tables[c->op];
    const rvc_mat *w = &c->mat[t->witness];
    for (size_t i = 0; i < w->rows; i++)
        for (size_t j = 0; j < w->cols; j++) {
            double x = rvc_mat_get(w, i, j);
            if (x > 0 || (!t->positive && x < 0))
                return 1;
        }
    return 0;
}

rv_status rvc_case_refresh(rvc_case *c, rv_error *err)
{
    const rv_operand_spec *ops = operands(c);
    const rvc_mat *m[RVC_MAX_OPERANDS];
    for (int k = 0; k < c->count; k++) {
        if (ops[k].role != RV_IN && c->mat[k].data)
            rvc_mat_poison(&c->mat[k]);
        if (ops[k].role == RV_IN && c->mat[k].data)
            c->hash[k] = rvc_mat_hash(&c->mat[k]);
    }
    rv_any_args a = make_args(c, case_mats(c, m));
    rv_status s = run_oracle(c->op, c->dt, &a, err);
    if (s != RV_OK)
        return s;
    c->mistrust = sees_something(c) ? NULL : tables[c->op].blind;
    if (c->mode != RVC_RANDOM)
        return RV_OK; /* exact mode: the bounds stay zero */
    if (c->op == RV_OP_LAYER_FWD)
        rvc_bounds_layer_fwd(c->dt, &a.layer_fwd, c->bound[F_Z], c->bound[F_O]);
    else if (c->op == RV_OP_LAYER_BWD)
        rvc_bounds_layer_bwd(c->dt, &a.layer_bwd, 0, c->bound[B_DZ], c->bound[B_DV],
                             c->bound[B_DW], c->bound[B_DB], c->bound[B_DX]);
    return RV_OK;
}

static int wants_fd(const rvc_case *c)
{
    const rv_shape *s = &c->shape;
    double params = (double)(2 * s->m + (s->n + s->m) * s->d);
    return c->op == RV_OP_LAYER_BWD && c->mode == RVC_RANDOM &&
           params * (double)(s->n * s->d * s->m) <= RVC_FD_MAX_WORK;
}

static rv_status prepare_fd(rvc_case *c, rv_error *err)
{
    rv_layer_fwd_args f = forward_of(c, NULL);
    rv_status s = rvc_fd_layer(c->dt, &f, c->mat[B_G].data, &c->fd, err);
    if (s != RV_OK)
        return s;
    const int outs[] = {B_DV, B_DW, B_DB, B_DX};
    for (size_t q = 0; q < sizeof outs / sizeof outs[0]; q++) {
        const rvc_mat *m = &c->mat[outs[q]];
        if (m->data && !(c->fd_bound[outs[q]] = calloc(m->rows * m->cols, sizeof(double))))
            return rv_fail(err, RV_ERR_NOMEM, "out of memory for bounds");
    }
    const rvc_mat *m[RVC_MAX_OPERANDS];
    rv_any_args a = make_args(c, case_mats(c, m));
    rvc_bounds_layer_bwd(c->dt, &a.layer_bwd, 1, NULL, c->fd_bound[B_DV], c->fd_bound[B_DW],
                         c->fd_bound[B_DB], c->fd_bound[B_DX]);
    return RV_OK;
}

static uint64_t case_seed(uint64_t run_seed, const rvc_case *c)
{
    const uint64_t tags[] = {(uint64_t)c->op, (uint64_t)c->dt, c->shape.n, c->shape.d,
                             c->shape.m, c->layout, (uint64_t)c->mode};
    uint64_t s = run_seed;
    for (size_t k = 0; k < sizeof tags / sizeof tags[0]; k++)
        s = rvc_seed_mix(s, tags[k]);
    return s;
}

static rv_status alloc_operands(rvc_case *c, rv_error *err)
{
    const rv_operand_spec *ops = operands(c);
    for (int k = 0; k < c->count; k++) {
        if (!rv_operand_present(&ops[k], layout_flags(c->layout)))
            continue;
        size_t rows = rv_extent_of(ops[k].rows, c->shape);
        size_t cols = rv_extent_of(ops[k].cols, c->shape);
        size_t ld = cols + (ops[k].rows != RV_EXT_1 && (c->layout & RVC_PAD) ? RVC_PAD_EXTRA : 0);
        rv_status s = rvc_mat_alloc(&c->mat[k], c->dt, rows, cols, ld, err);
        if (s != RV_OK)
            return s;
        int bounded = ops[k].compare == RV_CMP_BOUND || ops[k].compare == RV_CMP_BOUND_FLIPS;
        if (bounded && !(c->bound[k] = calloc(rows * cols, sizeof(double))))
            return rv_fail(err, RV_ERR_NOMEM, "out of memory for bounds");
    }
    if (c->has_fd && !(c->layout & RVC_NO_BIAS))
        return rvc_mat_alloc(&c->bias, c->dt, 1, c->shape.m, c->shape.m, err);
    return RV_OK;
}

rv_status rvc_case_prepare(rvc_case *c, rv_op op, rv_dtype dt, rv_shape shape,
                           unsigned layout, rvc_mode mode, uint64_t run_seed, rv_error *err)
{
    memset(c, 0, sizeof *c);
    if ((unsigned)op >= RV_OP_COUNT || (unsigned)dt >= RV_DTYPE_COUNT ||
        (unsigned)mode >= RVC_MODE_COUNT)
        return rv_fail(err, RV_ERR_OP, "unknown operation, dtype or mode");
    if (op == RV_OP_RELU_FWD || op == RV_OP_RELU_BWD)
        shape.d = 1;
    if (shape.n == 0 || shape.d == 0 || shape.m == 0)
        return rv_fail(err, RV_ERR_SIZE, "shape %zu,%zu,%zu has a zero size", shape.n,
                       shape.d, shape.m);
    *c = (rvc_case){.op = op, .dt = dt, .shape = shape, .layout = layout & rvc_layouts(op),
                    .mode = mode};
    size_t count;
    rv_schema_operands(op, &count);
    c->count = (int)count;
    c->seed = case_seed(run_seed, c);
    c->has_fd = wants_fd(c);
    long range = rvc_exact_range(dt, exact_terms(c), 3);
    if (mode == RVC_EXACT && range == 0) {
        c->mistrust = "exact mode impossible: the sums outgrow the significand";
        return RV_OK;
    }
    rv_status s = alloc_operands(c, err);
    for (int attempt = 0; s == RV_OK && attempt <= RVC_MAX_REDRAWS; attempt++) {
        rvc_rng r;
        c->redraws = attempt;
        rvc_rng_seed(&r, rvc_seed_mix(c->seed, (uint64_t)attempt));
        fill_inputs(c, &r, range);
        if (c->has_fd)
            s = forward_z(c, &r, err);
        if (s == RV_OK)
            s = rvc_case_refresh(c, err);
        if (s != RV_OK || !c->mistrust)
            break;
    }
    if (s == RV_OK && c->has_fd && !c->mistrust)
        s = prepare_fd(c, err);
    if (s != RV_OK)
        rvc_case_free(c);
    return s;
}

void rvc_case_free(rvc_case *c)
{
    for (int k = 0; k < RVC_MAX_OPERANDS; k++) {
        rvc_mat_free(&c->mat[k]);
        free(c->bound[k]);
        free(c->fd_bound[k]);
    }
    rvc_mat_free(&c->bias);
    rvc_fd_free(&c->fd);
    memset(c, 0, sizeof *c);
}

/* ---- verification ---- */

/* H against relu(Z) of the kernel's own Z, relu by the oracle. */
static rv_status compare_relu_of(const rvc_case *c, rvc_tally *t, const char *what,
                                 const rvc_mat *got, const rvc_mat *z, rv_error *err)
{
    rvc_mat want;
    rv_status s = rvc_mat_alloc(&want, c->dt, z->rows, z->cols, z->ld, err);
    if (s != RV_OK)
        return s;
    rv_relu_fwd_args a = {z->rows, z->cols, z->data, z->ld, want.data, want.ld};
    s = run_oracle(RV_OP_RELU_FWD, c->dt, &a, err);
    rvc_cmp_spec spec = {.what = what, .rows = z->rows, .cols = z->cols,
                         .got = {c->dt, got->data, got->ld},
                         .want = {c->dt, want.data, want.ld}};
    if (s == RV_OK)
        rvc_compare(t, &spec);
    rvc_mat_free(&want);
    return s;
}

static const double *fd_values(const rvc_case *c, int k)
{
    return k == B_DV ? c->fd.dv : k == B_DB ? c->fd.db : k == B_DW ? c->fd.dW : c->fd.dX;
}

static rv_status compare_outputs(const rvc_case *c, const rvc_mat *got, rvc_result *r,
                                 rv_error *err)
{
    const rv_operand_spec *ops = operands(c);
    for (int k = 0; k < c->count; k++) {
        const rvc_mat *g = &got[k], *ref = &c->mat[k];
        if (ops[k].role == RV_IN) {
            if (ref->data && rvc_mat_hash(ref) != c->hash[k])
                rvc_tally_add(&r->tally, ops[k].name, RVC_WHY_INPUT, -1, -1, 0, 0, 0);
            continue;
        }
        if (!g->data)
            continue;
        long row = 0, col = 0;
        if (rvc_mat_damage(g, &row, &col))
            rvc_tally_add(&r->tally, ops[k].name, RVC_WHY_DAMAGE, row, col, 0, 0, 0);
        if (ops[k].compare == RV_CMP_RELU_OF) {
            char what[40];
            snprintf(what, sizeof what, "%s vs relu(%s)", ops[k].name,
                     ops[ops[k].source].name);
            rv_status s = compare_relu_of(c, &r->tally, what, g, &got[ops[k].source], err);
            if (s != RV_OK)
                return s;
            continue;
        }
        rvc_cmp_spec spec = {.what = ops[k].name, .rows = g->rows, .cols = g->cols,
                             .got = {c->dt, g->data, g->ld},
                             .want = {c->dt, ref->data, ref->ld},
                             .bound = c->bound[k],
                             .count_flips = ops[k].compare == RV_CMP_BOUND_FLIPS};
        rvc_compare(&r->tally, &spec);
        if (!c->fd_bound[k])
            continue;
        char what[24];
        snprintf(what, sizeof what, "%s vs fd", ops[k].name);
        rvc_tally t;
        rvc_tally_init(&t);
        rvc_cmp_spec fd = {.what = what, .rows = g->rows, .cols = g->cols,
                           .got = {c->dt, g->data, g->ld},
                           .want = {RV_F64, fd_values(c, k), g->cols},
                           .bound = c->fd_bound[k], .slack = c->fd.tol,
                           .nan_want_skips = 1};
        rvc_compare(&t, &fd);
        rvc_tally_merge(&r->tally, &t);
        r->fd_compared += t.compared;
        if (t.worst_ratio > r->fd_worst_ratio)
            r->fd_worst_ratio = t.worst_ratio;
    }
    return RV_OK;
}

rv_status rvc_case_verify(const rvc_case *c, const rvc_kernel *k, const rv_opts *opts,
                          rvc_result *r, rv_error *err)
{
    *r = (rvc_result){.verdict = RVC_MISTRUSTED};
    rvc_tally_init(&r->tally);
    if (c->mistrust)
        return RV_OK;
    const rv_operand_spec *ops = operands(c);
    rvc_mat got[RVC_MAX_OPERANDS] = {{0}};
    const rvc_mat *m[RVC_MAX_OPERANDS];
    case_mats(c, m);
    rv_status s = RV_OK;
    for (int q = 0; s == RV_OK && q < c->count; q++) {
        const rvc_mat *ref = &c->mat[q];
        if (ops[q].role == RV_IN || !ref->data)
            continue;
        s = rvc_mat_alloc(&got[q], c->dt, ref->rows, ref->cols, ref->ld, err);
        m[q] = &got[q];
        if (s == RV_OK && (c->layout & RVC_IN_PLACE) && ops[q].compare == RV_CMP_SAME &&
            ops[q].source >= 0) {
            rvc_mat_copy(&got[q], &c->mat[ops[q].source]);
            m[ops[q].source] = &got[q];
        }
    }
    if (s == RV_OK) {
        rv_any_args a = make_args(c, m);
        if (k->run(k->ctx, c->op, c->dt, opts, &a, &r->error) != RV_OK)
            rvc_tally_add(&r->tally, "kernel", RVC_WHY_KERNEL, -1, -1, 0, 0, 0);
        else
            s = compare_outputs(c, got, r, err);
        r->verdict = r->tally.bad ? RVC_FAILED : RVC_PASSED;
    }
    for (int q = 0; q < c->count; q++)
        rvc_mat_free(&got[q]);
    return s;
}
