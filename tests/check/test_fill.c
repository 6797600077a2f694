/* test_fill.c - the RNG and the fills: determinism, ranges, and the
 * property exact mode rests on (every summation order gives the same
 * result). */
#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "check/fill.h"
#include "check/shapes.h"

static void rng_is_deterministic(void **state)
{
    (void)state;
    rvc_rng a, b;
    rvc_rng_seed(&a, 42);
    rvc_rng_seed(&b, 42);
    for (int i = 0; i < 100; i++)
        assert_true(rvc_rng_next(&a) == rvc_rng_next(&b));
    /* splitmix64's published first output for seed 0 */
    rvc_rng_seed(&a, 0);
    assert_true(rvc_rng_next(&a) == 0xe220a8397b1dcdafu);
    assert_true(rvc_seed_mix(1, 2) != rvc_seed_mix(2, 1));
    assert_true(rvc_seed_mix(1, 2) == rvc_seed_mix(1, 2));
    int seen[7] = {0};
    for (int i = 0; i < 2000; i++) {
        long k = rvc_rng_int(&a, -3, 3);
        assert_true(k >= -3 && k <= 3);
        seen[k + 3]++;
        double u = rvc_rng_unit(&a);
        assert_true(u >= 0 && u < 1);
    }
    for (int k = 0; k < 7; k++)
        assert_true(seen[k] > 200); /* about 286 each */
}

static void modes_have_names(void **state)
{
    (void)state;
    rvc_mode m;
    assert_string_equal(rvc_mode_name(RVC_EXACT), "exact");
    assert_int_equal(rvc_mode_from_name("random", &m), 0);
    assert_int_equal(m, RVC_RANDOM);
    assert_int_equal(rvc_mode_from_name("fuzzy", &m), -1);
    assert_null(rvc_mode_name(RVC_MODE_COUNT));
}

static void exact_range_fits_the_significand(void **state)
{
    (void)state;
    assert_int_equal(rvc_exact_range(RV_F32, 100, 3), RVC_EXACT_MAX_RANGE);
    assert_int_equal(rvc_exact_range(RV_F32, 0x1p24, 3), 1);
    assert_int_equal(rvc_exact_range(RV_F32, 0x1p24 + 1, 3), 0);
    assert_int_equal(rvc_exact_range(RV_F32, 0x1p21, 3), 2);   /* 2^21 * 8 = 2^24 */
    assert_int_equal(rvc_exact_range(RV_F64, 0x1p24 + 1, 3), RVC_EXACT_MAX_RANGE);
}

static void exact_fill_is_on_the_grid(void **state)
{
    (void)state;
    rvc_mat m;
    rv_error err;
    rvc_rng r;
    rvc_rng_seed(&r, 3);
    assert_int_equal(rvc_mat_alloc(&m, RV_F32, 40, 50, 53, &err), RV_OK);
    rvc_fill_exact(&r, &m, 5, -3, 1);
    int neg_zero = 0, pos_zero = 0, top = 0;
    for (size_t i = 0; i < m.rows; i++)
        for (size_t j = 0; j < m.cols; j++) {
            double x = rvc_mat_get(&m, i, j) * 8;
            assert_true(x == floor(x) && fabs(x) <= 5);
            neg_zero += x == 0 && signbit(x);
            pos_zero += x == 0 && !signbit(x);
            top += fabs(x) == 5;
        }
    assert_true(neg_zero > 0 && pos_zero > 0 && top > 0);
    long r0 = 0, c0 = 0;
    assert_int_equal(rvc_mat_damage(&m, &r0, &c0), 0); /* padding untouched */
    rvc_mat_free(&m);
}

/* The exact-mode promise: with R from rvc_exact_range, a dot product of the
 * exact fill gives the same float in every order. */
static void exact_sums_do_not_depend_on_order(void **state)
{
    (void)state;
    enum { K = 4000 };
    long range = rvc_exact_range(RV_F32, K, 3);
    assert_true(range >= 1);
    rvc_mat a, b;
    rv_error err;
    rvc_rng r;
    rvc_rng_seed(&r, 11);
    assert_int_equal(rvc_mat_alloc(&a, RV_F32, 1, K, K, &err), RV_OK);
    assert_int_equal(rvc_mat_alloc(&b, RV_F32, 1, K, K, &err), RV_OK);
    rvc_fill_exact(&r, &a, range * range, -2, 0);
    rvc_fill_exact(&r, &b, range, -3, 0);
    float fwd = 0, bwd = 0, pair[K];
    long double exact = 0;
    for (int k = 0; k < K; k++) {
        float p = (float)rvc_mat_get(&a, 0, (size_t)k) * (float)rvc_mat_get(&b, 0, (size_t)k);
        fwd += p;
        pair[k] = p;
        exact += (long double)p;
    }
    for (int k = K - 1; k >= 0; k--)
        bwd += pair[k];
    for (int w = 1; w < K; w *= 2) /* pairwise */
        for (int k = 0; k + w < K; k += 2 * w)
            pair[k] += pair[k + w];
    assert_true(fwd == bwd && fwd == pair[0] && (long double)fwd == exact);
    rvc_mat_free(&a);
    rvc_mat_free(&b);
}

static void uniform_and_specials(void **state)
{
    (void)state;
    rvc_mat m;
    rv_error err;
    rvc_rng r;
    rvc_rng_seed(&r, 5);
    assert_int_equal(rvc_mat_alloc(&m, RV_F64, 30, 30, 30, &err), RV_OK);
    rvc_fill_uniform(&r, &m, -1, 1);
    for (size_t e = 0; e < 900; e++) {
        double x = rvc_mat_get(&m, e / 30, e % 30);
        assert_true(x >= -1 && x < 1);
    }
    double sp[RVC_SPECIAL_COUNT];
    assert_int_equal(rvc_special_values(RV_F32, sp, RVC_SPECIAL_COUNT), RVC_SPECIAL_COUNT);
    assert_true(sp[0] == 0 && !signbit(sp[0]) && signbit(sp[1]) && isnan(sp[2]));
    assert_true(sp[5] == FLT_TRUE_MIN && sp[9] == FLT_MAX);
    assert_int_equal(rvc_special_values(RV_F64, sp, 3), 3);
    rvc_fill_sprinkle(&r, &m, 0.5, sp, 3);
    int nan = 0;
    for (size_t e = 0; e < 900; e++)
        nan += isnan(rvc_mat_get(&m, e / 30, e % 30));
    assert_true(nan > 50 && nan < 250); /* about 150 */
    rvc_mat_free(&m);
}

/* The corpus: every class has cases; random shapes are reproducible,
 * within [1, 128], with layout bits of the op only. */
static void corpus_and_random_shapes(void **state)
{
    (void)state;
    const rvc_shape_class *cls;
    size_t n = rvc_shape_classes(&cls);
    assert_true(n >= 10);
    for (size_t i = 0; i < n; i++) {
        assert_true(cls[i].count > 0 && cls[i].ops != 0);
        for (size_t k = 0; k < cls[i].count; k++)
            assert_true(cls[i].cases[k].s.n && cls[i].cases[k].s.d && cls[i].cases[k].s.m);
    }
    rvc_shape_case a[RVC_RANDOM_SHAPES], b[RVC_RANDOM_SHAPES];
    rvc_random_shapes(9, RV_OP_LAYER_BWD, a, RVC_RANDOM_SHAPES);
    rvc_random_shapes(9, RV_OP_LAYER_BWD, b, RVC_RANDOM_SHAPES);
    for (int k = 0; k < RVC_RANDOM_SHAPES; k++) {
        assert_true(a[k].s.n == b[k].s.n && a[k].s.d == b[k].s.d && a[k].s.m == b[k].s.m);
        assert_int_equal(a[k].layout, b[k].layout);
        assert_true(a[k].s.n >= 1 && a[k].s.n <= 128 && a[k].s.m >= 1 && a[k].s.m <= 128);
        assert_int_equal(a[k].layout & ~rvc_layouts(RV_OP_LAYER_BWD), 0);
    }
    char buf[64];
    assert_string_equal(rvc_layout_name(0, buf, sizeof buf), "compact");
    assert_string_equal(rvc_layout_name(RVC_PAD | RVC_NO_OPT, buf, sizeof buf), "pad+no-H/dX");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rng_is_deterministic),
        cmocka_unit_test(modes_have_names),
        cmocka_unit_test(exact_range_fits_the_significand),
        cmocka_unit_test(exact_fill_is_on_the_grid),
        cmocka_unit_test(exact_sums_do_not_depend_on_order),
        cmocka_unit_test(uniform_and_specials),
        cmocka_unit_test(corpus_and_random_shapes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
