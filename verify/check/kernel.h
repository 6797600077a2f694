/* check/kernel.h - the kernel under test, as a function pointer.
 *
 * The check driver never calls a variant directly: it runs an rvc_kernel.
 * For the library's variants that is rvc_variant_kernel(v), which calls
 * rv_run_ex; tests pass deliberately wrong kernels of their own through the
 * same driver to prove that it catches them, without anything broken ever
 * entering the library. */
#ifndef RVC_KERNEL_H
#define RVC_KERNEL_H

#include "reluvet/kernels.h"

/* Runs op on args (the op's argument block) in dtype dt with opts. Returns
 * RV_OK or an error (reported in err). */
typedef rv_status (*rvc_run_fn)(const void *ctx, rv_op op, rv_dtype dt, const rv_opts *opts,
                                const void *args, rv_error *err);

typedef struct rvc_kernel {
    const char *name;  /* shown in the report: the variant's name */
    unsigned flags;    /* RV_VF_* bits: which rv_opts fields it reads */
    rvc_run_fn run;
    const void *ctx;   /* passed to run */
} rvc_kernel;

/* The kernel that runs variant v (a valid rv_variant) through rv_run_ex. */
rvc_kernel rvc_variant_kernel(rv_variant v);

/* Finds the oracle (the variant flagged RV_VF_ORACLE in variants.def).
 * Returns 0 and *v, or -1 if the list has none. */
int rvc_oracle(rv_variant *v);

#endif
