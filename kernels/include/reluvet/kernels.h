/* reluvet/kernels.h - the variants and the expert entry point that runs one
 * named variant with explicit run-time options.
 *
 * Kernels do no I/O, hold no global state and allocate nothing: every buffer
 * is the caller's. Validation happens once, in rv_run_ex, before the kernel. */
#ifndef RELUVET_KERNELS_H
#define RELUVET_KERNELS_H

#include "reluvet/ops.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Which rv_opts fields a variant reads (the tuner's search space). */
enum {
    RV_VF_ORACLE = 1 << 0,   /* the reference: never a contender */
    RV_VF_THREADS = 1 << 1,  /* reads opts.threads */
    RV_VF_BLOCKS = 1 << 2,   /* reads opts.block_rows / opts.block_cols */
};

typedef enum rv_variant {
#define RV_VARIANT(ID, name, flags) RV_VAR_##ID,
#include "reluvet/variants.def"
#undef RV_VARIANT
    RV_VARIANT_COUNT
} rv_variant;

/* Run-time options. Zero-initialised options are valid and mean: one thread,
 * the variant's default blocking. A variant ignores fields it does not read. */
typedef struct rv_opts {
    int threads;     /* 0 or 1: single-threaded; at most RV_MAX_THREADS */
    int block_rows;  /* rows of an output tile; 0 = default; else 1..4096 */
    int block_cols;  /* columns of an output tile; 0 = default; else 1..4096 */
} rv_opts;

#define RV_MAX_THREADS 1024
#define RV_MAX_BLOCK 4096

const char *rv_variant_name(rv_variant v);                   /* NULL if unknown */
int rv_variant_from_name(const char *name, rv_variant *v);   /* 0 ok, -1 unknown */
unsigned rv_variant_flags(rv_variant v);                      /* RV_VF_* bits */

/* Checks opts (NULL is valid: the defaults). */
rv_status rv_opts_validate(const rv_opts *opts, rv_error *err);

/* Runs variant v of op on args (the op's argument block, see ops.h) in dtype
 * dt. Validates everything first; on error nothing is written and err (if
 * not NULL) says why. Must not be called from inside an OpenMP parallel
 * region when v is threaded (BLIS and OpenMP would oversubscribe). */
rv_status rv_run_ex(rv_op op, rv_variant v, rv_dtype dt, const rv_opts *opts,
                    const void *args, rv_error *err);

#ifdef __cplusplus
}
#endif
#endif
