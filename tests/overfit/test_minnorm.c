/* test_minnorm.c - the exact 1-D minimum-norm interpolator: closed forms,
 * both certificates, the exact clean error, GD nets held against the
 * optimum (||theta||^2 / (2 min margin) >= OPT for every interpolating
 * net), and bad input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "minnorm.h"
#include "train.h"

/* One point: the cheapest unit is aligned with (x, 1), so OPT =
 * 1 / sqrt(1 + x^2) with its kink at t = -1/x (outside the data: only
 * column generation finds it). */
static void one_point_closed_form(void **state)
{
    (void)state;
    const double xs[] = {0.5, -0.3, 0.9};
    for (int k = 0; k < 3; k++)
        for (int sign = -1; sign <= 1; sign += 2) {
            double x = xs[k], y = sign;
            rvo_minnorm m;
            assert_int_equal(rvo_minnorm_solve(&x, &y, 1, &m, NULL), RV_OK);
            double want = 1 / sqrt(1 + x * x);
            assert_true(fabs(m.upper - want) < 1e-9 * want);
            assert_true(m.lower <= m.upper && m.gap < 1e-9);
            assert_int_equal(m.nkinks, 1);
            assert_true(fabs(m.t[0] - (-1 / x)) < 1e-6);
            double f;
            rvo_minnorm_eval(&m, &x, 1, &f);
            assert_true(y * f >= 1 - 1e-12);
            rvo_minnorm_free(&m);
        }
}

/* Random draws: both bounds hold, the gap closes, the net interpolates. */
static void random_draws_are_certified(void **state)
{
    (void)state;
    const size_t ns[] = {2, 7, 40, 300};
    for (int k = 0; k < 4; k++) {
        rvo_data d;
        assert_int_equal(rvo_data_make(&d, ns[k], 1, 0.2, 100 + (uint64_t)k, 0, NULL), RV_OK);
        rvo_minnorm m;
        rv_error err = {0};
        if (rvo_minnorm_solve(d.X, d.y, d.n, &m, &err) != RV_OK)
            fail_msg("n=%zu: %s", ns[k], err.msg);
        assert_true(m.lower > 0 && m.lower <= m.upper);
        assert_true(m.gap < 1e-7);
        assert_true(m.min_margin >= 1 && m.min_margin < 1 + 1e-6);
        double *f = malloc(d.n * sizeof *f);
        rvo_minnorm_eval(&m, d.X, d.n, f);
        for (size_t i = 0; i < d.n; i++)
            assert_true(d.y[i] * f[i] >= 1 - 1e-9);
        /* the cost of the returned units is the upper bound */
        double cost = fabs(m.constant);
        for (size_t j = 0; j < m.nkinks; j++)
            cost += fabs(m.a[j]) * sqrt(1 + m.t[j] * m.t[j]);
        assert_true(fabs(cost - m.upper) <= 1e-9 * m.upper);
        print_message("n=%zu flips %zu: OPT in [%.10g, %.10g], gap %.1e, %zu kinks, %d LP "
                      "solves, clean error %.4f\n", d.n, d.flips, m.lower, m.upper, m.gap,
                      m.nkinks, m.rounds, rvo_minnorm_clean_error(&m));
        free(f);
        rvo_minnorm_free(&m);
        rvo_data_free(&d);
    }
}

/* N(x) = 1 - 4 relu(x) + 2 relu(-0.5 - x): <= 0 on [0.25, 1] only (at -1:
 * 1 + 1 = 2 > 0), so the clean error is 0.75 / 2. */
static void clean_error_from_breakpoints(void **state)
{
    (void)state;
    double t[] = {-0.5, 0}, a[] = {2, -4};
    signed char dir[] = {-1, 1};
    rvo_minnorm m = {.constant = 1, .nkinks = 2, .t = t, .a = a, .dir = dir};
    assert_true(fabs(rvo_minnorm_clean_error(&m) - 0.375) < 1e-15);
    double xs[] = {-1, -0.5, 0, 0.25, 1}, f[5], want[] = {2, 1, 1, 0, -3};
    rvo_minnorm_eval(&m, xs, 5, f);
    for (int i = 0; i < 5; i++)
        assert_true(fabs(f[i] - want[i]) < 1e-15);
    m.constant = -1; /* negative everywhere but near -1: N(-1) = 0 */
    assert_true(fabs(rvo_minnorm_clean_error(&m) - 1.0) < 1e-15);
}

/* The certificate: for every GD net that interpolates, 2-homogeneity gives
 * ||theta||^2 / (2 min_i y_i N(x_i)) >= OPT >= the lower bound. A solver
 * whose lower bound were too high would fail here: the test shows it with
 * a bound 10% too high, which some trained net beats. */
static void gd_nets_never_beat_the_optimum(void **state)
{
    (void)state;
    int beaten_by_wrong = 0;
    for (uint64_t seed = 1; seed <= 4; seed++) {
        rvo_data d;
        assert_int_equal(rvo_data_make(&d, 10, 1, 0.2, seed, 0, NULL), RV_OK);
        rvo_minnorm m;
        assert_int_equal(rvo_minnorm_solve(d.X, d.y, d.n, &m, NULL), RV_OK);
        rvo_net *net;
        assert_int_equal(rvo_net_create(&net, 10, 1, 200, 1, RVO_FORM_DIRECT, 10000, 1, NULL,
                                        NULL), RV_OK);
        rvo_net_init(net, 0.1, 0.1, seed + 50);
        rvo_train_cfg cfg = {.trainer = RVO_TRAIN_GD, .lr_hinge = 0.1, .lr_logistic = 1.0,
                             .hinge_steps = 300000, .logistic_steps = 20000,
                             .check_every = 1000, .hinge_target = 1e-8, .margin_rtol = 1e-3};
        rvo_train_result res;
        assert_int_equal(rvo_train(net, &d, &cfg, &res, NULL), RV_OK);
        assert_true(res.interpolated);
        double g[10];
        assert_int_equal(rvo_net_forward(net, NULL), RV_OK);
        rvo_margins mg = rvo_loss_grad(net, d.y, RVO_LOSS_LOGISTIC, 0, g);
        double cert = rvo_net_sqnorm(net) / (2 * mg.min_margin);
        print_message("seed %llu: GD net %.6g >= OPT in [%.6g, %.6g] (ratio %.3f)\n",
                      (unsigned long long)seed, cert, m.lower, m.upper, cert / m.upper);
        assert_true(cert >= m.lower * (1 - 1e-9));
        beaten_by_wrong += cert < 1.1 * m.lower;
        rvo_net_destroy(net);
        rvo_minnorm_free(&m);
        rvo_data_free(&d);
    }
    assert_true(beaten_by_wrong > 0);
}

static void bad_input(void **state)
{
    (void)state;
    rvo_minnorm m;
    rv_error err = {0};
    double x[] = {0.1, 0.1, NAN}, y[] = {1, -1, 0};
    assert_int_equal(rvo_minnorm_solve(x, y, 0, &m, &err), RV_ERR_SIZE);
    assert_int_equal(rvo_minnorm_solve(x, y, 2, &m, &err), RV_ERR_OPTS);
    assert_non_null(strstr(err.msg, "no function interpolates them"));
    double y2[] = {1, 0.5};
    assert_int_equal(rvo_minnorm_solve(x, y2, 2, &m, &err), RV_ERR_OPTS);
    double x3[] = {0.1, NAN}, y3[] = {1, 1};
    assert_int_equal(rvo_minnorm_solve(x3, y3, 2, &m, &err), RV_ERR_OPTS);
    assert_null(m.t);
    /* equal points with equal labels are one point */
    double x4[] = {0.2, 0.2}, y4[] = {-1, -1};
    assert_int_equal(rvo_minnorm_solve(x4, y4, 2, &m, &err), RV_OK);
    assert_true(fabs(m.upper - 1 / sqrt(1.04)) < 1e-9);
    rvo_minnorm_free(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(one_point_closed_form),
        cmocka_unit_test(random_draws_are_certified),
        cmocka_unit_test(clean_error_from_breakpoints),
        cmocka_unit_test(gd_nets_never_beat_the_optimum),
        cmocka_unit_test(bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
