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
 * and the labels never depend on n. */
#ifndef RELUVET_OVERFIT_DATA_H
#define RELUVET_OVERFIT_DATA_H

#include <stddef.h>
#include <stdint.h>

#include "reluvet/status.h"
#include "rng.h"

typedef struct rvo_data {
    size_t n, d;
    double *X;   /* n x d, row-major (ld = d) */
    double *y;   /* n labels, +1 or -1 */
    size_t flips; /* how many labels are -1 */
} rvo_data;

/* Seeds r at the start of the input sequence named by stream. */
void rvo_inputs_open(rvo_rng *r, uint64_t stream);

/* Fills X (n x d, ld = d) with the next n inputs of the sequence r follows,
 * from the distribution of dimension d. Drawing 2 x 5 points gives the same
 * 10 points as drawing 10 at once. */
void rvo_inputs_draw(rvo_rng *r, double *X, size_t n, size_t d);

/* Makes a training set: the first n points of stream, labels flipped with
 * probability p (0 <= p <= 1). d >= 1, n >= 1. The caller frees it with
 * rvo_data_free. RV_ERR_SIZE / RV_ERR_OPTS on bad arguments, RV_ERR_NOMEM. */
rv_status rvo_data_make(rvo_data *out, size_t n, size_t d, double p, uint64_t stream,
                        rv_error *err);

/* Frees what rvo_data_make allocated; a zeroed or freed set is a no-op. */
void rvo_data_free(rvo_data *data);

/* The clean test error of the 1-nearest-neighbour rule on train: the
 * fraction of the first test_n points of the input sequence test_stream
 * whose nearest training input (Euclidean) carries the label -1. A sanity
 * reference: in d = 1 it tends to p as n grows. RV_ERR_NOMEM. */
rv_status rvo_nn_clean_error(const rvo_data *train, uint64_t test_stream, size_t test_n,
                             double *error, rv_error *err);

#endif
