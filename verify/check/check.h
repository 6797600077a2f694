/* check/check.h - the check driver behind `reluvet check`.
 *
 * For every operation x kernel x dtype x shape class it prepares each case
 * of the class in each fill mode (check/case.h), verifies every kernel on
 * it at every thread count (kernels flagged RV_VF_THREADS) and tile shape
 * (RV_VF_BLOCKS), and hands one line per (operation, kernel, dtype, class)
 * to a callback. Nothing here prints. */
#ifndef RVC_CHECK_H
#define RVC_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include "check/case.h"
#include "check/kernel.h"

#define RVC_MAX_THREAD_COUNTS 8

typedef struct rvc_config {
    unsigned ops;       /* bit 1 << op per operation to check; 0 = all */
    unsigned variants;  /* bit 1 << variant (rvc_check_variants); 0 = all */
    unsigned dtypes;    /* bit 1 << dtype; 0 = both */
    unsigned modes;     /* bit 1 << rvc_mode; 0 = both */
    int has_shape;      /* check only `shape`, in every layout of the op */
    rv_shape shape;
    uint64_t seed;      /* data and random shapes */
    int nthreads;       /* thread counts for threaded kernels; 0 = defaults */
    int threads[RVC_MAX_THREAD_COUNTS];
} rvc_config;

/* The first failing run of a line: enough to reproduce it. */
typedef struct rvc_failure {
    rv_shape shape;
    unsigned layout;
    rvc_mode mode;
    rv_opts opts;
    rvc_tally tally;  /* its mismatches */
    rv_error error;   /* the kernel's error, if it returned one */
} rvc_failure;

typedef struct rvc_line {
    rv_op op;
    rv_dtype dt;
    const char *cls;        /* shape class ("simd", "random", "given") */
    const char *kernel;     /* kernel name */
    uint64_t seed;
    rvc_verdict verdict;    /* FAILED if any run failed, else PASSED if any
                             * passed, else MISTRUSTED */
    size_t cases;           /* (shape, layout, mode) cases */
    size_t runs, passed, failed, mistrusted; /* kernel runs and their verdicts */
    size_t compared;        /* output elements compared, all runs */
    size_t fd_compared;     /* of which against finite differences */
    size_t fd_params, fd_skipped; /* finite differences taken / skipped at kinks */
    size_t flips;           /* mask flips inside the bound */
    size_t redraws;         /* blind inputs drawn again */
    double worst_ratio;     /* max |err| / bound against the reference */
    double fd_worst_ratio;  /* max |err| / bound against finite differences */
    const char *mistrust;   /* why a case was blind (first one), or NULL */
    int has_failure;
    rvc_failure failure;
} rvc_line;

typedef void (*rvc_emit_fn)(void *ctx, const rvc_line *line);

typedef struct rvc_totals {
    size_t lines[RVC_VERDICT_COUNT]; /* lines by verdict */
    size_t runs, compared;
} rvc_totals;

/* The default thread counts: 1, 2 and the usable cores when there are more
 * (at most cap values). Returns how many it wrote. */
int rvc_default_threads(int *threads, int cap);

/* Checks kernels[0..nkernels) (cfg->variants is ignored), emitting a line
 * per (op, kernel, dtype, class) in that order of loops: op, dtype, class,
 * kernel. *tot (may be NULL) gets the totals. Returns RV_OK when every
 * case could be prepared and verified (whatever the verdicts), else the
 * first error (out of memory, a bad configuration). */
rv_status rvc_check_kernels(const rvc_config *cfg, const rvc_kernel *kernels, int nkernels,
                            rvc_emit_fn emit, void *ctx, rvc_totals *tot, rv_error *err);

/* The same over the variants of variants.def selected by cfg->variants. */
rv_status rvc_check_variants(const rvc_config *cfg, rvc_emit_fn emit, void *ctx,
                             rvc_totals *tot, rv_error *err);

#endif
