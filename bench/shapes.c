/* shapes.c - the shape sets of the benchmarks (see shapes.h). */
#include <stdio.h>

#include "shapes.h"

/* The overfitting harness trains 2-layer nets with biases on n = 20..100
 * points in d = 1 .. 1000 dimensions at width m = 500..1000 (see
 * notes/science.md); forward stores no H, backward computes no dX. */
static const rvb_layer_shape harness[] = {
    {{20, 1, 1000}, 0, 1},    {{100, 1, 1000}, 0, 0},  {{20, 10, 1000}, 0, 0},
    {{20, 100, 1000}, 0, 0},  {{100, 100, 500}, 0, 0}, {{20, 1000, 500}, 0, 1},
    {{100, 1000, 1000}, 0, 0},
};

/* Hidden layers of a deeper MLP: batch n, fan-in d, fan-out m; H is stored
 * for the next layer and dX is propagated. */
static const rvb_layer_shape mlp[] = {
    {{64, 256, 256}, RV_PLAN_WITH_H | RV_PLAN_WITH_DX, 1},
    {{128, 784, 512}, RV_PLAN_WITH_H | RV_PLAN_WITH_DX, 0},
    {{256, 512, 1024}, RV_PLAN_WITH_H | RV_PLAN_WITH_DX, 0},
};

/* Working sets for elementwise ReLU: two in L1 (48 KiB here), two in L2
 * (1 MiB per core), two in L3 (32 MiB shared), two in DRAM. The report
 * classifies them against the caches the run itself reports. */
static const size_t cache_sizes[] = {
    (size_t)16 << 10, (size_t)32 << 10,  (size_t)128 << 10, (size_t)512 << 10,
    (size_t)4 << 20,  (size_t)16 << 20,  (size_t)128 << 20, (size_t)256 << 20,
};
static const int cache_quick[] = {0, 0, 1, 0, 0, 0, 1, 0};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
_Static_assert(COUNT(cache_sizes) == COUNT(cache_quick), "one quick flag per cache size");

const char *rvb_set_name(rvb_set set)
{
    static const char *const names[RVB_SET_COUNT] = {"harness", "mlp", "cache"};
    return (unsigned)set < RVB_SET_COUNT ? names[set] : NULL;
}

const rvb_layer_shape *rvb_layer_shapes(rvb_set set, size_t *count)
{
    switch (set) {
    case RVB_SET_HARNESS:
        *count = COUNT(harness);
        return harness;
    case RVB_SET_MLP:
        *count = COUNT(mlp);
        return mlp;
    default:
        *count = 0;
        return NULL;
    }
}

const size_t *rvb_cache_sizes(size_t *count, const int **quick)
{
    *count = COUNT(cache_sizes);
    if (quick)
        *quick = cache_quick;
    return cache_sizes;
}

rv_shape rvb_cache_shape(rv_op op, rv_dtype dt, size_t ws_bytes)
{
    enum { COLS = 256 };
    double per_elem = rv_op_bytes(op, dt, (rv_shape){1, 1, 1}, 0);
    size_t elems = (size_t)((double)ws_bytes / per_elem + 0.5);
    if (elems < COLS)
        return (rv_shape){1, 1, elems ? elems : 1};
    return (rv_shape){(elems + COLS / 2) / COLS, 1, COLS};
}

double rvb_step_flops(rv_shape s)
{
    return rv_op_flops(RV_OP_LAYER_FWD, s, 0) + rv_op_flops(RV_OP_LAYER_BWD, s, 0);
}

int rvb_thread_counts(int t[2])
{
    int cores = rv_usable_cores();
    t[0] = 1;
    t[1] = cores;
    return cores > 1 ? 2 : 1;
}

char *rvb_case_name(char *buf, size_t cap, const char *op, const char *impl, rv_dtype dt,
                    rvb_set set, rv_shape s, int threads)
{
    if (set == RVB_SET_CACHE)
        snprintf(buf, cap, "%s/%s/%s/%s/%zux%zu/t%d", op, impl, rv_dtype_name(dt),
                 rvb_set_name(set), s.n, s.m, threads);
    else
        snprintf(buf, cap, "%s/%s/%s/%s/%zux%zux%zu/t%d", op, impl, rv_dtype_name(dt),
                 rvb_set_name(set), s.n, s.d, s.m, threads);
    return buf;
}
