/* cases.c - the benchmark bodies (variants, tuned plans, roofs, the training
 * step) and their registration over the shape sets. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <blis.h>
#include <omp.h>

#include "cases.h"

static int elementwise(int op)
{
    return op == RV_OP_RELU_FWD || op == RV_OP_RELU_BWD;
}

/* ---- what was registered, to free after the run ---- */

typedef struct ptr_list {
    void **v;
    size_t n, cap;
} ptr_list;

static ptr_list problems, cases; /* cases own their plans */

/* A zeroed allocation of size, recorded in list; NULL when out of memory. */
static void *alloc_in(ptr_list *list, size_t size)
{
    if (list->n == list->cap) {
        size_t cap = list->cap ? 2 * list->cap : 256;
        void **grown = realloc(list->v, cap * sizeof *grown);
        if (!grown)
            return NULL;
        list->v = grown;
        list->cap = cap;
    }
    void *p = calloc(1, size);
    if (p)
        list->v[list->n++] = p;
    return p;
}

static void free_list(ptr_list *list)
{
    for (size_t i = 0; i < list->n; i++)
        free(list->v[i]);
    free(list->v);
    *list = (ptr_list){0};
}

void rvb_cases_free(void)
{
    rvb_problem_release_all();
    for (size_t i = 0; i < cases.n; i++) {
        rvb_case *c = cases.v[i];
        rv_plan_destroy(c->plan[0]);
        rv_plan_destroy(c->plan[1]);
    }
    free_list(&cases);
    free_list(&problems);
}

/* ---- shared by every body ---- */

int rvb_case_begin(rvb_state *st, rvb_case *c)
{
    rv_error err = {0};
    if (rvb_problem_acquire(c->p, &err) != RV_OK) {
        rvb_skip_with_error(st, err.msg);
        return -1;
    }
    return 0;
}

void rvb_shape_counters(rvb_state *st, rv_shape s, int threads)
{
    rvb_counter(st, "n", (double)s.n, 0);
    rvb_counter(st, "d", (double)s.d, 0);
    rvb_counter(st, "m", (double)s.m, 0);
    rvb_counter(st, "nthreads", threads, 0);
}

void rvb_case_finish(rvb_state *st, const rvb_case *c, const char *label)
{
    const rvb_problem *p = c->p;
    double bytes = rvb_problem_bytes(p), flops = rvb_problem_flops(p);
    if (elementwise(p->op))
        rvb_counter(st, "GB/s", bytes * 1e-9, RVB_RATE_PER_ITER);
    else
        rvb_counter(st, "GFLOP/s", flops * 1e-9, RVB_RATE_PER_ITER);
    rvb_shape_counters(st, p->s, c->threads);
    rvb_counter(st, "bytes", bytes, 0);
    if (flops > 0) /* elementwise ops have none (and a zero mean makes its cv NaN) */
        rvb_counter(st, "flops", flops, 0);
    if (label)
        rvb_set_label(st, label);
}

/* ---- variants and the tuned plan ---- */

static void bm_variant(rvb_state *st, void *u)
{
    rvb_case *c = u;
    if (rvb_case_begin(st, c))
        return;
    rv_op op = (rv_op)c->p->op;
    rv_opts o = {.threads = c->threads};
    const void *args = rvb_problem_args(c->p);
    rv_error err = {0};
    if (rv_run_ex(op, c->variant, c->p->dt, &o, args, &err) != RV_OK) { /* warm-up, untimed */
        rvb_skip_with_error(st, err.msg);
        return;
    }
    while (rvb_keep_running(st))
        (void)rv_run_ex(op, c->variant, c->p->dt, &o, args, NULL);
    rvb_case_finish(st, c, NULL);
}

/* The plan the tuned dispatch makes for op at c's problem and threads. */
static rv_status make_plan(rvb_case *c, int slot, rv_op op, unsigned flags, rv_error *err)
{
    if (c->plan[slot])
        return RV_OK;
    rv_plan_opts po = {.max_threads = c->threads};
    return rv_plan_create(&c->plan[slot], op, c->p->dt, c->p->s, flags, &po, err);
}

static void bm_tuned(rvb_state *st, void *u)
{
    rvb_case *c = u;
    if (rvb_case_begin(st, c))
        return;
    const void *args = rvb_problem_args(c->p);
    rv_error err = {0};
    if (make_plan(c, 0, (rv_op)c->p->op, c->p->flags, &err) != RV_OK ||
        rv_plan_execute(c->plan[0], args, &err) != RV_OK) {
        rvb_skip_with_error(st, err.msg);
        return;
    }
    while (rvb_keep_running(st))
        (void)rv_plan_execute(c->plan[0], args, NULL);
    char label[256];
    rvb_case_finish(st, c, rv_plan_describe(c->plan[0], label, sizeof label));
}

/* ---- roofs ---- */

/* The BLIS context (micro-kernel set) the BLIS variant runs on, by the name
 * the library reports (reluvet/backend.h), so that the roof and the variant
 * use the same kernels. */
static cntx_t *roof_cntx(void)
{
    static cntx_t *cntx;
    if (cntx)
        return cntx;
    const char *want = rv_blis_kernel_set();
    for (int id = 0; id < BLIS_NUM_ARCHS && !cntx; id++)
        if (strcmp(bli_arch_string((arch_t)id), want) == 0)
            cntx = bli_gks_lookup_nat_cntx((arch_t)id);
    if (!cntx)
        cntx = bli_gks_query_cntx();
    return cntx;
}

/* C = op(A) op(B) with BLIS, row-major, beta = 0, at rntm's threads. */
static void gemm(rv_dtype dt, trans_t ta, trans_t tb, size_t m, size_t n, size_t k,
                 const void *a, size_t lda, const void *b, size_t ldb, void *c, size_t ldc,
                 rntm_t *rntm)
{
    cntx_t *cntx = roof_cntx();
    if (dt == RV_F32) {
        float one = 1, zero = 0;
        bli_sgemm_ex(ta, tb, (dim_t)m, (dim_t)n, (dim_t)k, &one, (float *)a, (inc_t)lda, 1,
                     (float *)b, (inc_t)ldb, 1, &zero, c, (inc_t)ldc, 1, cntx, rntm);
    } else {
        double one = 1, zero = 0;
        bli_dgemm_ex(ta, tb, (dim_t)m, (dim_t)n, (dim_t)k, &one, (double *)a, (inc_t)lda, 1,
                     (double *)b, (inc_t)ldb, 1, &zero, c, (inc_t)ldc, 1, cntx, rntm);
    }
}

/* The GEMMs of a layer op alone, on its own buffers: forward Z = X W^T;
 * backward dW = dZ^T X and, with dX, dX = dZ W. */
static void gemm_roof(const rvb_problem *p, rntm_t *rntm)
{
    size_t n = p->s.n, d = p->s.d, m = p->s.m;
    if (p->op == RV_OP_LAYER_FWD) {
        const rv_layer_fwd_args *a = &p->layer_fwd;
        gemm(p->dt, BLIS_NO_TRANSPOSE, BLIS_TRANSPOSE, n, m, d, a->X, a->ldx, a->W, a->ldw,
             a->Z, a->ldz, rntm);
        return;
    }
    const rv_layer_bwd_args *a = &p->layer_bwd;
    gemm(p->dt, BLIS_TRANSPOSE, BLIS_NO_TRANSPOSE, m, d, n, a->dZ, a->lddz, a->X, a->ldx,
         a->dW, a->lddw, rntm);
    if (a->dX)
        gemm(p->dt, BLIS_NO_TRANSPOSE, BLIS_NO_TRANSPOSE, n, d, m, a->dZ, a->lddz, a->W,
             a->ldw, a->dX, a->lddx, rntm);
}

static void bm_roof_gemm(rvb_state *st, void *u)
{
    rvb_case *c = u;
    if (rvb_case_begin(st, c))
        return;
    rntm_t rntm;
    bli_rntm_init(&rntm);
    bli_rntm_set_num_threads(c->threads, &rntm);
    gemm_roof(c->p, &rntm);
    while (rvb_keep_running(st))
        gemm_roof(c->p, &rntm);
    rvb_case_finish(st, c,
                    c->p->op == RV_OP_LAYER_FWD ? "BLIS gemm Z = X W^T (rate: the layer's flops)"
                    : c->p->flags & RV_PLAN_WITH_DX
                        ? "BLIS gemm dW = dZ^T X, dX = dZ W (rate: the layer's flops)"
                        : "BLIS gemm dW = dZ^T X (rate: the layer's flops)");
}

/* memcpy of bytes, split into cache-line-aligned chunks over threads. */
static void copy(void *dst, const void *src, size_t bytes, int threads)
{
    if (threads <= 1) {
        memcpy(dst, src, bytes);
        return;
    }
#pragma omp parallel num_threads(threads)
    {
        size_t nt = (size_t)omp_get_num_threads(), t = (size_t)omp_get_thread_num();
        size_t chunk = (bytes / nt + 63) / 64 * 64;
        size_t lo = t * chunk < bytes ? t * chunk : bytes;
        size_t hi = lo + chunk < bytes ? lo + chunk : bytes;
        memcpy((char *)dst + lo, (const char *)src + lo, hi - lo);
    }
}

static void bm_roof_copy(rvb_state *st, void *u)
{
    rvb_case *c = u;
    if (rvb_case_begin(st, c))
        return;
    size_t bytes = rvb_copy_bytes(c->p);
    void *dst = c->p->a[RVB_A_CDST];
    const void *src = c->p->a[RVB_A_CSRC];
    copy(dst, src, bytes, c->threads);
    while (rvb_keep_running(st)) {
        copy(dst, src, bytes, c->threads);
        rvb_clobber_memory();
    }
    rvb_case_finish(st, c, "memcpy of half the op's bytes (read + write = the op's bytes)");
}

/* ---- the full training step ---- */

/* g = dL/do for the mean logistic loss L = mean log(1 + exp(-y o)), and the
 * gradient-descent update w -= lr grad; once per element type. */
#define STEP_LOOPS(T, SUF, EXP)                                                                \
    static void loss_grad_##SUF(size_t n, const T *o, const T *y, T *g)                      \
    {                                                                                          \
        for (size_t i = 0; i < n; i++) {                                                       \
            T t = -y[i] * o[i]; /* sigmoid(t), without overflow */                             \
            T s = t >= 0 ? 1 / (1 + EXP(-t)) : EXP(t) / (1 + EXP(t));                          \
            g[i] = -y[i] * s / (T)n;                                                           \
        }                                                                                      \
    }                                                                                          \
    static void update_##SUF(size_t len, T lr, const T *grad, T *w, int threads)               \
    {                                                                                          \
        _Pragma("omp parallel for simd num_threads(threads) if(len >= 65536)")                 \
        for (size_t i = 0; i < len; i++)                                                       \
            w[i] -= lr * grad[i];                                                              \
    }
STEP_LOOPS(float, s, expf)
STEP_LOOPS(double, d, exp)

static const double step_lr = 1e-3;

/* The parameters w (W, b, v) and their gradients from the problem. */
static void step_update(rvb_problem *p, int threads)
{
    size_t md = p->s.m * p->s.d, m = p->s.m;
    if (p->dt == RV_F32) {
        update_s(md, (float)step_lr, p->a[RVB_A_DW], p->a[RVB_A_W], threads);
        update_s(m, (float)step_lr, p->a[RVB_A_DB], p->a[RVB_A_B], 1);
        update_s(m, (float)step_lr, p->a[RVB_A_DV], p->a[RVB_A_V], 1);
    } else {
        update_d(md, step_lr, p->a[RVB_A_DW], p->a[RVB_A_W], threads);
        update_d(m, step_lr, p->a[RVB_A_DB], p->a[RVB_A_B], 1);
        update_d(m, step_lr, p->a[RVB_A_DV], p->a[RVB_A_V], 1);
    }
}

static rv_status step(rvb_case *c, rv_error *err)
{
    rvb_problem *p = c->p;
    rv_status s = rv_plan_execute(c->plan[0], &p->layer_fwd, err);
    if (s != RV_OK)
        return s;
    if (p->dt == RV_F32)
        loss_grad_s(p->s.n, p->a[RVB_A_O], p->a[RVB_A_Y], p->a[RVB_A_G]);
    else
        loss_grad_d(p->s.n, p->a[RVB_A_O], p->a[RVB_A_Y], p->a[RVB_A_G]);
    s = rv_plan_execute(c->plan[1], &p->layer_bwd, err);
    if (s == RV_OK)
        step_update(p, c->threads);
    return s;
}

static void bm_step(rvb_state *st, void *u)
{
    rvb_case *c = u;
    if (rvb_case_begin(st, c))
        return;
    rv_error err = {0};
    if (make_plan(c, 0, RV_OP_LAYER_FWD, 0, &err) != RV_OK ||
        make_plan(c, 1, RV_OP_LAYER_BWD, 0, &err) != RV_OK || step(c, &err) != RV_OK) {
        rvb_skip_with_error(st, err.msg);
        return;
    }
    while (rvb_keep_running(st))
        (void)step(c, NULL);
    char fwd[200], bwd[200], label[420];
    rv_plan_describe(c->plan[0], fwd, sizeof fwd);
    rv_plan_describe(c->plan[1], bwd, sizeof bwd);
    snprintf(label, sizeof label, "%s; %s", fwd, bwd);
    rvb_case_finish(st, c, label);
}

/* ---- registration ---- */

static rv_status add_case(rvb_problem *p, const char *impl, int threads, rv_variant v,
                          rvb_fn fn, rv_error *err)
{
    rvb_case *c = alloc_in(&cases, sizeof *c);
    if (!c)
        return rv_fail(err, RV_ERR_NOMEM, "out of memory registering cases");
    *c = (rvb_case){.p = p, .threads = threads, .variant = v};
    char name[200];
    rvb_case_name(name, sizeof name, rvb_op_name(p->op), impl, p->dt, p->set, p->s, threads);
    rvb_opts o = {.threads = threads, .unit = RVB_US};
    if (rvb_register(name, fn, c, &o) != 0)
        return rv_fail(err, RV_ERR_NOMEM, "could not register %s", name);
    return RV_OK;
}

/* Every way of running problem p, at each thread count. */
static rv_status add_problem(rvb_problem *p, rv_error *err)
{
    int t[2], nt = rvb_thread_counts(t);
    rv_status s = RV_OK;
    for (int i = 0; i < nt && s == RV_OK; i++) {
        if (p->op == RVB_OP_STEP) {
            s = add_case(p, "tuned", t[i], 0, bm_step, err);
            continue;
        }
        for (int v = 0; v < RV_VARIANT_COUNT && s == RV_OK; v++) {
            unsigned f = rv_variant_flags((rv_variant)v);
            if ((i > 0 && !(f & RV_VF_THREADS)) ||
                ((f & RV_VF_ORACLE) && rvb_problem_flops(p) > RVB_ORACLE_MAX_FLOPS))
                continue;
            s = add_case(p, rv_variant_name((rv_variant)v), t[i], (rv_variant)v, bm_variant,
                         err);
        }
        if (s == RV_OK)
            s = add_case(p, "tuned", t[i], 0, bm_tuned, err);
        if (s == RV_OK)
            s = elementwise(p->op) ? add_case(p, "roof-copy", t[i], 0, bm_roof_copy, err)
                                   : add_case(p, "roof-gemm", t[i], 0, bm_roof_gemm, err);
#ifdef RVB_HAVE_ONEDNN
        if (s == RV_OK && rvb_onednn_covers(p))
            s = add_case(p, "peer-onednn", t[i], 0, rvb_onednn_bench, err);
#endif
    }
    return s;
}

static rv_status new_problem(int op, rv_dtype dt, rvb_set set, rv_shape s, unsigned flags,
                             unsigned seed, rv_error *err)
{
    rvb_problem *p = alloc_in(&problems, sizeof *p);
    if (!p)
        return rv_fail(err, RV_ERR_NOMEM, "out of memory registering cases");
    /* keep the flags that apply to op: a plan checks them against the args */
    unsigned mask = op == RV_OP_LAYER_FWD   ? RV_PLAN_WITH_H | RV_PLAN_NO_BIAS
                    : op == RV_OP_LAYER_BWD ? RV_PLAN_WITH_DX | RV_PLAN_NO_BIAS
                                            : 0;
    *p = (rvb_problem){
        .op = op, .dt = dt, .set = set, .s = s, .flags = flags & mask, .seed = seed};
    return add_problem(p, err);
}

/* Problems in registration (= run) order: set by set, shape by shape, every
 * op of variants.def that applies to the set, every dtype. */
rv_status rvb_register_all(int quick, unsigned seed, rv_error *err)
{
    rv_status s = RV_OK;
    size_t count;
    const int *q;
    const size_t *ws = rvb_cache_sizes(&count, &q);
    for (size_t i = 0; i < count && s == RV_OK; i++)
        for (int op = 0; op < RV_OP_COUNT && s == RV_OK; op++)
            for (int dt = 0; dt < RV_DTYPE_COUNT && s == RV_OK; dt++)
                if ((!quick || q[i]) && elementwise(op))
                    s = new_problem(op, (rv_dtype)dt, RVB_SET_CACHE,
                                    rvb_cache_shape((rv_op)op, (rv_dtype)dt, ws[i]), 0, seed,
                                    err);
    for (int set = RVB_SET_HARNESS; set <= RVB_SET_MLP; set++) {
        const rvb_layer_shape *ls = rvb_layer_shapes((rvb_set)set, &count);
        for (size_t i = 0; i < count && s == RV_OK; i++) {
            if (quick && !ls[i].quick)
                continue;
            for (int op = 0; op < RV_OP_COUNT && s == RV_OK; op++)
                for (int dt = 0; dt < RV_DTYPE_COUNT && s == RV_OK; dt++)
                    if (!elementwise(op))
                        s = new_problem(op, (rv_dtype)dt, (rvb_set)set, ls[i].s, ls[i].flags,
                                        seed, err);
            /* the training step, on the harness's shapes only */
            for (int dt = 0; dt < RV_DTYPE_COUNT && s == RV_OK && set == RVB_SET_HARNESS; dt++)
                s = new_problem(RVB_OP_STEP, (rv_dtype)dt, (rvb_set)set, ls[i].s, 0, seed, err);
        }
    }
    return s;
}
