/* data.h - the data of the overfitting experiments.
 *
 * Inputs: d = 1: uniform on [-1, 1]; d > 1: uniform on the unit sphere
 * S^{d-1} (normalised standard Gaussians). Clean label +1; each training
 * label is flipped to -1 independently with probability p.
 *
 * Coupling (common random numbers, a variance reduction): a training set is
 * a prefix of one infinite sequence of points named by a stream seed, and
 * point i is flipped when its own uniform u_i < p. So for one stream seed
 * the sets at n and 2n share their first n points, and the flipped sets at
 * p < p' are nested. Results at different n and p are then paired draws,
 * and the labels never depend on n.
 *
 * The reduced sampler (d > n + m, see form.h) draws the same laws in k =
 * n + m coordinates: in the orthonormal basis Gram-Schmidt makes of the
 * inputs x_1..x_n and then W0's m rows (in that order), k independent
 * isotropic Gaussian vectors have a lower-triangular coordinate matrix
 * with independent entries, N(0, 1) below the diagonal and chi(d - i) on
 * it (row i counted from 0: the Bartlett decomposition). Normalising a row
 * gives its uniform direction on S^{d-1}. So training input i is row i
 * normalised (n coordinates suffice: its coordinates above i are 0), a
 * weight row is row n + j, and a fresh test point, independent of the
 * span, has coordinates g / sqrt(|g|^2 + chi-square(d - k)), g ~ N(0, I_k).
 * Exact in law for any d; the draws differ from the direct sampler's. The
 * flips are drawn from the same sub-stream in both samplers, so a seed has
 * the same labels whichever sampler draws its inputs. */
#ifndef RELUVET_OVERFIT_DATA_H
#define RELUVET_OVERFIT_DATA_H

#include <stddef.h>
#include <stdint.h>

#include "reluvet/status.h"
#include "rng.h"

typedef struct rvo_data {
    size_t n, d;
    size_t dc;   /* coordinates per input: d, or n when drawn reduced */
    double *X;   /* n x dc, row-major (ld = dc) */
    double *y;   /* n labels, +1 or -1 */
    size_t flips; /* how many labels are -1 */
} rvo_data;

/* Seeds r at the start of the input sequence named by stream. */
void rvo_inputs_open(rvo_rng *r, uint64_t stream);

/* Fills X (n x d, ld = d) with the next n inputs of the sequence r follows,
 * from the distribution of dimension d. Drawing 2 x 5 points gives the same
 * 10 points as drawing 10 at once. */
void rvo_inputs_draw(rvo_rng *r, double *X, size_t n, size_t d);

/* Reduced test inputs: fills X (rows x k, ld = k) with the coordinates of
 * the next `rows` fresh uniform points of S^{d-1} in a fixed k-dimensional
 * basis, k < d (see above). Chunked draws match as rvo_inputs_draw's do. */
void rvo_inputs_draw_reduced(rvo_rng *r, double *X, size_t rows, size_t k, size_t d);

/* Row i (from 0; i < k, i < d) of the Bartlett matrix in
 * dimension d, normalised to length `scale`: x[0..i) normals, x[i] a
 * chi(d - i), x[i+1..k) zero, then all scaled. Writes k doubles. */
void rvo_bartlett_row(rvo_rng *r, double *x, size_t i, size_t k, size_t d, double scale);

/* Makes a training set: the first n points of stream, labels flipped with
 * probability p (0 <= p <= 1). d >= 1, n >= 1. reduced != 0 draws the
 * inputs with the reduced sampler (d > n required; dc = n), else directly
 * (dc = d). The caller frees it with rvo_data_free. RV_ERR_SIZE /
 * RV_ERR_OPTS on bad arguments, RV_ERR_OVERFLOW, RV_ERR_NOMEM. */
rv_status rvo_data_make(rvo_data *out, size_t n, size_t d, double p, uint64_t stream,
                        int reduced, rv_error *err);

/* Frees what rvo_data_make allocated; a zeroed or freed set is a no-op. */
void rvo_data_free(rvo_data *data);

/* The clean test error of the 1-nearest-neighbour rule on train: the
 * fraction of the first test_n points of the input sequence test_stream
 * whose nearest training input (Euclidean) carries the label -1. A sanity
 * reference: in d = 1 it tends to p as n grows. RV_ERR_OPTS for a reduced
 * set (it has no inputs in R^d), RV_ERR_NOMEM. */
rv_status rvo_nn_clean_error(const rvo_data *train, uint64_t test_stream, size_t test_n,
                             double *error, rv_error *err);

#endif
