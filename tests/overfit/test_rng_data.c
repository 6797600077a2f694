/* test_rng_data.c - the RNG (golden values, reproducibility, distributions,
 * the portable log) and the data (interval, sphere, flips, nesting, 1-NN). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdlib.h>

#include <cmocka.h>

#include "data.h"
#include "rng.h"

static void golden_values(void **state)
{
    (void)state;
    /* from an independent implementation of splitmix64 + xoshiro256** */
    rvo_rng r;
    rvo_rng_seed(&r, 42);
    assert_true(rvo_rng_next(&r) == 0x15780b2e0c2ec716u);
    assert_true(rvo_rng_next(&r) == 0x6104d9866d113a7eu);
    assert_true(rvo_rng_next(&r) == 0xae17533239e499a1u);
    rvo_rng_seed(&r, 0);
    assert_true(rvo_rng_next(&r) == 0x99ec5f36cb75f2b4u);
}

static void same_seed_same_stream(void **state)
{
    (void)state;
    rvo_rng a, b;
    rvo_rng_seed(&a, 7);
    rvo_rng_seed(&b, 7);
    for (int i = 0; i < 1000; i++)
        assert_true(rvo_rng_normal(&a) == rvo_rng_normal(&b));
    uint64_t w1[3] = {1, 2, 3}, w2[3] = {1, 2, 4};
    assert_true(rvo_seed_hash(w1, 3) != rvo_seed_hash(w2, 3));
    assert_true(rvo_seed_hash(w1, 2) != rvo_seed_hash(w1, 3));
    assert_true(rvo_seed_hash(w1, 3) == rvo_seed_hash(w1, 3));
}

static void distributions(void **state)
{
    (void)state;
    rvo_rng r;
    rvo_rng_seed(&r, 123);
    const int N = 200000;
    double su = 0, sn = 0, sn2 = 0, sn4 = 0;
    for (int i = 0; i < N; i++) {
        double u = rvo_rng_uniform(&r);
        assert_true(u >= 0 && u < 1);
        su += u;
        double z = rvo_rng_normal(&r);
        sn += z;
        sn2 += z * z;
        sn4 += z * z * z * z;
    }
    assert_true(fabs(su / N - 0.5) < 0.005);
    assert_true(fabs(sn / N) < 0.01);
    assert_true(fabs(sn2 / N - 1) < 0.02);
    assert_true(fabs(sn4 / N - 3) < 0.1);
}

static void portable_log(void **state)
{
    (void)state;
    double xs[] = {1e-300, 1e-10, 0.001, 0.3, 0.5, 0.70710678, 0.9999999, 1, 1.5, 2, 10, 1e300};
    for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++) {
        double want = log(xs[i]), got = rvo_log(xs[i]);
        assert_true(fabs(got - want) <= 4e-16 * fmax(1, fabs(want)));
    }
    assert_true(isinf(rvo_log(0)) && rvo_log(0) < 0);
    assert_true(isnan(rvo_log(-1)));
}

static void interval_and_sphere(void **state)
{
    (void)state;
    rvo_data a;
    assert_int_equal(rvo_data_make(&a, 50000, 1, 0.0, 9, 0, NULL), RV_OK);
    double s = 0, s2 = 0;
    for (size_t i = 0; i < a.n; i++) {
        assert_true(a.X[i] >= -1 && a.X[i] < 1);
        s += a.X[i];
        s2 += a.X[i] * a.X[i];
        assert_true(a.y[i] == 1);
    }
    assert_int_equal(a.flips, 0);
    assert_true(fabs(s / 50000) < 0.01 && fabs(s2 / 50000 - 1.0 / 3) < 0.01);
    rvo_data_free(&a);

    size_t d = 40, n = 5000;
    assert_int_equal(rvo_data_make(&a, n, d, 0.0, 10, 0, NULL), RV_OK);
    double m0 = 0, sq0 = 0, cross = 0;
    for (size_t i = 0; i < n; i++) {
        double nr = 0;
        for (size_t k = 0; k < d; k++)
            nr += a.X[i * d + k] * a.X[i * d + k];
        assert_true(fabs(nr - 1) < 1e-12);
        m0 += a.X[i * d];
        sq0 += a.X[i * d] * a.X[i * d];
        cross += a.X[i * d] * a.X[i * d + 1];
    }
    /* uniform on the sphere: each coordinate has mean 0, second moment 1/d,
     * coordinates uncorrelated */
    assert_true(fabs(m0 / (double)n) < 0.01);
    assert_true(fabs(sq0 / (double)n - 1.0 / (double)d) < 0.003);
    assert_true(fabs(cross / (double)n) < 0.003);
    rvo_data_free(&a);
}

static void flips_rate_and_nesting(void **state)
{
    (void)state;
    rvo_data lo, hi, big;
    assert_int_equal(rvo_data_make(&lo, 20000, 3, 0.1, 77, 0, NULL), RV_OK);
    assert_int_equal(rvo_data_make(&hi, 20000, 3, 0.3, 77, 0, NULL), RV_OK);
    assert_int_equal(rvo_data_make(&big, 40000, 3, 0.1, 77, 0, NULL), RV_OK);
    assert_true(fabs((double)lo.flips / 20000 - 0.1) < 0.01);
    assert_true(fabs((double)hi.flips / 20000 - 0.3) < 0.015);
    for (size_t i = 0; i < 20000; i++) {
        if (lo.y[i] < 0) /* flips nested in p */
            assert_true(hi.y[i] < 0);
        assert_true(big.y[i] == lo.y[i]); /* points nested in n */
        for (size_t k = 0; k < 3; k++)
            assert_true(big.X[i * 3 + k] == lo.X[i * 3 + k] && hi.X[i * 3 + k] == lo.X[i * 3 + k]);
    }
    rvo_data_free(&lo);
    rvo_data_free(&hi);
    rvo_data_free(&big);
    assert_int_equal(rvo_data_make(&lo, 0, 1, 0.1, 1, 0, NULL), RV_ERR_SIZE);
    assert_int_equal(rvo_data_make(&lo, 5, 1, 1.5, 1, 0, NULL), RV_ERR_OPTS);
}

static void chunked_draws_match(void **state)
{
    (void)state;
    double a[60], b[60];
    rvo_rng r;
    rvo_inputs_open(&r, 5);
    rvo_inputs_draw(&r, a, 20, 3);
    rvo_inputs_open(&r, 5);
    rvo_inputs_draw(&r, b, 7, 3);
    rvo_inputs_draw(&r, b + 21, 13, 3);
    for (int i = 0; i < 60; i++)
        assert_true(a[i] == b[i]);
}

static void nearest_neighbour(void **state)
{
    (void)state;
    rvo_data clean, noisy;
    double e;
    assert_int_equal(rvo_data_make(&clean, 200, 1, 0.0, 3, 0, NULL), RV_OK);
    assert_int_equal(rvo_nn_clean_error(&clean, 99, 10000, &e, NULL), RV_OK);
    assert_true(e == 0);
    assert_int_equal(rvo_data_make(&noisy, 2000, 1, 0.2, 3, 0, NULL), RV_OK);
    assert_int_equal(rvo_nn_clean_error(&noisy, 99, 10000, &e, NULL), RV_OK);
    assert_true(fabs(e - 0.2) < 0.03); /* 1-NN clean error tends to p */
    rvo_data_free(&clean);
    rvo_data_free(&noisy);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(golden_values),       cmocka_unit_test(same_seed_same_stream),
        cmocka_unit_test(distributions),       cmocka_unit_test(portable_log),
        cmocka_unit_test(interval_and_sphere), cmocka_unit_test(flips_rate_and_nesting),
        cmocka_unit_test(chunked_draws_match), cmocka_unit_test(nearest_neighbour),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
