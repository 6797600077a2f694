/* verdicts.h - the four pass/fail criteria of the overfitting harness.
 *
 * Each verdict is one function on per-cell clean errors. A cell is one grid
 * point (d, n, p, bias) with its runs in seed order; err[s] is the clean
 * test error of seed s, or NAN when that run did not interpolate: such runs
 * are counted and reported, never averaged in. Every test is one-sided at
 * level alpha; a verdict that needs several tests to pass requires all of
 * them (an intersection-union test, which needs no multiplicity correction).
 * The text of a verdict names the numbers that decided it, one line each.
 *
 * 1 tempered (d = 1), for every p of the grid:
 *     every run at n and at the larger n2 >= 2n interpolates; at n2 (the
 *     sharper estimate) the 95% CI of the mean clean error has its lower
 *     bound > p/10 and its upper bound < 1/2; and mean(n2) >= mean(n) / 2
 *     (it does not vanish as n grows); in a sweep n is n_small and n2 the
 *     curve's n;
 *   and over p, at n2: Page's trend test of an increase with p within seeds (each
 *     seed sees the same inputs at every p, its flips nested in p) has a
 *     p-value < alpha, or the CIs of the smallest and largest p are disjoint.
 * 2 benign (d >= n^2 log n), for every p <= 0.3: every run interpolates and
 *     the upper 95% CI bound of the mean clean error is <= 0.01.
 * 3 transition, for every p: with d_peak the intermediate d (1 < d < d_high)
 *     of largest mean error, E(d_high) < E(1) and E(d_high) < E(d_peak)
 *     (Welch, one-sided), and the error falls from d_peak to d_high:
 *     Spearman's rho(log d, error) < 0 over the runs with d_peak <= d <= d_high
 *     (p-value < alpha).
 * 4 biases matter (d_high, same data and seeds), for every p: bias-free
 *     error > biased error (paired t-test over the seeds where both nets
 *     interpolated) and, for p >= 0.1, mean bias-free error >= 0.1. Reported,
 *     not asserted: whether the bias-free error looks catastrophic (does not
 *     shrink as p falls) or tempered. */
#ifndef RELUVET_OVERFIT_VERDICTS_H
#define RELUVET_OVERFIT_VERDICTS_H

#include <stddef.h>

typedef struct rvo_cell_errors {
    size_t d, n;
    double p;
    int bias;
    size_t seeds;        /* runs in the cell */
    const double *err;   /* seeds clean errors, NAN = did not interpolate */
    size_t test_n;       /* test points behind each error */
} rvo_cell_errors;

typedef struct rvo_verdict {
    const char *name;    /* "tempered at d = 1", ... */
    int passed;
    int inconclusive;    /* the grid cannot decide it (the reason is in text): then
                            passed is 0 too, so it never counts as a pass */
    char text[4096];     /* the deciding numbers, one line each */
} rvo_verdict;

/* "PASSED", "FAILED" or "INCONCLUSIVE" (which wins over FAILED). */
const char *rvo_verdict_status(const rvo_verdict *v);

/* at_n[i], at_2n[i]: the d = 1 cells at n and at n2 >= 2n for p_i, i < np,
 * p ascending, the same seeds at every p. */
void rvo_verdict_tempered(const rvo_cell_errors *at_n, const rvo_cell_errors *at_2n, size_t np,
                          double alpha, rvo_verdict *out);

/* high[i]: the biased cells at d_high, one per p (those with p <= 0.3 count). */
void rvo_verdict_benign(const rvo_cell_errors *high, size_t np, double alpha, rvo_verdict *out);

/* curve[i * nd + k]: the biased cell of p_i at d_k, d ascending with d_0 = 1
 * and d_{nd-1} = d_high; nd >= 3. */
void rvo_verdict_transition(const rvo_cell_errors *curve, size_t np, size_t nd, double alpha,
                            rvo_verdict *out);

/* biased[i], nobias[i]: the cells of p_i at d_high, same seeds; p ascending. */
void rvo_verdict_biases(const rvo_cell_errors *biased, const rvo_cell_errors *nobias,
                        size_t np, double alpha, rvo_verdict *out);

#endif
