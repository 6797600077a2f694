/* test_broken.c - the harness catches deliberately wrong kernels, and the
 * library's variants pass it. The wrong kernels live here, in the test, and
 * reach the driver as function pointers (check/kernel.h): nothing broken is
 * ever compiled into the library. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "check/buffer.h"
#include "check/check.h"
#include "check/tolerance.h"

/* ---- running the driver and collecting its lines ---- */

typedef struct outcome {
    int lines, passed, failed, mistrusted;
    rvc_line first_failed;
} outcome;

static void collect(void *ctx, const rvc_line *l)
{
    outcome *o = ctx;
    o->lines++;
    o->passed += l->verdict == RVC_PASSED;
    o->mistrusted += l->verdict == RVC_MISTRUSTED;
    if (l->verdict == RVC_FAILED && o->failed++ == 0)
        o->first_failed = *l;
}

static outcome run_config(const rvc_config *cfg, const rvc_kernel *k, int nk)
{
    outcome o = {0};
    rv_error err = {0};
    rv_status s = rvc_check_kernels(cfg, k, nk, collect, &o, NULL, &err);
    if (s != RV_OK)
        fail_msg("rvc_check_kernels: %s", err.msg);
    return o;
}

static outcome run_kernel(const rvc_kernel *k, rv_op op, unsigned modes)
{
    rvc_config cfg = {.ops = 1u << op, .modes = modes, .seed = 12345, .nthreads = 2,
                      .threads = {1, 2}};
    return run_config(&cfg, k, 1);
}

static rv_status oracle(rv_op op, rv_dtype dt, const void *args, rv_error *err)
{
    rv_variant v;
    assert_int_equal(rvc_oracle(&v), 0);
    return rv_run_ex(op, v, dt, NULL, args, err);
}

/* ---- wrong kernels ---- */

/* Elementwise ReLU by a wrong rule; ctx points to the rule. */
typedef struct relu_rule {
    double (*fwd)(double x);
    double (*bwd)(double x, double dy);
} relu_rule;

static double fwd_ge(double x) /* relu(-0.0) = -0.0, relu(NaN) = 0 */
{
    return x >= 0 ? x : 0;
}

static double bwd_ge(double x, double dy) /* the gradient at x == 0 passes */
{
    return x >= 0 ? dy : 0;
}

static double bwd_product(double x, double dy) /* -0.0 and NaN where masked */
{
    return dy * (x > 0);
}

static const relu_rule mask_ge = {fwd_ge, bwd_ge}, product = {NULL, bwd_product};

static rv_status relu_by_rule(const void *ctx, rv_op op, rv_dtype dt, const rv_opts *o,
                              const void *args, rv_error *err)
{
    const relu_rule *r = ctx;
    (void)o, (void)err;
    if (op == RV_OP_RELU_FWD) {
        const rv_relu_fwd_args *a = args;
        for (size_t i = 0; i < a->rows; i++)
            for (size_t j = 0; j < a->cols; j++)
                rvc_store(dt, a->y, i * a->ldy + j, r->fwd(rvc_load(dt, a->x, i * a->ldx + j)));
        return RV_OK;
    }
    const rv_relu_bwd_args *a = args;
    for (size_t i = 0; i < a->rows; i++)
        for (size_t j = 0; j < a->cols; j++)
            rvc_store(dt, a->dx, i * a->lddx + j,
                      r->bwd(rvc_load(dt, a->x, i * a->ldx + j),
                             rvc_load(dt, a->dy, i * a->lddy + j)));
    return RV_OK;
}

/* Clears whole rows of y, padding included, before writing them. */
static rv_status relu_fwd_clears_padding(const void *ctx, rv_op op, rv_dtype dt,
                                         const rv_opts *o, const void *args, rv_error *err)
{
    const rv_relu_fwd_args *a = args;
    (void)ctx, (void)o;
    rv_status s = oracle(op, dt, args, err);
    for (size_t i = 0; i < a->rows; i++)
        for (size_t j = a->cols; j < a->ldy; j++)
            rvc_store(dt, a->y, i * a->ldy + j, 0);
    return s;
}

/* Right answer, but scribbles on its input x. */
static rv_status relu_bwd_writes_input(const void *ctx, rv_op op, rv_dtype dt,
                                       const rv_opts *o, const void *args, rv_error *err)
{
    const rv_relu_bwd_args *a = args;
    (void)ctx, (void)o;
    rv_status s = oracle(op, dt, args, err);
    rvc_store(dt, (void *)a->x, 0, 12345.0);
    return s;
}

/* Refuses to run threaded. */
static rv_status relu_fwd_refuses_threads(const void *ctx, rv_op op, rv_dtype dt,
                                          const rv_opts *o, const void *args, rv_error *err)
{
    (void)ctx;
    if (o->threads > 1)
        return rv_fail(err, RV_ERR_OPTS, "cannot run on %d threads", o->threads);
    return oracle(op, dt, args, err);
}

/* Off by one in the reduction: k < d - 1. */
static rv_status layer_fwd_short_sum(const void *ctx, rv_op op, rv_dtype dt,
                                     const rv_opts *o, const void *args, rv_error *err)
{
    rv_layer_fwd_args a = *(const rv_layer_fwd_args *)args;
    (void)ctx, (void)o;
    if (a.d > 1)
        a.d--;
    return oracle(op, dt, &a, err);
}

/* Off by one in the rows: i < n - 1, the last row never written. */
static rv_status layer_fwd_short_rows(const void *ctx, rv_op op, rv_dtype dt,
                                      const rv_opts *o, const void *args, rv_error *err)
{
    rv_layer_fwd_args a = *(const rv_layer_fwd_args *)args;
    (void)ctx, (void)o;
    if (a.n > 1)
        a.n--;
    return oracle(op, dt, &a, err);
}

/* The f64 API computed in f32: an error of the size of f32 rounding. */
static rv_status layer_fwd_in_f32(const void *ctx, rv_op op, rv_dtype dt, const rv_opts *o,
                                  const void *args, rv_error *err)
{
    const rv_layer_fwd_args *a = args;
    (void)ctx, (void)o;
    if (dt == RV_F32)
        return oracle(op, dt, args, err);
    size_t n = a->n, d = a->d, m = a->m;
    float *X = malloc(n * d * 4), *W = malloc(m * d * 4), *b = malloc(m * 4),
          *v = malloc(m * 4), *Z = malloc(n * m * 4), *o32 = malloc(n * 4);
    assert_true(X && W && b && v && Z && o32);
    for (size_t i = 0; i < n * d; i++)
        X[i] = (float)rvc_load(dt, a->X, i / d * a->ldx + i % d);
    for (size_t j = 0; j < m * d; j++)
        W[j] = (float)rvc_load(dt, a->W, j / d * a->ldw + j % d);
    for (size_t j = 0; j < m; j++) {
        b[j] = a->b ? (float)rvc_load(dt, a->b, j) : 0;
        v[j] = (float)rvc_load(dt, a->v, j);
    }
    rv_layer_fwd_args f = {n, d, m, X, d, W, d, a->b ? b : NULL, v, Z, m, NULL, 0, o32};
    rv_status s = oracle(op, RV_F32, &f, err);
    for (size_t i = 0; i < n; i++) {
        rvc_store(dt, a->o, i, o32[i]);
        for (size_t j = 0; j < m; j++) {
            rvc_store(dt, a->Z, i * a->ldz + j, Z[i * m + j]);
            if (a->H)
                rvc_store(dt, a->H, i * a->ldh + j, Z[i * m + j] > 0 ? Z[i * m + j] : 0);
        }
    }
    free(X), free(W), free(b), free(v), free(Z), free(o32);
    return s;
}

/* The oracle's result with Z[0][0] moved by *ctx times its bound (H kept
 * consistent): inside the bound for factors < 1, outside for > 1. */
static rv_status layer_fwd_nudged(const void *ctx, rv_op op, rv_dtype dt, const rv_opts *o,
                                  const void *args, rv_error *err)
{
    const rv_layer_fwd_args *a = args;
    (void)o;
    rv_status s = oracle(op, dt, args, err);
    double *bz = malloc(a->n * a->m * sizeof *bz), *bo = malloc(a->n * sizeof *bo);
    assert_true(bz && bo);
    rvc_bounds_layer_fwd(dt, a, bz, bo);
    rvc_store(dt, a->Z, 0, rvc_load(dt, a->Z, 0) + *(const double *)ctx * bz[0]);
    if (a->H) {
        rv_relu_fwd_args r = {a->n, a->m, a->Z, a->ldz, a->H, a->ldh};
        s = oracle(RV_OP_RELU_FWD, dt, &r, err);
    }
    free(bz), free(bo);
    return s;
}

/* The gradient at z == 0 passed through: zeros of Z nudged to the
 * smallest subnormal before the oracle's backward. */
static rv_status layer_bwd_mask_ge(const void *ctx, rv_op op, rv_dtype dt, const rv_opts *o,
                                   const void *args, rv_error *err)
{
    rv_layer_bwd_args a = *(const rv_layer_bwd_args *)args;
    double tiny[RVC_SPECIAL_COUNT];
    (void)ctx, (void)o;
    rvc_special_values(dt, tiny, RVC_SPECIAL_COUNT);
    void *z = malloc(a.n * a.ldz * rv_dtype_size(dt));
    assert_non_null(z);
    for (size_t i = 0; i < a.n; i++)
        for (size_t j = 0; j < a.m; j++) {
            double x = rvc_load(dt, a.Z, i * a.ldz + j);
            rvc_store(dt, z, i * a.ldz + j, x == 0 ? tiny[5] : x);
        }
    a.Z = z;
    rv_status s = oracle(op, dt, &a, err);
    free(z);
    return s;
}

/* Forgets db. */
static rv_status layer_bwd_no_db(const void *ctx, rv_op op, rv_dtype dt, const rv_opts *o,
                                 const void *args, rv_error *err)
{
    rv_layer_bwd_args a = *(const rv_layer_bwd_args *)args;
    (void)ctx, (void)o;
    a.db = NULL;
    return oracle(op, dt, &a, err);
}

/* ---- the tests ---- */

typedef struct broken {
    rvc_kernel k;
    rv_op op;
    unsigned modes;     /* 0 = both */
    const char *what;   /* the output the first mismatch must name */
    rvc_why why;
} broken;

#define K(fn, flags) {#fn, flags, fn, NULL}
static const broken broken_kernels[] = {
    {{"relu_fwd_ge", 0, relu_by_rule, &mask_ge}, RV_OP_RELU_FWD, 0, "y", RVC_WHY_IDENTICAL},
    {{"relu_bwd_ge", 0, relu_by_rule, &mask_ge}, RV_OP_RELU_BWD, 0, "dx", RVC_WHY_IDENTICAL},
    {{"relu_bwd_product", 0, relu_by_rule, &product}, RV_OP_RELU_BWD, 0, "dx",
     RVC_WHY_IDENTICAL},
    {K(relu_fwd_clears_padding, 0), RV_OP_RELU_FWD, 0, "y", RVC_WHY_DAMAGE},
    {K(relu_bwd_writes_input, 0), RV_OP_RELU_BWD, 0, "x", RVC_WHY_INPUT},
    {K(relu_fwd_refuses_threads, RV_VF_THREADS), RV_OP_RELU_FWD, 0, "kernel", RVC_WHY_KERNEL},
    {K(layer_fwd_short_sum, 0), RV_OP_LAYER_FWD, 0, "Z", RVC_WHY_BOUND},
    {K(layer_fwd_short_rows, 0), RV_OP_LAYER_FWD, 0, "Z", RVC_WHY_UNWRITTEN},
    {K(layer_fwd_in_f32, 0), RV_OP_LAYER_FWD, 1u << RVC_RANDOM, "Z", RVC_WHY_BOUND},
    {K(layer_bwd_mask_ge, 0), RV_OP_LAYER_BWD, 0, "dZ", RVC_WHY_BOUND},
    {K(layer_bwd_no_db, 0), RV_OP_LAYER_BWD, 0, "db", RVC_WHY_UNWRITTEN},
};

static void wrong_kernels_fail(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof broken_kernels / sizeof broken_kernels[0]; i++) {
        const broken *b = &broken_kernels[i];
        outcome o = run_kernel(&b->k, b->op, b->modes);
        const rvc_failure *f = &o.first_failed.failure;
        print_message("%-26s %d of %d lines FAILED; first: %s %s class %s, %s[%ld,%ld] %s\n",
                      b->k.name, o.failed, o.lines, rv_op_name(o.first_failed.op),
                      rv_dtype_name(o.first_failed.dt), o.first_failed.cls,
                      f->tally.report[0].what, f->tally.report[0].i, f->tally.report[0].j,
                      rvc_why_name(f->tally.report[0].why));
        assert_true(o.failed > 0);
        assert_true(o.first_failed.has_failure);
        assert_true(f->tally.nreport > 0);
        assert_string_equal(f->tally.report[0].what, b->what);
        assert_int_equal(f->tally.report[0].why, b->why);
    }
}

/* The f32-in-f64 bug shows only in f64, every shape with a real sum. */
static void precision_bug_fails_in_f64_only(void **state)
{
    (void)state;
    rvc_kernel k = K(layer_fwd_in_f32, 0);
    rvc_config cfg = {.ops = 1u << RV_OP_LAYER_FWD, .dtypes = 1u << RV_F32,
                      .modes = 1u << RVC_RANDOM, .seed = 7, .nthreads = 1, .threads = {1}};
    assert_int_equal(run_config(&cfg, &k, 1).failed, 0);
    cfg.dtypes = 1u << RV_F64;
    outcome o = run_config(&cfg, &k, 1);
    assert_true(o.failed >= o.lines - 1); /* 1x1 without a real sum may pass */
}

/* Tolerance-sized errors: half the bound passes, twice the bound fails. */
static void nudge_inside_passes_outside_fails(void **state)
{
    (void)state;
    static const double inside = 0.5, outside = 2.0;
    rvc_kernel in = {"nudged_inside", 0, layer_fwd_nudged, &inside};
    rvc_kernel out = {"nudged_outside", 0, layer_fwd_nudged, &outside};
    outcome o = run_kernel(&in, RV_OP_LAYER_FWD, 1u << RVC_RANDOM);
    assert_int_equal(o.failed, 0);
    assert_int_equal(o.passed, o.lines);
    o = run_kernel(&out, RV_OP_LAYER_FWD, 1u << RVC_RANDOM);
    assert_int_equal(o.failed, o.lines);
    assert_string_equal(o.first_failed.failure.tally.report[0].what, "Z");
    assert_int_equal(o.first_failed.failure.tally.report[0].i, 0);
    assert_int_equal(o.first_failed.failure.tally.report[0].j, 0);
}

/* Every variant of variants.def passes where the wrong kernels fail: every
 * op, both modes (one thread here; the ctest reluvet_check sweeps threads). */
static void library_variants_pass(void **state)
{
    (void)state;
    rvc_config cfg = {.seed = 99, .nthreads = 1, .threads = {1}};
    outcome o = {0};
    rv_error err = {0};
    assert_int_equal(rvc_check_variants(&cfg, collect, &o, NULL, &err), RV_OK);
    assert_int_equal(o.failed, 0);
    assert_int_equal(o.mistrusted, 0);
    assert_true(o.lines > 0);
}

/* The reproducer: the failing shape, mode and seed, given alone, fail
 * again with the same first mismatch. */
static void failure_reproduces_from_its_shape(void **state)
{
    (void)state;
    rvc_kernel k = K(layer_bwd_mask_ge, 0);
    outcome o = run_kernel(&k, RV_OP_LAYER_BWD, 0);
    assert_true(o.failed > 0);
    const rvc_failure *f = &o.first_failed.failure;
    rvc_config cfg = {.ops = 1u << o.first_failed.op, .dtypes = 1u << o.first_failed.dt,
                      .modes = 1u << f->mode, .has_shape = 1, .shape = f->shape,
                      .seed = o.first_failed.seed, .nthreads = 1, .threads = {1}};
    outcome again = run_config(&cfg, &k, 1);
    assert_int_equal(again.failed, 1);
    const rvc_mismatch *a = &f->tally.report[0], *b = &again.first_failed.failure.tally.report[0];
    assert_string_equal(a->what, b->what);
    assert_int_equal(a->i, b->i);
    assert_int_equal(a->j, b->j);
    assert_true(a->got == b->got && a->want == b->want);
}

/* An all-masked Z leaves the check blind: MISTRUSTED, never PASSED. */
static void blind_case_is_mistrusted(void **state)
{
    (void)state;
    rvc_case c;
    rv_error err = {0};
    assert_int_equal(rvc_case_prepare(&c, RV_OP_LAYER_BWD, RV_F32, (rv_shape){4, 3, 5}, 0,
                                      RVC_RANDOM, 1, &err), RV_OK);
    assert_null(c.mistrust);
    rvc_mat *z = &c.mat[3];
    assert_int_equal(z->rows * z->cols, 20);
    for (size_t i = 0; i < z->rows; i++)
        for (size_t j = 0; j < z->cols; j++)
            rvc_mat_set(z, i, j, -1.0 - (double)j);
    assert_int_equal(rvc_case_refresh(&c, &err), RV_OK);
    assert_non_null(c.mistrust);
    rv_variant v;
    assert_int_equal(rvc_oracle(&v), 0);
    rvc_kernel k = rvc_variant_kernel(v);
    rvc_result r;
    assert_int_equal(rvc_case_verify(&c, &k, NULL, &r, &err), RV_OK);
    assert_int_equal(r.verdict, RVC_MISTRUSTED);
    rvc_case_free(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(wrong_kernels_fail),
        cmocka_unit_test(precision_bug_fails_in_f64_only),
        cmocka_unit_test(nudge_inside_passes_outside_fails),
        cmocka_unit_test(library_variants_pass),
        cmocka_unit_test(failure_reproduces_from_its_shape),
        cmocka_unit_test(blind_case_is_mistrusted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
