/* test_forms.c - the three forms of a run (form.h) against each other.
 *
 * Same data, both forms: the subspace form (W = W0 + A X, inputs [G | I_n])
 * and the direct form train on the same data from the same init, step by
 * step, hinge phase then logistic phase; Z must agree to a relative 1e-9
 * (max |Z_sub - Z_dir| / max |Z_dir|) at every step, the training-error
 * trajectories must be identical, and the signs of the test predictions on
 * 10^4 fresh points must agree except within rounding of zero (counted).
 * The default size runs in seconds (every build, coverage and sanitizers
 * included); `test_overfit_forms full` is the size (n = 20, m = 500,
 * d = 300 and 3000, 2000 steps of each phase), registered as the e2e test
 * overfit_forms_full.
 *
 * Same law, both samplers: the reduced sampler (n + m coordinates) and the
 * direct one (d coordinates) must give the same laws for every invariant a
 * run depends on: inner products between inputs, between weight rows and
 * inputs, kinks, test points against inputs and weights. Two-sample KS tests
 * with a fixed seed, p >= 0.01 each; and the test has teeth: the direct
 * sampler in another dimension is told apart (p < 1e-3). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "stats.h"
#include "train.h"

static int full; /* argv[1] == "full": the sizes */

static double max_abs(const double *a, size_t k)
{
    double s = 0;
    for (size_t i = 0; i < k; i++)
        s = fmax(s, fabs(a[i]));
    return s;
}

/* Trains a direct and a subspace net side by side on one data set, `steps`
 * hinge then `steps` logistic GD steps, and checks the agreement above. */
static void forms_agree(size_t n, size_t d, size_t m, int bias, long steps, size_t test_n)
{
    rvo_data data;
    assert_int_equal(rvo_data_make(&data, n, d, 0.2, 41, 0, NULL), RV_OK);
    rvo_net *dir, *sub;
    assert_int_equal(rvo_net_create(&dir, n, d, m, bias, RVO_FORM_DIRECT, test_n, 1, NULL, NULL),
                     RV_OK);
    assert_int_equal(
        rvo_net_create(&sub, n, d, m, bias, RVO_FORM_SUBSPACE, test_n, 1, NULL, NULL), RV_OK);
    rvo_net_init(dir, 0.1, 0.1, 43);
    rvo_net_init(sub, 0.1, 0.1, 43);
    assert_int_equal(rvo_net_bind(dir, data.X, NULL), RV_OK);
    assert_int_equal(rvo_net_bind(sub, data.X, NULL), RV_OK);
    double *g = malloc(2 * n * sizeof *g), *diff = malloc(n * m * sizeof *diff);
    assert_non_null(g);
    assert_non_null(diff);
    double worst = 0;
    size_t changes = 0; /* steps at which the training error changed */
    size_t last_errors = n + 1;
    for (long t = 0; t < 2 * steps; t++) {
        rvo_loss k = t < steps ? RVO_LOSS_HINGE : RVO_LOSS_LOGISTIC;
        double lr = t < steps ? 0.1 : 1.0;
        assert_int_equal(rvo_net_forward(dir, NULL), RV_OK);
        assert_int_equal(rvo_net_forward(sub, NULL), RV_OK);
        for (size_t i = 0; i < n * m; i++)
            diff[i] = sub->Z[i] - dir->Z[i];
        double rel = max_abs(diff, n * m) / max_abs(dir->Z, n * m);
        worst = fmax(worst, rel);
        if (rel > 1e-9)
            fail_msg("d=%zu step %ld: Z differs by a relative %.3g", d, t, rel);
        rvo_margins a = rvo_loss_grad(sub, data.y, k, 1.0, g + n);
        rvo_margins b = rvo_loss_grad(dir, data.y, k, 1.0, g);
        if (a.errors != b.errors)
            fail_msg("d=%zu step %ld: training errors %zu (subspace) and %zu (direct)", d, t,
                     a.errors, b.errors);
        changes += b.errors != last_errors;
        last_errors = b.errors;
        /* each net its own g: two independent runs, rounding compounding */
        assert_int_equal(rvo_net_backward(dir, g, NULL), RV_OK);
        assert_int_equal(rvo_net_backward(sub, g + n, NULL), RV_OK);
        rvo_gd_update(dir, lr);
        rvo_gd_update(sub, lr);
    }
    /* ||theta||^2 by the subspace identity against the direct sum */
    double sq_dir = rvo_net_sqnorm(dir), sq_sub = rvo_net_sqnorm(sub);
    assert_true(fabs(sq_sub - sq_dir) <= 1e-9 * sq_dir);

    double *od = malloc(test_n * sizeof *od), *os = malloc(test_n * sizeof *os);
    assert_non_null(od);
    assert_non_null(os);
    assert_int_equal(rvo_net_test_outputs(dir, 47, od, NULL), RV_OK);
    assert_int_equal(rvo_net_test_outputs(sub, 47, os, NULL), RV_OK);
    double scale = max_abs(od, test_n);
    size_t near_zero = 0, disagree = 0;
    for (size_t i = 0; i < test_n; i++) {
        if (fabs(od[i]) <= 1e-9 * scale) {
            near_zero++;
            continue;
        }
        disagree += (od[i] > 0) != (os[i] > 0);
    }
    print_message("forms n=%zu d=%zu m=%zu %s, %ld + %ld steps: Z worst relative difference "
                  "%.2e, training-error trajectory identical (%zu changes, final %zu), test "
                  "signs: %zu of %zu disagree, %zu within 1e-9 of zero\n",
                  n, d, m, bias ? "biased" : "bias-free", steps, steps, worst, changes,
                  last_errors, disagree, test_n, near_zero);
    assert_int_equal(disagree, 0);
    free(od);
    free(os);
    free(g);
    free(diff);
    rvo_net_destroy(dir);
    rvo_net_destroy(sub);
    rvo_data_free(&data);
}

static void subspace_form_is_the_direct_run(void **state)
{
    (void)state;
    if (full) {
        forms_agree(20, 300, 500, 1, 2000, 10000);
        forms_agree(20, 3000, 500, 1, 2000, 10000);
        return;
    }
    forms_agree(8, 40, 30, 1, 300, 10000);
    forms_agree(8, 100, 30, 0, 300, 10000);
}

/* ---- same law, both samplers ---- */

enum { STATS = 7 };
static const char *const stat_names[STATS] = {
    "x0.x1", "x1.x2", "w0.x0", "w1.x2", "kink b0", "t.x0", "t.w1"};

static double dot(const double *a, const double *b, size_t k)
{
    double s = 0;
    for (size_t i = 0; i < k; i++)
        s += a[i] * b[i];
    return s;
}

/* The invariants of one draw (n = 3 inputs, m = 2 weight rows, one test
 * point) in dimension d, by the reduced sampler or the direct one. */
static void draw_invariants(int reduced, size_t d, uint64_t seed, double *out)
{
    const size_t n = 3, m = 2;
    rvo_form f = reduced ? RVO_FORM_REDUCED : RVO_FORM_DIRECT;
    rvo_data data;
    assert_int_equal(rvo_data_make(&data, n, d, 0.0, seed, reduced, NULL), RV_OK);
    rvo_net *net;
    assert_int_equal(rvo_net_create(&net, n, d, m, 1, f, 10000, 1, NULL, NULL), RV_OK);
    rvo_net_init(net, 1.0, 1.0, seed + 1);
    size_t k = net->dc; /* d, or n + m */
    double x[3][64] = {{0}}, t[64] = {0};
    for (size_t i = 0; i < n; i++)
        memcpy(x[i], data.X + i * data.dc, data.dc * sizeof(double));
    const double *W = reduced ? net->W0 : net->W;
    rvo_rng r;
    rvo_inputs_open(&r, seed + 2);
    if (reduced)
        rvo_inputs_draw_reduced(&r, t, 1, k, d);
    else
        rvo_inputs_draw(&r, t, 1, d);
    out[0] = dot(x[0], x[1], k);
    out[1] = dot(x[1], x[2], k);
    out[2] = dot(W, x[0], k);
    out[3] = dot(W + k, x[2], k);
    out[4] = net->b[0];
    out[5] = dot(t, x[0], k);
    out[6] = dot(t, W + k, k);
    rvo_net_destroy(net);
    rvo_data_free(&data);
}

static void samples(int reduced, size_t d, size_t count, uint64_t base, double *s[STATS])
{
    double v[STATS];
    for (size_t i = 0; i < count; i++) {
        draw_invariants(reduced, d, base + 10 * i, v);
        for (int q = 0; q < STATS; q++)
            s[q][i] = v[q];
    }
}

static void reduced_sampler_has_the_direct_law(void **state)
{
    (void)state;
    enum { COUNT = 3000 };
    const size_t d = 12; /* > n + m = 5, small enough for the direct sampler */
    double *a[STATS], *b[STATS], *c[STATS];
    for (int q = 0; q < STATS; q++) {
        a[q] = malloc(COUNT * sizeof(double));
        b[q] = malloc(COUNT * sizeof(double));
        c[q] = malloc(COUNT * sizeof(double));
        assert_true(a[q] && b[q] && c[q]);
    }
    samples(1, d, COUNT, 1000003, a);
    samples(0, d, COUNT, 7000003, b);
    samples(0, 3 * d, COUNT, 9000003, c); /* teeth: another dimension */
    for (int q = 0; q < STATS; q++) {
        double D, Dt;
        double pq = rvo_ks_two(a[q], COUNT, b[q], COUNT, &D);
        double pt = rvo_ks_two(a[q], COUNT, c[q], COUNT, &Dt);
        print_message("d=%zu %-8s reduced vs direct: KS D=%.4f p=%.3f; vs direct at d=%zu: "
                      "D=%.4f p=%.2g\n", d, stat_names[q], D, pq, 3 * d, Dt, pt);
        assert_true(pq >= 0.01);
        assert_true(pt < 1e-3);
        free(a[q]);
        free(b[q]);
        free(c[q]);
    }
}

/* Reduced draws never touch d: memory and values are fine at d = 10^12. */
static void reduced_runs_at_any_d(void **state)
{
    (void)state;
    rvo_data data;
    size_t d = (size_t)1e12, n = 6, m = 50;
    assert_int_equal(rvo_data_make(&data, n, d, 0.3, 5, 1, NULL), RV_OK);
    assert_int_equal(data.dc, n);
    for (size_t i = 0; i < n; i++)
        assert_true(fabs(dot(data.X + i * n, data.X + i * n, n) - 1) < 1e-12);
    rvo_net *net;
    assert_int_equal(rvo_net_create(&net, n, d, m, 1, RVO_FORM_REDUCED, 10000, 1, NULL, NULL),
                     RV_OK);
    assert_int_equal(net->dc, n + m);
    rvo_net_init(net, 0.1, 0.1, 6);
    rvo_train_cfg cfg = {.trainer = RVO_TRAIN_GD, .lr_hinge = 0.1, .lr_logistic = 1.0,
                         .hinge_steps = 20000, .logistic_steps = 500, .check_every = 100,
                         .hinge_target = 1.0, .margin_rtol = 1e-3};
    rvo_train_result res;
    assert_int_equal(rvo_train(net, &data, &cfg, &res, NULL), RV_OK);
    assert_true(res.interpolated);
    double e;
    assert_int_equal(rvo_net_clean_error(net, 7, &e, NULL), RV_OK);
    assert_true(e >= 0 && e <= 1);
    /* inputs this far apart are orthogonal to rounding */
    assert_true(fabs(dot(data.X, data.X + n, n)) < 1e-4);
    rvo_net_destroy(net);
    /* the direct form refuses what it cannot hold; reduced needs d > n + m */
    rv_error err = {0};
    assert_int_equal(rvo_net_create(&net, n, n + m, m, 1, RVO_FORM_REDUCED, 10000, 1, NULL, &err),
                     RV_ERR_OPTS);
    assert_non_null(strstr(err.msg, "d > n + m"));
    rvo_data_free(&data);
}

/* auto: direct up to d = 2n and for Adam, subspace up to n + m, reduced above. */
static void auto_form_follows_the_costs(void **state)
{
    (void)state;
    assert_int_equal(rvo_form_choose(RVO_FORM_AUTO, 20, 40, 500, 1), RVO_FORM_DIRECT);
    assert_int_equal(rvo_form_choose(RVO_FORM_AUTO, 20, 41, 500, 1), RVO_FORM_SUBSPACE);
    assert_int_equal(rvo_form_choose(RVO_FORM_AUTO, 20, 520, 500, 1), RVO_FORM_SUBSPACE);
    assert_int_equal(rvo_form_choose(RVO_FORM_AUTO, 20, 521, 500, 1), RVO_FORM_REDUCED);
    assert_int_equal(rvo_form_choose(RVO_FORM_AUTO, 20, 5000, 500, 0), RVO_FORM_DIRECT);
    assert_int_equal(rvo_form_choose(RVO_FORM_SUBSPACE, 20, 5, 500, 1), RVO_FORM_SUBSPACE);
    rv_error err = {0};
    assert_int_equal(rvo_form_check(RVO_FORM_SUBSPACE, 20, 5000, 500, 0, &err), RV_ERR_OPTS);
    assert_int_equal(rvo_form_check(RVO_FORM_REDUCED, 20, 520, 500, 1, &err), RV_ERR_OPTS);
    assert_int_equal(rvo_form_check(RVO_FORM_REDUCED, 20, 521, 500, 1, &err), RV_OK);
    rvo_form f;
    assert_int_equal(rvo_form_from_name("reduced", &f), 0);
    assert_int_equal(f, RVO_FORM_REDUCED);
    assert_int_equal(rvo_form_from_name("Reduced", &f), -1);
    assert_null(rvo_form_name((rvo_form)99));
}

int main(int argc, char **argv)
{
    full = argc > 1 && strcmp(argv[1], "full") == 0;
    if (full) {
        const struct CMUnitTest big[] = {cmocka_unit_test(subspace_form_is_the_direct_run)};
        return cmocka_run_group_tests(big, NULL, NULL);
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(subspace_form_is_the_direct_run),
        cmocka_unit_test(reduced_sampler_has_the_direct_law),
        cmocka_unit_test(reduced_runs_at_any_d),
        cmocka_unit_test(auto_form_follows_the_costs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
