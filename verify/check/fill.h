/* check/fill.h - input data for the checks, in two modes.
 *
 * Exact mode: small integers k, |k| <= R^deg, times a power of two. When
 * every operand of a sum sits on one power-of-two grid and every partial
 * sum, counted in grid units, stays below 2^p (p = significand digits of
 * the dtype), every partial sum is exactly representable: the result does
 * not depend on the summation order, so all variants and thread counts
 * must agree with the reference bit for bit. rvc_exact_range picks R.
 *
 * Random mode: uniform values from a seeded stream (check/rng.h), plus a
 * sprinkling of special values (signed zeros, NaN, infinities, subnormals)
 * where an operation's policy is exact. */
#ifndef RVC_FILL_H
#define RVC_FILL_H

#include <stddef.h>

#include "check/buffer.h"
#include "check/rng.h"

typedef enum rvc_mode { RVC_EXACT = 0, RVC_RANDOM = 1, RVC_MODE_COUNT } rvc_mode;

/* "exact" / "random"; NULL for an unknown mode. */
const char *rvc_mode_name(rvc_mode mode);

/* Parses a mode name; 0 on success, -1 if unknown. */
int rvc_mode_from_name(const char *name, rvc_mode *mode);

/* Largest integer magnitude the exact fill uses (small, so that the data
 * has many ties, zeros and kinks). */
#define RVC_EXACT_MAX_RANGE 8

/* The largest R in [1, RVC_EXACT_MAX_RANGE] such that a sum of `terms`
 * terms, each at most R^degree grid units, stays within 2^p for dtype dt;
 * 0 when even R = 1 does not fit (exact mode is impossible at that size). */
long rvc_exact_range(rv_dtype dt, double terms, int degree);

/* Sets every element of m to k * 2^exp2 with k uniform in [-range, range].
 * With signed_zeros, half of the zeros are -0.0. */
void rvc_fill_exact(rvc_rng *r, rvc_mat *m, long range, int exp2, int signed_zeros);

/* Sets every element of m to a uniform value in [lo, hi), rounded to m's
 * dtype. */
void rvc_fill_uniform(rvc_rng *r, rvc_mat *m, double lo, double hi);

/* Writes into out (cap >= RVC_SPECIAL_COUNT) the special values of dtype
 * dt: +-0, NaN, +-Inf, the smallest subnormal, the smallest normal and the
 * largest finite value, each of both signs where it has one. Returns how
 * many it wrote. */
#define RVC_SPECIAL_COUNT 11
size_t rvc_special_values(rv_dtype dt, double *out, size_t cap);

/* Replaces each element of m, with probability p, by one of values[0..count)
 * chosen uniformly. */
void rvc_fill_sprinkle(rvc_rng *r, rvc_mat *m, double p, const double *values, size_t count);

#endif
