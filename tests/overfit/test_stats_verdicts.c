/* test_stats_verdicts.c - the statistics against known values, and each
 * verdict on synthetic numbers, one case that passes and cases that fail. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <string.h>

#include <cmocka.h>

#include "stats.h"
#include "verdicts.h"

#define S 10

static void t_and_beta(void **state)
{
    (void)state;
    assert_true(fabs(rvo_t_quantile(0.975, 9) - 2.262157) < 1e-5);
    assert_true(fabs(rvo_t_quantile(0.975, 1) - 12.706205) < 1e-4);
    assert_true(fabs(rvo_t_quantile(0.95, 30) - 1.697261) < 1e-5);
    assert_true(fabs(rvo_t_cdf(0, 5) - 0.5) < 1e-12);
    assert_true(fabs(rvo_beta_inc(2, 3, 0.4) - 0.5248) < 1e-10);
    assert_true(fabs(rvo_t_quantile(0.025, 9) + 2.262157) < 1e-5);
}

static void intervals(void **state)
{
    (void)state;
    /* Clopper-Pearson: 0 of 10 -> [0, 1 - 0.025^(1/10)]; 10 of 10 mirrored */
    rvo_interval b = rvo_ci_binomial(0, 10, 0.05);
    assert_true(b.lo == 0 && fabs(b.hi - (1 - pow(0.025, 0.1))) < 1e-9);
    b = rvo_ci_binomial(10, 10, 0.05);
    assert_true(b.hi == 1 && fabs(b.lo - pow(0.025, 0.1)) < 1e-9);
    b = rvo_ci_binomial(3, 10, 0.05); /* R: binom.test(3, 10) */
    assert_true(fabs(b.lo - 0.06673951) < 1e-6 && fabs(b.hi - 0.65245285) < 1e-6);
    double x[4] = {1, 2, 3, 4};
    rvo_interval t = rvo_ci_t(x, 4, 0.05); /* mean 2.5, sd 1.290994 */
    assert_true(fabs(t.mean - 2.5) < 1e-12);
    assert_true(fabs(t.hi - (2.5 + 3.182446 * 1.290994 / 2)) < 1e-5);
    /* all-zero errors: the t-interval collapses, the binomial one does not */
    double z[S] = {0};
    rvo_interval e = rvo_ci_error(z, S, 10000, 0.05);
    assert_true(e.mean == 0 && e.lo == 0 && e.hi > 3e-5 && e.hi < 4e-5);
}

static void rank_correlation_and_tests(void **state)
{
    (void)state;
    double x[8] = {1, 2, 3, 4, 5, 6, 7, 8}, y[8] = {1, 3, 2, 5, 4, 7, 6, 8};
    double rho, p;
    rvo_spearman(x, x, 8, &rho, &p);
    assert_true(rho == 1 && p == 0);
    rvo_spearman(x, y, 8, &rho, &p); /* rho = 1 - 6*6/(8*63) = 0.928571 */
    assert_true(fabs(rho - 0.9285714) < 1e-6 && p < 0.01);
    double ties[8] = {1, 1, 1, 1, 2, 2, 2, 2};
    rvo_spearman(ties, x, 8, &rho, &p);
    assert_true(rho > 0.8 && p < 0.05);
    double c[8] = {3, 3, 3, 3, 3, 3, 3, 3};
    rvo_spearman(c, x, 8, &rho, &p);
    assert_true(rho == 0 && p == 1);
    /* Page: 6 blocks, 3 treatments, perfectly increasing: L = 6 * 14 = 84,
     * E = 6*3*16/4 = 72, Var = 6*9*4*8/144 = 12, z = 3.464 */
    double blocks[18];
    for (int b = 0; b < 6; b++)
        for (int j = 0; j < 3; j++)
            blocks[b * 3 + j] = 0.1 * j + 0.01 * b;
    double mr, pp = rvo_page_trend(blocks, 6, 3, &mr);
    assert_true(fabs(mr - 1) < 1e-12 && fabs(pp - 0.5 * erfc(3.4641016 / sqrt(2.0))) < 1e-6);
    for (int b = 0; b < 6; b++) /* decreasing: no evidence of an increase */
        for (int j = 0; j < 3; j++)
            blocks[b * 3 + j] = -0.1 * j;
    assert_true(rvo_page_trend(blocks, 6, 3, &mr) > 0.99 && mr < 0);
    double lo[5] = {0, 0, 0, 0, 0}, hi[5] = {0.2, 0.3, 0.25, 0.1, 0.3};
    assert_true(rvo_welch_less(lo, 5, hi, 5) < 0.01);
    assert_true(rvo_welch_less(hi, 5, lo, 5) > 0.99);
    assert_true(rvo_welch_less(lo, 5, lo, 5) == 1);
    assert_true(rvo_paired_greater(hi, lo, 5) < 0.01);
    assert_true(rvo_paired_greater(lo, hi, 5) > 0.99);
}

/* Synthetic cells: errors centred on `mean` with a fixed spread pattern. */
static double store[64][S];
static int used;

static rvo_cell_errors cell(size_t d, size_t n, double p, int bias, double mean, double spread)
{
    double *e = store[used++];
    for (int s = 0; s < S; s++)
        e[s] = fmax(0, mean + spread * ((s % 5) - 2) / 2.0);
    return (rvo_cell_errors){.d = d, .n = n, .p = p, .bias = bias, .seeds = S, .err = e,
                             .test_n = 10000};
}

static void tempered(void **state)
{
    (void)state;
    used = 0;
    rvo_cell_errors a[3], b[3];
    double ps[3] = {0.1, 0.2, 0.3};
    for (int i = 0; i < 3; i++) {
        a[i] = cell(1, 10, ps[i], 1, ps[i], 0.03);
        b[i] = cell(1, 20, ps[i], 1, ps[i] * 0.9, 0.03);
    }
    rvo_verdict v;
    rvo_verdict_tempered(a, b, 3, 0.05, &v);
    assert_true(v.passed);
    assert_non_null(strstr(v.text, "Page"));
    /* vanishing with n */
    b[1] = cell(1, 20, 0.2, 1, 0.05, 0.01);
    rvo_verdict_tempered(a, b, 3, 0.05, &v);
    assert_false(v.passed);
    /* a run that did not interpolate */
    b[1] = cell(1, 20, 0.2, 1, 0.18, 0.03);
    ((double *)b[1].err)[4] = NAN;
    rvo_verdict_tempered(a, b, 3, 0.05, &v);
    assert_false(v.passed);
    assert_non_null(strstr(v.text, "9/10"));
    /* benign-like at d = 1: the lower bound is not above p/10 */
    for (int i = 0; i < 3; i++) {
        a[i] = cell(1, 10, ps[i], 1, 0.001, 0.002);
        b[i] = cell(1, 20, ps[i], 1, 0.001, 0.002);
    }
    rvo_verdict_tempered(a, b, 3, 0.05, &v);
    assert_false(v.passed);
    /* catastrophic: flat in p around 0.45, CI reaches 1/2 */
    for (int i = 0; i < 3; i++) {
        a[i] = cell(1, 10, ps[i], 1, 0.45, 0.1);
        b[i] = cell(1, 20, ps[i], 1, 0.45, 0.1);
    }
    rvo_verdict_tempered(a, b, 3, 0.05, &v);
    assert_false(v.passed);
}

static void benign(void **state)
{
    (void)state;
    used = 0;
    rvo_cell_errors h[3] = {cell(500, 10, 0.1, 1, 0, 0), cell(500, 10, 0.2, 1, 0.0002, 0.0002),
                            cell(500, 10, 0.4, 1, 0.3, 0.1)}; /* p > 0.3 does not count */
    rvo_verdict v;
    rvo_verdict_benign(h, 3, 0.05, &v);
    assert_true(v.passed);
    h[1] = cell(500, 10, 0.2, 1, 0.01, 0.01);
    rvo_verdict_benign(h, 3, 0.05, &v);
    assert_false(v.passed);
    h[1] = cell(500, 10, 0.2, 1, 0, 0);
    ((double *)h[1].err)[0] = NAN;
    rvo_verdict_benign(h, 3, 0.05, &v);
    assert_false(v.passed);
    /* perfectly benign numbers, but at d below n^2 ln n = 230 (n = 10) */
    rvo_cell_errors low[2] = {cell(200, 10, 0.1, 1, 0, 0), cell(200, 10, 0.2, 1, 0, 0)};
    rvo_verdict_benign(low, 2, 0.05, &v);
    assert_false(v.passed);
    assert_non_null(strstr(v.text, "d_high=200 against n^2 ln n = 230 at n=10: below"));
    assert_true(v.inconclusive);
    assert_string_equal(rvo_verdict_status(&v), "INCONCLUSIVE");
    low[0] = cell(231, 10, 0.1, 1, 0, 0);
    low[1] = cell(231, 10, 0.2, 1, 0, 0);
    rvo_verdict_benign(low, 2, 0.05, &v);
    assert_true(v.passed);
    assert_false(v.inconclusive);
    assert_string_equal(rvo_verdict_status(&v), "PASSED");
    /* failing numbers at a high enough d: FAILED, not INCONCLUSIVE */
    low[1] = cell(231, 10, 0.2, 1, 0.3, 0.05);
    rvo_verdict_benign(low, 2, 0.05, &v);
    assert_string_equal(rvo_verdict_status(&v), "FAILED");
}

static void transition(void **state)
{
    (void)state;
    used = 0;
    /* rises to a peak at d = 10, then falls to benign */
    double means[4] = {0.15, 0.3, 0.1, 0.0};
    size_t ds[4] = {1, 10, 100, 1000};
    rvo_cell_errors c[2 * 4];
    for (int i = 0; i < 2; i++)
        for (int k = 0; k < 4; k++)
            c[i * 4 + k] = cell(ds[k], 10, 0.1 * (i + 1), 1, means[k], means[k] ? 0.05 : 0);
    rvo_verdict v;
    rvo_verdict_transition(c, 2, 4, 0.05, &v);
    assert_true(v.passed);
    assert_non_null(strstr(v.text, "peak E(d=10)"));
    /* no fall: d_high as bad as the peak */
    c[3] = cell(1000, 10, 0.1, 1, 0.3, 0.05);
    rvo_verdict_transition(c, 2, 4, 0.05, &v);
    assert_false(v.passed);
    rvo_verdict_transition(c, 2, 2, 0.05, &v); /* too few d */
    assert_false(v.passed);
}

static void biases(void **state)
{
    (void)state;
    used = 0;
    rvo_cell_errors b[3] = {cell(1000, 10, 0.05, 1, 0, 0), cell(1000, 10, 0.1, 1, 0, 0),
                            cell(1000, 10, 0.3, 1, 0.001, 0.001)};
    rvo_cell_errors f[3] = {cell(1000, 10, 0.05, 0, 0.08, 0.05), cell(1000, 10, 0.1, 0, 0.2, 0.05),
                            cell(1000, 10, 0.3, 0, 0.35, 0.05)};
    rvo_verdict v;
    rvo_verdict_biases(b, f, 3, 0.05, &v);
    assert_true(v.passed);
    assert_non_null(strstr(v.text, "looks tempered"));
    /* bias-free below 0.1 at p = 0.1 */
    f[1] = cell(1000, 10, 0.1, 0, 0.06, 0.02);
    rvo_verdict_biases(b, f, 3, 0.05, &v);
    assert_false(v.passed);
    /* bias-free no worse than biased */
    f[1] = cell(1000, 10, 0.1, 0, 0, 0);
    rvo_verdict_biases(b, f, 3, 0.05, &v);
    assert_false(v.passed);
    /* flat in p: reported as catastrophic */
    f[0] = cell(1000, 10, 0.05, 0, 0.3, 0.05);
    f[1] = cell(1000, 10, 0.1, 0, 0.3, 0.05);
    rvo_verdict_biases(b, f, 3, 0.05, &v);
    assert_true(v.passed);
    assert_non_null(strstr(v.text, "looks catastrophic"));
    /* the same numbers at d = 30 (n = 10): not high d, cannot pass */
    for (int i = 0; i < 3; i++) {
        b[i].d = 30;
        f[i].d = 30;
    }
    rvo_verdict_biases(b, f, 3, 0.05, &v);
    assert_false(v.passed);
    assert_true(v.inconclusive);
    assert_non_null(strstr(v.text, "below: not the high-d regime"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_and_beta), cmocka_unit_test(intervals),
        cmocka_unit_test(rank_correlation_and_tests), cmocka_unit_test(tempered),
        cmocka_unit_test(benign), cmocka_unit_test(transition), cmocka_unit_test(biases),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
