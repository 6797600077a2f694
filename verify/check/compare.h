/* check/compare.h - elementwise comparison of a kernel's output with what
 * it should be, keeping counts and the first mismatches with indices.
 *
 * Two kinds of comparison:
 *   identical (bound == NULL): the values must be equal, zeros of the same
 *     sign, and NaN matches NaN (any payload) - the exact ops: ReLU forward
 *     and backward, masks, H against relu(Z);
 *   bounded: |got - want| <= bound_ij + slack, NaN matches NaN; a zero
 *     bound is plain == (exact mode, and dZ where the mask is 0).
 * In both, an element of got that is still the canary (check/buffer.h) is
 * reported as unwritten. Mask flips (z and z_ref of different signs) need
 * no test of their own: |z_ref| <= |z - z_ref| <= bound whenever the sign
 * differs, so a flip passes exactly where the model allows it; they are
 * counted for the report. */
#ifndef RVC_COMPARE_H
#define RVC_COMPARE_H

#include <stddef.h>

#include "reluvet/ops.h"

#define RVC_MAX_REPORT 4

typedef enum rvc_why {
    RVC_WHY_UNWRITTEN,  /* still the NaN canary */
    RVC_WHY_BOUND,      /* outside the tolerance bound */
    RVC_WHY_IDENTICAL,  /* an exact result differs (value, sign of zero, NaN) */
    RVC_WHY_DAMAGE,     /* a guard or padding element was written */
    RVC_WHY_INPUT,      /* an input was modified */
    RVC_WHY_KERNEL,     /* the kernel returned an error */
    RVC_WHY_COUNT
} rvc_why;

/* One-word description of a reason ("unwritten", "bound", ...). */
const char *rvc_why_name(rvc_why why);

typedef struct rvc_mismatch {
    char what[24];      /* the output ("Z", "dW vs fd", "H vs relu(Z)") */
    rvc_why why;
    long i, j;          /* row, column (see rvc_mat_damage for guards) */
    double got, want, bound;
} rvc_mismatch;

typedef struct rvc_tally {
    size_t compared;     /* elements compared */
    size_t bad;          /* elements (or events) that failed */
    size_t flips;        /* sign disagreements of Z inside the bound */
    double worst_ratio;  /* max |got - want| / (bound + slack) where that is > 0 */
    int nreport;         /* recorded mismatches, at most RVC_MAX_REPORT */
    rvc_mismatch report[RVC_MAX_REPORT];
} rvc_tally;

/* A strided view of a rows x cols array in dtype dt. */
typedef struct rvc_view {
    rv_dtype dt;
    const void *p;
    size_t ld;
} rvc_view;

typedef struct rvc_cmp_spec {
    const char *what;
    size_t rows, cols;
    rvc_view got, want;
    const double *bound;  /* rows x cols, dense; NULL: identical */
    double slack;         /* added to every bound (an error of want itself) */
    int count_flips;      /* count sign disagreements (mask flips) that passed */
    int nan_want_skips;   /* a NaN in want means "no expectation" (kinks) */
} rvc_cmp_spec;

/* Empties a tally. */
void rvc_tally_init(rvc_tally *t);

/* Counts one failed element or event and records it if there is room. */
void rvc_tally_add(rvc_tally *t, const char *what, rvc_why why, long i, long j, double got,
                   double want, double bound);

/* Adds src's counts and mismatches to dst (reports while there is room);
 * the worst ratio is not merged (kept apart by the caller). */
void rvc_tally_merge(rvc_tally *dst, const rvc_tally *src);

/* Compares as s says and accumulates into t. */
void rvc_compare(rvc_tally *t, const rvc_cmp_spec *s);

#endif
