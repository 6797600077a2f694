/* test_draws.c - the gamma, chi-square, chi and symmetric-beta draws of the
 * reduced sampler, each against its known moments and by a one-sample
 * Kolmogorov-Smirnov test with a fixed seed; and the tests themselves
 * (incomplete gamma, Kolmogorov tail, two-sample KS, Mann-Whitney) against
 * closed forms and with teeth: each must reject a wrong law. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdlib.h>

#include <cmocka.h>

#include "rng.h"
#include "stats.h"

enum { N = 20000 };

/* 17 fixed-seed tests of a true law at level 1e-3 each: correct code fails
 * one with probability about 1.7% (and then fails it on every run). A wrong law (the teeth) must fall below
 * 1e-5. */
#define P_PASS 1e-3
#define P_TEETH 1e-5

typedef double (*draw_fn)(rvo_rng *r, double a);

static double gamma_cdf(double x, const void *ctx)
{
    return rvo_gamma_inc(*(const double *)ctx, x);
}

static double chisq_cdf(double x, const void *ctx)
{
    return rvo_gamma_inc(*(const double *)ctx / 2, x / 2);
}

static double cos_cdf(double t, const void *ctx)
{
    double a = *(const double *)ctx;
    return rvo_beta_inc(a, a, (1 + t) / 2);
}

/* For a >= 1e6, where the beta CDF's continued fraction is slow: the law of
 * cos sqrt(2a + 1) is normal to O(1/a) (a Beta(a, a) tends to a normal). */
static double cos_cdf_normal(double t, const void *ctx)
{
    double a = *(const double *)ctx;
    return 0.5 * erfc(-t * sqrt(2 * a + 1) / sqrt(2.0));
}

/* N draws of f(a) with seed: their mean and variance, and the KS p-value
 * against cdf with parameter cdf_a (cdf_a != a: a wrong law, for teeth). */
static double check(draw_fn f, double a, double (*cdf)(double, const void *), double cdf_a,
                    uint64_t seed, double *mean, double *var)
{
    double *x = malloc(N * sizeof *x);
    assert_non_null(x);
    rvo_rng r;
    rvo_rng_seed(&r, seed);
    for (int i = 0; i < N; i++)
        x[i] = f(&r, a);
    double m, sd, D;
    rvo_mean_sd(x, N, &m, &sd);
    *mean = m;
    *var = sd * sd;
    double p = rvo_ks_one(x, N, cdf, &cdf_a, &D);
    free(x);
    return p;
}

/* |mean - mu| within 5 standard errors, var within 5 of its standard errors
 * (var of the sample variance ~ 2 sigma^4 / N for near-normal laws; the
 * bound below uses kurtosis <= 9, which covers every law here). */
static void moments_ok(double mean, double var, double mu, double sigma2)
{
    assert_true(fabs(mean - mu) <= 5 * sqrt(sigma2 / N));
    assert_true(fabs(var - sigma2) <= 5 * sigma2 * sqrt(8.0 / N));
}

static void gamma_draws(void **state)
{
    (void)state;
    double shapes[] = {1, 2.5, 50, 1e6};
    for (size_t i = 0; i < 4; i++) {
        double a = shapes[i], mean, var;
        double p = check(rvo_rng_gamma, a, gamma_cdf, a, 100 + i, &mean, &var);
        moments_ok(mean, var, a, a);
        assert_true(p > P_PASS);
        /* teeth: the same draws against a 1% larger shape (a 5% one at
         * small a, whose spread hides 1%) */
        double wrong = a * (a < 100 ? 1.05 : 1.001);
        assert_true(check(rvo_rng_gamma, a, gamma_cdf, wrong, 100 + i, &mean, &var) < P_TEETH);
    }
    rvo_rng r;
    rvo_rng_seed(&r, 1);
    assert_true(isnan(rvo_rng_gamma(&r, 0.5)) && isnan(rvo_rng_gamma(&r, NAN)));
    /* the largest shape the harness uses (d = 1e12): finite, near a */
    double g = rvo_rng_gamma(&r, 5e11);
    assert_true(fabs(g - 5e11) < 10 * sqrt(5e11));
}

static void chisq_and_chi_draws(void **state)
{
    (void)state;
    double nus[] = {1, 2, 3, 10, 1001};
    for (size_t i = 0; i < 5; i++) {
        double nu = nus[i], mean, var;
        double p = check(rvo_rng_chisq, nu, chisq_cdf, nu, 200 + i, &mean, &var);
        moments_ok(mean, var, nu, 2 * nu);
        assert_true(p > P_PASS);
        assert_true(check(rvo_rng_chisq, nu, chisq_cdf, nu * 1.1, 200 + i, &mean, &var) < P_TEETH);
        /* chi is its square root: E chi^2 = nu, and the draws are the same */
        rvo_rng r1, r2;
        rvo_rng_seed(&r1, 300 + i);
        rvo_rng_seed(&r2, 300 + i);
        for (int k = 0; k < 100; k++) {
            double c = rvo_rng_chi(&r1, nu), s = rvo_rng_chisq(&r2, nu);
            assert_true(c >= 0 && fabs(c * c - s) <= 1e-12 * s);
        }
    }
    rvo_rng r;
    rvo_rng_seed(&r, 1);
    assert_true(isnan(rvo_rng_chisq(&r, 0)) && isnan(rvo_rng_chisq(&r, 2.5)));
    double big = rvo_rng_chisq(&r, 1e12);
    assert_true(fabs(big - 1e12) < 10 * sqrt(2e12));
}

static void sphere_cosine_draws(void **state)
{
    (void)state;
    /* a = (d - 1)/2 for d = 3 (uniform on [-1, 1]), 21, 2001, 1e9 */
    double as[] = {1, 10, 1000, 5e8 - 0.5};
    for (size_t i = 0; i < 4; i++) {
        double a = as[i], mean, var;
        double (*cdf)(double, const void *) = a < 1e6 ? cos_cdf : cos_cdf_normal;
        double p = check(rvo_rng_sym_beta_cos, a, cdf, a, 400 + i, &mean, &var);
        moments_ok(mean, var, 0, 1 / (2 * a + 1));
        assert_true(p > P_PASS);
        assert_true(check(rvo_rng_sym_beta_cos, a, cdf, a * 1.3, 400 + i, &mean, &var) < P_TEETH);
    }
    /* against direct draws on the sphere in d = 21: w . u for unit Gaussians */
    enum { K = 4000, D = 21 };
    double *c1 = malloc(K * sizeof *c1), *c2 = malloc(K * sizeof *c2);
    assert_non_null(c1);
    assert_non_null(c2);
    rvo_rng r;
    rvo_rng_seed(&r, 500);
    for (int k = 0; k < K; k++) {
        double u[D], s2 = 0;
        for (int j = 0; j < D; j++) {
            u[j] = rvo_rng_normal(&r);
            s2 += u[j] * u[j];
        }
        c1[k] = u[0] / sqrt(s2); /* against e_1: the law is rotation-invariant */
        c2[k] = rvo_rng_sym_beta_cos(&r, (D - 1) / 2.0);
    }
    double auc, Dks;
    assert_true(rvo_mann_whitney(c1, K, c2, K, &auc) > P_PASS);
    assert_true(rvo_ks_two(c1, K, c2, K, &Dks) > P_PASS);
    free(c1);
    free(c2);
}

static void special_functions(void **state)
{
    (void)state;
    double xs[] = {1e-3, 0.1, 0.5, 1, 2, 5, 20};
    for (size_t i = 0; i < 7; i++) {
        double x = xs[i];
        assert_true(fabs(rvo_gamma_inc(1, x) - (1 - exp(-x))) < 1e-13);
        assert_true(fabs(rvo_gamma_inc(0.5, x) - erf(sqrt(x))) < 1e-13);
        /* P(2, x) = 1 - (1 + x) e^-x */
        assert_true(fabs(rvo_gamma_inc(2, x) - (1 - (1 + x) * exp(-x))) < 1e-13);
    }
    assert_true(rvo_gamma_inc(3, 0) == 0 && isnan(rvo_gamma_inc(-1, 1)));
    /* large shape: the median of Gamma(a) is about a - 1/3 */
    assert_true(fabs(rvo_gamma_inc(1e6, 1e6 - 1.0 / 3) - 0.5) < 1e-3);
    /* Kolmogorov: Q(1) = 0.26999967..., Q(1.36) = 0.0494..., Q(0.2) = 1 */
    assert_true(fabs(rvo_kolmogorov_q(1) - 0.2699996716) < 1e-9);
    assert_true(fabs(rvo_kolmogorov_q(1.36) - 0.04946) < 1e-4);
    assert_true(rvo_kolmogorov_q(0.2) == 1);
}

static void two_sample_tests(void **state)
{
    (void)state;
    /* an exact small case: a below b throughout */
    double a[3] = {1, 2, 3}, b[3] = {4, 5, 6}, auc, D;
    double p = rvo_mann_whitney(a, 3, b, 3, &auc);
    assert_true(auc == 0 && p < 0.1);
    assert_true(rvo_ks_two(a, 3, b, 3, &D) < 0.1 && D == 1);
    /* all tied: no evidence either way */
    double t1[4] = {0, 0, 0, 0}, t2[5] = {0, 0, 0, 0, 0};
    assert_true(rvo_mann_whitney(t1, 4, t2, 5, &auc) == 1 && auc == 0.5);
    assert_true(rvo_ks_two(t1, 4, t2, 5, &D) == 1 && D == 0);
    /* same law passes, a shift of 0.2 sd in 2000 + 2000 normals fails */
    enum { K = 2000 };
    double *x = malloc(K * sizeof *x), *y = malloc(K * sizeof *y), *z = malloc(K * sizeof *z);
    assert_non_null(x);
    assert_non_null(y);
    assert_non_null(z);
    rvo_rng r;
    rvo_rng_seed(&r, 600);
    for (int k = 0; k < K; k++) {
        x[k] = rvo_rng_normal(&r);
        y[k] = rvo_rng_normal(&r);
        z[k] = rvo_rng_normal(&r) + 0.2;
    }
    assert_true(rvo_mann_whitney(x, K, y, K, &auc) > P_PASS);
    assert_true(rvo_mann_whitney(x, K, z, K, &auc) < 1e-4 && auc < 0.5);
    assert_true(rvo_ks_two(x, K, y, K, &D) > P_PASS);
    assert_true(rvo_ks_two(x, K, z, K, &D) < 1e-4);
    free(x);
    free(y);
    free(z);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(gamma_draws),
        cmocka_unit_test(chisq_and_chi_draws),
        cmocka_unit_test(sphere_cosine_draws),
        cmocka_unit_test(special_functions),
        cmocka_unit_test(two_sample_tests),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
