/* tune_check.h - the tuner's compact self-check: a candidate must match the
 * reference variant exactly on inputs where exact agreement is guaranteed.
 *
 * Inputs are integers in [-4, 4] scaled by 1/8 (tune_ws.h). Every partial
 * sum of an output is then an integer multiple of 1/64 (sums of products of
 * two inputs) or 1/512 (three), bounded in those units by
 *   layer_fwd: Z: 16 d + 32;  o: 4 m (16 d + 32);
 *   layer_bwd: dv, db: 16 n;  dW: 64 n;  dX: 64 m;
 *   relu ops:  no sums (exact selects);
 * so it is exact whatever the summation order, blocking or threading, as
 * long as the bound is below 2^24 (f32) or 2^53 (f64).
 * Candidates are checked at the problem's own shape when that is exact and
 * costs at most RV_CHECK_MAX_MACS multiply-adds; otherwise at a reduced
 * shape where each extent above 191 becomes 128 + (extent mod 64), which
 * keeps the edge tiles of SIMD widths and power-of-two blockings.
 * Outputs are pre-filled with NaN, so an element never written fails.
 *
 * This stands in for the shared check code of verify/check: swap it there
 * by replacing this file's three functions. */
#ifndef RELUVET_TUNE_CHECK_H
#define RELUVET_TUNE_CHECK_H

#include "tune_internal.h"

#define RV_CHECK_MAX_MACS ((double)(1 << 25))

typedef struct rv_checker rv_checker;

/* The shape candidates of p are checked at (see above). */
rv_shape rv_check_shape(const rv_problem *p);

/* Builds a checker for p: inputs at the check shape, and the reference
 * variant's outputs computed once through run. */
rv_status rv_checker_create(rv_checker **out, const rv_problem *p, rv_run_fn run,
                            rv_error *err);

/* Runs c through run and compares every output element with the
 * reference's with ==. Returns 1 when all match; else 0 with the first
 * mismatch (or the run's error) described in note. */
int rv_checker_passes(rv_checker *chk, const rv_candidate *c, char *note, size_t cap);

void rv_checker_destroy(rv_checker *chk); /* NULL is a no-op */

#endif
