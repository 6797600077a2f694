/* problem.h - one benchmarked problem instance: an operation (or the full
 * training step), a dtype, a shape and its RV_PLAN_* flags, with the buffers
 * and argument blocks every case of that instance shares (variants, the
 * tuned plan, the roofs and the peers), so that they run on the same data.
 *
 * Buffers are allocated and filled when a case of the problem first runs and
 * freed when a case of another problem runs (cases are registered grouped by
 * problem, so each problem is set up once and only one is alive at a time). */
#ifndef RELUVET_BENCH_PROBLEM_H
#define RELUVET_BENCH_PROBLEM_H

#include "reluvet/reluvet.h"
#include "shapes.h"

/* The full training step (layer_fwd, logistic-loss gradient, layer_bwd, a GD
 * update) is benchmarked like an operation; it is not one of the library's. */
#define RVB_OP_STEP ((int)RV_OP_COUNT)

/* The arrays a problem may own (which ones depends on the op and flags). */
enum {
    RVB_A_X, RVB_A_W, RVB_A_B, RVB_A_V, RVB_A_Z, RVB_A_H, RVB_A_O, RVB_A_G, RVB_A_DZ,
    RVB_A_DV, RVB_A_DW, RVB_A_DB, RVB_A_DX, RVB_A_Y, /* layer ops and step */
    RVB_A_RX, RVB_A_RY, RVB_A_RDY, RVB_A_RDX,       /* elementwise ops */
    RVB_A_CSRC, RVB_A_CDST,                          /* the copy roof */
    RVB_A_COUNT
};

typedef struct rvb_problem rvb_problem;
struct rvb_problem {
    int op;           /* an rv_op, or RVB_OP_STEP */
    rv_dtype dt;
    rvb_set set;
    rv_shape s;
    unsigned flags;   /* RV_PLAN_* */
    unsigned seed;
    /* set while the problem is acquired */
    void *a[RVB_A_COUNT];
    rv_relu_fwd_args relu_fwd;
    rv_relu_bwd_args relu_bwd;
    rv_layer_fwd_args layer_fwd;
    rv_layer_bwd_args layer_bwd;
    void *peer;                        /* a peer's state for this problem */
    void (*peer_free)(void *peer);
};

/* The name of op ("step" for RVB_OP_STEP). */
const char *rvb_op_name(int op);

/* Makes p the live problem: releases the previous one, allocates and fills
 * p's buffers (deterministically from p->seed) unless p is already live. */
rv_status rvb_problem_acquire(rvb_problem *p, rv_error *err);

/* Frees the live problem's buffers and peer state, if any. */
void rvb_problem_release_all(void);

/* The argument block of p's operation (p->op an rv_op). */
const void *rvb_problem_args(const rvb_problem *p);

/* The cost model's work per run of p: flops (layer ops and the step: fwd +
 * bwd) and bytes (each array read or written once). */
double rvb_problem_flops(const rvb_problem *p);
double rvb_problem_bytes(const rvb_problem *p);

/* The bytes the copy roof copies: half the op's bytes, so that its read plus
 * its write move the bytes the op moves. */
size_t rvb_copy_bytes(const rvb_problem *p);

#endif
