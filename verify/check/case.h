/* check/case.h - one check case and the verification of one kernel run.
 *
 * A case is an operation, a dtype, a shape, a layout (check/shapes.h) and a
 * fill mode (check/fill.h) with its data: the inputs, the reference's
 * outputs (computed once by the oracle of variants.def), the per-element
 * bounds of the tolerance model (zero in exact mode), and for layer_bwd in
 * random mode on small shapes the finite-difference gradients (check/fd.h).
 * Verifying a kernel runs it once on fresh outputs pre-filled with the NaN
 * canary and compares:
 *   relu_fwd y, relu_bwd dx:       identical to the reference;
 *   layer_fwd Z, o:                within the bound (exact mode: ==);
 *   layer_fwd H:                   identical to relu(Z) of the kernel's own Z;
 *   layer_bwd dZ, dv, dW, db, dX:  within the bound (dZ: == 0 where masked);
 *                                  and dv, db, dW, dX within the bound (one
 *                                  more rounding in dv) plus the FD error of
 *                                  the finite differences, where computed;
 * and checks that no guard or padding element was written and that the
 * inputs are unchanged. */
#ifndef RVC_CASE_H
#define RVC_CASE_H

#include <stdint.h>

#include "check/buffer.h"
#include "check/compare.h"
#include "check/fd.h"
#include "check/fill.h"
#include "check/kernel.h"
#include "reluvet/schema.h"

typedef enum rvc_verdict {
    RVC_PASSED,
    RVC_FAILED,
    RVC_MISTRUSTED, /* the data made the check blind (e.g. an all-zero H) */
    RVC_VERDICT_COUNT
} rvc_verdict;

/* "PASSED" / "FAILED" / "MISTRUSTED". */
const char *rvc_verdict_name(rvc_verdict v);

#define RVC_MAX_OPERANDS RV_MAX_OPERANDS
/* Inputs that leave the check blind are drawn again (deterministically, from
 * the same seed) at most this many times before the case is MISTRUSTED. */
#define RVC_MAX_REDRAWS 8
/* Finite differences run where parameters x forward multiply-adds fit. */
#define RVC_FD_MAX_WORK 4e6

typedef struct rvc_case {
    rv_op op;
    rv_dtype dt;
    rv_shape shape;      /* d = 1 for the elementwise ops */
    unsigned layout;
    rvc_mode mode;
    uint64_t seed;       /* the data seed, derived from the run seed */
    int count;           /* operands of op, in argument-block order */
    rvc_mat mat[RVC_MAX_OPERANDS];    /* inputs and the reference's outputs */
    double *bound[RVC_MAX_OPERANDS];  /* bounded outputs: dense bounds */
    uint64_t hash[RVC_MAX_OPERANDS];  /* inputs: hash of their blocks */
    const char *mistrust; /* why the check is blind; NULL when it is not */
    int redraws;          /* blind inputs drawn again */
    int has_fd;
    rvc_mat bias;         /* finite-difference cases: the forward's bias */
    rvc_fd fd;
    double *fd_bound[RVC_MAX_OPERANDS];
} rvc_case;

typedef struct rvc_result {
    rvc_verdict verdict;
    rvc_tally tally;       /* all comparisons of the run */
    size_t fd_compared;    /* of which against finite differences */
    double fd_worst_ratio; /* max |err| / bound against finite differences */
    rv_error error;        /* the kernel's error, when it returned one */
} rvc_result;

/* Builds the case for (op, dt, shape, layout, mode) with data derived from
 * run_seed and the case's own parameters (so a case has the same data
 * whichever class or command line it comes from). Returns RV_OK (check
 * c->mistrust), or an error (out of memory, no oracle, bad shape) after
 * freeing what it allocated. */
rv_status rvc_case_prepare(rvc_case *c, rv_op op, rv_dtype dt, rv_shape shape,
                           unsigned layout, rvc_mode mode, uint64_t run_seed, rv_error *err);

/* Runs the oracle again on the inputs in c->mat (after a caller changed
 * them) and recomputes the reference outputs, the bounds, the input hashes
 * and c->mistrust. The finite differences, if any, are not recomputed. */
rv_status rvc_case_refresh(rvc_case *c, rv_error *err);

/* Runs kernel k with opts on the case and compares, into *r. A kernel
 * error is a FAILED result, not an error of this function, which fails
 * only when it cannot allocate. A blind case is MISTRUSTED without a run. */
rv_status rvc_case_verify(const rvc_case *c, const rvc_kernel *k, const rv_opts *opts,
                          rvc_result *r, rv_error *err);

/* Frees everything the case owns and zeroes it. */
void rvc_case_free(rvc_case *c);

#endif
