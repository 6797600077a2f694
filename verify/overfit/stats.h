/* stats.h - the statistics behind the verdicts.
 *
 * Intervals are two-sided at level 1 - alpha (0.95 in the harness); tests
 * return one-sided p-values. Conventions:
 *   - a cell's mean clean error gets the hull of two intervals: Student's t
 *     over seeds (between-draw spread, test sampling included) and
 *     Clopper-Pearson on the pooled test points (exact binomial). The hull
 *     keeps an honest width when every seed gives the same error (all zero
 *     in the benign regime, where the t-interval collapses to a point);
 *   - tests with zero spread on both sides decide from the means alone
 *     (p = 0 if the ordering holds, 1 if not).
 * The functions take arrays of k values and never allocate more than O(k). */
#ifndef RELUVET_OVERFIT_STATS_H
#define RELUVET_OVERFIT_STATS_H

#include <stddef.h>

typedef struct rvo_interval {
    double mean, lo, hi;
} rvo_interval;

/* Sample mean and standard deviation (k - 1 denominator; 0 when k < 2). */
void rvo_mean_sd(const double *x, size_t k, double *mean, double *sd);

/* Regularised incomplete beta I_x(a, b), a, b > 0, x in [0, 1]. */
double rvo_beta_inc(double a, double b, double x);

/* Student's t: P(T <= t) with df degrees of freedom, and its inverse. */
double rvo_t_cdf(double t, double df);
double rvo_t_quantile(double q, double df);

/* Sorts x[0..k) ascending, in place. */
void rvo_sort(double *x, size_t k);

/* Mean with the t-interval (k >= 2; for k == 1 the interval is [-inf, inf]). */
rvo_interval rvo_ci_t(const double *x, size_t k, double alpha);

/* Clopper-Pearson interval for `hits` successes in `trials` trials. */
rvo_interval rvo_ci_binomial(double hits, double trials, double alpha);

/* A cell's mean clean error: hull of rvo_ci_t over the k per-seed errors and
 * rvo_ci_binomial on the pooled k * test_n test points, clipped to [0, 1]. */
rvo_interval rvo_ci_error(const double *err, size_t k, size_t test_n, double alpha);

/* Spearman's rank correlation of (x, y) with average ranks for ties, and the
 * one-sided p-value of rho > 0 (t approximation, k - 2 degrees of freedom).
 * k >= 3. A constant x or y gives rho = 0, p = 1. */
void rvo_spearman(const double *x, const double *y, size_t k, double *rho, double *p_greater);

/* Page's trend test for k ordered treatments on s blocks: x[b * k + j] is the
 * value of treatment j (in the hypothesised increasing order) in block b.
 * Ranks within each block (average ranks for ties), L = sum_j j R_j, and the
 * one-sided p-value of an increasing trend from the normal approximation
 * with the untied variance (conservative under ties). Equivalent to the
 * mean within-block Spearman correlation between treatment order and
 * value. s >= 1, k >= 2; *mean_rho receives that mean correlation. */
double rvo_page_trend(const double *x, size_t s, size_t k, double *mean_rho);

/* Welch's two-sample t-test: one-sided p-value of mean(a) < mean(b). */
double rvo_welch_less(const double *a, size_t na, const double *b, size_t nb);

/* Paired t-test: one-sided p-value of mean(a - b) > 0 (k pairs, k >= 2). */
double rvo_paired_greater(const double *a, const double *b, size_t k);

/* Regularised lower incomplete gamma P(a, x) = P(Gamma(a) <= x), a > 0,
 * x >= 0 (series below a + 1, continued fraction above; 1e-14 relative).
 * The chi-square CDF with nu degrees of freedom is P(nu/2, x/2). */
double rvo_gamma_inc(double a, double x);

/* The Kolmogorov distribution's upper tail Q(lambda) = P(K > lambda) =
 * 2 sum_{j>=1} (-1)^(j-1) exp(-2 j^2 lambda^2); 1 for lambda <= 0.3 (where
 * the series is 1 to double precision). */
double rvo_kolmogorov_q(double lambda);

/* Kolmogorov-Smirnov test of k draws x (sorted in place) against the
 * continuous CDF cdf(t, ctx): returns the two-sided p-value with
 * Stephens' small-sample correction, and the statistic D in *D. k >= 1. */
double rvo_ks_one(double *x, size_t k, double (*cdf)(double, const void *), const void *ctx,
                  double *D);

/* Two-sample Kolmogorov-Smirnov: a and b are sorted in place; returns the
 * two-sided asymptotic p-value (Stephens' correction on the effective size
 * na nb / (na + nb)) and D in *D. Ties (discrete values) make it
 * conservative. na, nb >= 1. */
double rvo_ks_two(double *a, size_t na, double *b, size_t nb, double *D);

/* Mann-Whitney U (Wilcoxon rank-sum) test, average ranks for ties, the
 * normal approximation with the tie-corrected variance and a continuity
 * correction: the two-sided p-value that a and b come from one law (1
 * when every value is tied). *auc gets U / (na nb), the probability that a
 * draw of a exceeds one of b (ties count 1/2). Allocates 2 (na + nb)
 * doubles for the time of the call; NaN if that fails. */
double rvo_mann_whitney(const double *a, size_t na, const double *b, size_t nb, double *auc);

#endif
