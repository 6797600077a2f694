/* variant.h - what a variant file implements, and the macros that let one
 * template body (a .inc file) be compiled once per element type.
 *
 * A variant file defines, for each op, `static void <op>_s(opts, args)` and
 * `<op>_d(...)` (via RV_FN) and ends with RV_DEFINE_VARIANT(name). Its
 * template sees RV_T (the element type) and RV_SUF (s or d). Arguments
 * arrive validated; kernels must not allocate, print or keep state. */
#ifndef RELUVET_VARIANT_H
#define RELUVET_VARIANT_H

#include "reluvet/kernels.h"

typedef void (*rv_kernel_fn)(const rv_opts *opts, const void *args);

typedef struct rv_variant_impl {
    rv_kernel_fn fn[RV_OP_COUNT][RV_DTYPE_COUNT];
} rv_variant_impl;

#define RV_CAT_(a, b) a##_##b
#define RV_CAT(a, b) RV_CAT_(a, b)
/* RV_FN(relu_fwd) -> relu_fwd_s or relu_fwd_d, by the current RV_SUF. */
#define RV_FN(op) RV_CAT(op, RV_SUF)

/* Each variant file ends with:
 *     #define RV_VARIANT_NAME naive
 *     #include "variant_table.inc"
 * which defines rv_naive_impl from the op list in variants.def. */
#define RV_IMPL_SYM_(v) rv_##v##_impl
#define RV_IMPL_SYM(v) RV_IMPL_SYM_(v)

/* Runs body(ctx, i) for i in [0, count): on the calling thread when
 * threads <= 1 or there is one item (an OpenMP team costs microseconds even
 * with `if(0)`, more than a small kernel's whole work), else on `threads`
 * OpenMP threads, statically scheduled. Never call it inside a parallel
 * region. */
static inline void rv_parallel_for(int threads, long count, void (*body)(void *ctx, long i),
                                   void *ctx)
{
    if (threads <= 1 || count <= 1) {
        for (long i = 0; i < count; i++)
            body(ctx, i);
        return;
    }
#pragma omp parallel for num_threads(threads) schedule(static)
    for (long i = 0; i < count; i++)
        body(ctx, i);
}

/* The policy of ops.h, in one place for every variant: NaN propagates
 * through relu, the mask is strict (z > 0, false for NaN). */
#define RV_RELU(x) ((x) <= 0 ? 0 : (x))
#define RV_MASK(z) ((z) > 0)

#endif
