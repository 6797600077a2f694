/* minnorm.h - the exact minimum-norm interpolator of 1-D data.
 *
 * The global minimiser of 1/2 ||theta||^2 subject to y_i N(x_i) >= 1 over
 * every width of the net N(x) = sum_j v_j relu(w_j x + b_j) with free
 * biases (science notes, "Checking that a trained net is what the theorems
 * talk about"). Balancing each unit (|v_j| = ||(w_j, b_j)||) makes its cost
 * |v_j| ||(w_j, b_j)||: a unit with a kink at t = -b_j / w_j that adds
 * a relu(x - t) (facing right) or a relu(t - x) (facing left) costs
 * |a| sqrt(1 + t^2), and one with w_j = 0 adds a constant c at cost |c|.
 * So the problem is a weighted L1 problem over kinks.
 *
 * How it is solved: a linear programme over a grid of kinks (the data
 * points and the midpoints between them), written in N's values and
 * slopes at the grid points (banded rows: each kink and each value step
 * touches its neighbours only), the margins y_i N(x_i) >= 1 as rows of one
 * nonzero; solved by COIN-OR CLP's dual simplex. Then column generation
 * over the continuous kink position: the margin rows' duals lambda price
 * every possible unit exactly (the price is (A - B t) / sqrt(1 + t^2)
 * between data points, maximised in closed form), each unit whose price
 * exceeds its cost joins the LP as a column, and the LP is re-solved from
 * its last basis (primal simplex), until none does.
 *
 * Certificates, both rigorous whatever the solver did:
 *   upper bound: the cost of the net the LP returned, its kinks evaluated
 *     directly at the data (scaled up to margin 1 if rounding left a
 *     margin below 1): a real interpolator;
 *   lower bound: weak duality. For any lambda >= 0, sum lambda_i /
 *     max(1, the largest price over every unit, continuous t included) is
 *     below the optimum.
 * The relative duality gap is (upper - lower) / upper. For every net with
 * margins gamma = min_i y_i N(x_i) > 0, 2-homogeneity gives
 * ||theta||^2 / (2 gamma) >= OPT >= lower bound.
 *
 * Allocates; the library prints nothing. */
#ifndef RELUVET_OVERFIT_MINNORM_H
#define RELUVET_OVERFIT_MINNORM_H

#include <stddef.h>

#include "reluvet/status.h"

typedef struct rvo_minnorm {
    double upper;          /* 1/2 ||theta||^2 of the returned interpolator */
    double lower;          /* a proven lower bound on the optimum */
    double gap;            /* (upper - lower) / upper */
    double min_margin;     /* min_i y_i N(x_i) of the returned net (>= 1 - 1e-12) */
    double constant;       /* the constant unit's value c */
    size_t nkinks;         /* units with a kink (nonzero coefficient) */
    double *t;             /* their kinks, ascending (ties: right before left) */
    double *a;             /* their coefficients */
    signed char *dir;      /* +1: a relu(x - t), -1: a relu(t - x) */
    int rounds;            /* LP solves (1 + column-generation rounds) */
    size_t grid;           /* grid points in the last LP */
} rvo_minnorm;

/* Solves the problem for n >= 1 points x (any order, distinct after
 * sorting: equal x with equal y are fine, equal x with different y cannot
 * be interpolated) with labels y = +-1. Stops when the largest price is
 * within 1e-9 of the cost (then gap <= about 1e-9) or after 30 rounds.
 * RV_ERR_SIZE (n = 0 or > 10^7), RV_ERR_OPTS (a label not +-1, a point not
 * finite, two equal points with different labels), RV_ERR_NOMEM, RV_ERR_IO
 * (the LP solver failed; its status in the message). On success *out owns
 * its arrays (rvo_minnorm_free). */
rv_status rvo_minnorm_solve(const double *x, const double *y, size_t n, rvo_minnorm *out,
                            rv_error *err);

void rvo_minnorm_free(rvo_minnorm *m);

/* N(x) of the solution at k points xs (any order) into out. */
void rvo_minnorm_eval(const rvo_minnorm *m, const double *xs, size_t k, double *out);

/* The exact clean error of the solution against the clean label +1 for
 * inputs uniform on [-1, 1]: the measure of {x : N(x) <= 0} / 2, from the
 * breakpoints (N is piecewise linear). */
double rvo_minnorm_clean_error(const rvo_minnorm *m);

#endif
