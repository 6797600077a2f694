/* test_tolerance.c - the tolerance model and the comparison logic: unit
 * roundoffs, hand-computed bounds, a perturbation just inside the bound
 * passes and just outside fails, NaN and signed-zero rules, the canary. */
#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "check/buffer.h"
#include "check/compare.h"
#include "check/tolerance.h"

static void unit_roundoff_and_formula(void **state)
{
    (void)state;
    assert_true(rvc_unit_roundoff(RV_F32) == 0x1p-24);
    assert_true(rvc_unit_roundoff(RV_F64) == 0x1p-53);
    assert_true(rvc_tol_bound(RV_F32, 10, 3.0) == RVC_TOL_C * 10 * 0x1p-24 * 3.0);
    assert_true(rvc_tol_bound(RV_F64, 1, 0) == 0);
}

/* n = 1, d = 2, m = 1: X = [1, -2], W = [3, 0.5], b = 0.25, v = -2.
 * z = 0.25 + 3 - 1 = 2.25; S = 0.25 + 3 + 1 = 4.25; K_Z = 3. */
static void layer_fwd_bounds_by_hand(void **state)
{
    (void)state;
    double X[2] = {1, -2}, W[2] = {3, 0.5}, b[1] = {0.25}, v[1] = {-2}, Z[1] = {2.25};
    rv_layer_fwd_args a = {1, 2, 1, X, 2, W, 2, b, v, Z, 1, NULL, 0, NULL};
    double bz, bo;
    rvc_bounds_layer_fwd(RV_F64, &a, &bz, &bo);
    assert_true(bz == rvc_tol_bound(RV_F64, 3, 4.25));
    /* carried Z error 3 * |v| S = 3 * 8.5, dot product 1 * relu(z) |v| = 4.5 */
    assert_true(bo == rvc_tol_bound(RV_F64, 3, 8.5) + rvc_tol_bound(RV_F64, 1, 4.5));
    /* far below zero: relu is 0 on both sides, nothing is carried into o */
    Z[0] = -1;
    b[0] = -2.25 - 2; /* S = 4.25 + 2 */
    rvc_bounds_layer_fwd(RV_F64, &a, &bz, &bo);
    assert_true(bo == 0);
    /* bias-free: K_Z = d */
    a.b = NULL;
    Z[0] = 2;
    rvc_bounds_layer_fwd(RV_F64, &a, &bz, &bo);
    assert_true(bz == rvc_tol_bound(RV_F64, 2, 4.0));
}

/* n = 2, d = 1, m = 2; Z = [[1, 0], [-1, 2]] (the 0 is the kink). */
static void layer_bwd_bounds_by_hand(void **state)
{
    (void)state;
    float X[2] = {2, -3}, W[2] = {0.5f, 4}, v[2] = {-1, 3}, Z[4] = {1, 0, -1, 2},
          g[2] = {0.25f, -2};
    rv_layer_bwd_args a = {.n = 2, .d = 1, .m = 2, .X = X, .ldx = 1, .W = W, .ldw = 1,
                           .v = v, .Z = Z, .ldz = 2, .g = g};
    double bdZ[4], bdv[2], bdW[2], bdb[2], bdX[2];
    rvc_bounds_layer_bwd(RV_F32, &a, 0, bdZ, bdv, bdW, bdb, bdX);
    assert_true(bdZ[0] == rvc_tol_bound(RV_F32, 1, 0.25)); /* |g0 v0| */
    assert_true(bdZ[1] == 0 && bdZ[2] == 0);                /* masked: exact */
    assert_true(bdZ[3] == rvc_tol_bound(RV_F32, 1, 6));     /* |g1 v1| */
    assert_true(bdv[0] == rvc_tol_bound(RV_F32, 2, 0.25));  /* relu(1) |g0| */
    assert_true(bdv[1] == rvc_tol_bound(RV_F32, 2, 4));     /* relu(2) |g1| */
    assert_true(bdb[1] == rvc_tol_bound(RV_F32, 3, 6));
    assert_true(bdW[0] == rvc_tol_bound(RV_F32, 3, 0.5));   /* |g0 v0 X0| */
    assert_true(bdX[1] == rvc_tol_bound(RV_F32, 3, 24));    /* |g1 v1 W1| */
    rvc_bounds_layer_bwd(RV_F32, &a, 1, NULL, bdv, NULL, NULL, NULL);
    assert_true(bdv[1] == rvc_tol_bound(RV_F32, 3, 4));     /* one more rounding */
}

static rvc_cmp_spec spec_1x1(const double *got, const double *want, const double *bound)
{
    return (rvc_cmp_spec){.what = "t", .rows = 1, .cols = 1, .got = {RV_F64, got, 1},
                          .want = {RV_F64, want, 1}, .bound = bound};
}

static size_t bad_after(const double got, const double want, const double *bound)
{
    rvc_tally t;
    rvc_tally_init(&t);
    rvc_cmp_spec s = spec_1x1(&got, &want, bound);
    rvc_compare(&t, &s);
    assert_int_equal(t.compared, 1);
    return t.bad;
}

static void just_inside_passes_just_outside_fails(void **state)
{
    (void)state;
    const double bound = 0x1p-20, want = 1.0;
    assert_int_equal(bad_after(want + bound, want, &bound), 0);              /* on it */
    assert_int_equal(bad_after(want + bound * (1 - 0x1p-20), want, &bound), 0);
    assert_int_equal(bad_after(want + bound + 0x1p-52, want, &bound), 1);    /* one ulp out */
    assert_int_equal(bad_after(want - bound - 0x1p-52, want, &bound), 1);
    const double zero = 0;
    assert_int_equal(bad_after(1.0, 1.0, &zero), 0);                        /* exact: == */
    assert_int_equal(bad_after(1.0 + 0x1p-52, 1.0, &zero), 1);
    assert_int_equal(bad_after(-0.0, 0.0, &zero), 0);                        /* == */
    assert_int_equal(bad_after(NAN, NAN, &zero), 0);                         /* NaN == NaN */
    assert_int_equal(bad_after(NAN, 1.0, &bound), 1);
    assert_int_equal(bad_after(1.0, NAN, &bound), 1);
    assert_int_equal(bad_after(INFINITY, INFINITY, &bound), 0);
    assert_int_equal(bad_after(-INFINITY, INFINITY, &bound), 1);
}

static void identical_rules(void **state)
{
    (void)state;
    assert_int_equal(bad_after(0.0, 0.0, NULL), 0);
    assert_int_equal(bad_after(-0.0, 0.0, NULL), 1); /* relu(-0.0) must be +0.0 */
    assert_int_equal(bad_after(NAN, -NAN, NULL), 0);  /* any NaN payload */
    assert_int_equal(bad_after(0.0, NAN, NULL), 1);
    assert_int_equal(bad_after(1.0, 1.0 + 0x1p-52, NULL), 1);
}

static void slack_and_skips(void **state)
{
    (void)state;
    double got[2] = {1.5, 7}, want[2] = {1.0, NAN}, bound[2] = {0.25, 0};
    rvc_tally t;
    rvc_tally_init(&t);
    rvc_cmp_spec s = {.what = "fd", .rows = 1, .cols = 2, .got = {RV_F64, got, 2},
                      .want = {RV_F64, want, 2}, .bound = bound, .slack = 0.25,
                      .nan_want_skips = 1};
    rvc_compare(&t, &s);
    assert_int_equal(t.compared, 1);
    assert_int_equal(t.bad, 0);
    assert_true(t.worst_ratio == 1.0);
}

/* Flips pass inside the bound and are counted; the report keeps the first
 * RVC_MAX_REPORT mismatches with their indices, the count keeps all. */
static void flips_and_first_mismatches(void **state)
{
    (void)state;
    enum { R = 3, C = 4 };
    float got[R * C], want[R * C];
    double bound[R * C];
    for (int e = 0; e < R * C; e++) {
        want[e] = (float)(e + 1);
        got[e] = want[e] + 1;
        bound[e] = 0.5;
    }
    got[0] = -0.25f, want[0] = 0.25f, bound[0] = 0.5; /* a flip within the bound */
    rvc_tally t;
    rvc_tally_init(&t);
    rvc_cmp_spec s = {.what = "Z", .rows = R, .cols = C, .got = {RV_F32, got, C},
                      .want = {RV_F32, want, C}, .bound = bound, .count_flips = 1};
    rvc_compare(&t, &s);
    assert_int_equal(t.flips, 1);
    assert_int_equal(t.bad, R * C - 1);
    assert_int_equal(t.nreport, RVC_MAX_REPORT);
    assert_int_equal(t.report[0].i, 0);
    assert_int_equal(t.report[0].j, 1);
    assert_int_equal(t.report[3].i, 1);
    assert_int_equal(t.report[3].j, 0);
    assert_true(t.report[0].got == 3 && t.report[0].want == 2 && t.report[0].bound == 0.5);
    assert_string_equal(t.report[0].what, "Z");
    assert_string_equal(rvc_why_name(t.report[0].why), "outside the bound");
}

/* The canary: unwritten elements, writes into padding and guards, writes
 * into inputs. */
static void canary_catches_stray_and_missing_writes(void **state)
{
    (void)state;
    for (int dt = 0; dt < RV_DTYPE_COUNT; dt++) {
        rvc_mat m, want;
        rv_error err;
        assert_int_equal(rvc_mat_alloc(&m, (rv_dtype)dt, 3, 2, 5, &err), RV_OK);
        assert_int_equal(rvc_mat_alloc(&want, (rv_dtype)dt, 3, 2, 5, &err), RV_OK);
        long r = 0, c = 0;
        assert_int_equal(rvc_mat_damage(&m, &r, &c), 0);
        assert_true(isnan(rvc_mat_get(&m, 0, 0)));
        for (size_t i = 0; i < 3; i++)
            for (size_t j = 0; j < 2; j++) {
                rvc_mat_set(&want, i, j, NAN);
                if (i != 2 || j != 1)
                    rvc_mat_set(&m, i, j, NAN); /* a computed NaN is not the canary */
            }
        rvc_tally t;
        rvc_tally_init(&t);
        rvc_cmp_spec s = {.what = "y", .rows = 3, .cols = 2, .got = {m.dt, m.data, m.ld},
                          .want = {want.dt, want.data, want.ld}};
        rvc_compare(&t, &s);
        assert_int_equal(t.bad, 1);
        assert_int_equal(t.report[0].why, RVC_WHY_UNWRITTEN);
        assert_int_equal(t.report[0].i, 2);
        assert_int_equal(t.report[0].j, 1);
        uint64_t h = rvc_mat_hash(&m);
        rvc_mat_set(&m, 1, 3, 0); /* padding */
        assert_true(rvc_mat_hash(&m) != h);
        assert_int_equal(rvc_mat_damage(&m, &r, &c), 1);
        assert_int_equal(r, 1);
        assert_int_equal(c, 3);
        rvc_store(m.dt, m.block, 0, 1); /* the guard before */
        rvc_store(m.dt, m.block, m.count - 1, 1); /* the guard after */
        assert_int_equal(rvc_mat_damage(&m, &r, &c), 3);
        assert_int_equal(r, -1);
        assert_int_equal(c, -RVC_GUARD);
        rvc_mat_poison(&m);
        assert_int_equal(rvc_mat_damage(&m, &r, &c), 0);
        rvc_mat_free(&m);
        rvc_mat_free(&want);
        rvc_mat_free(&m); /* a freed matrix is zeroed: freeing again is a no-op */
    }
    rvc_mat m;
    rv_error err;
    assert_int_equal(rvc_mat_alloc(&m, RV_F32, 2, 3, 2, &err), RV_ERR_LD);
    assert_int_equal(rvc_mat_alloc(&m, RV_F32, 0, 3, 3, &err), RV_ERR_SIZE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(unit_roundoff_and_formula),
        cmocka_unit_test(layer_fwd_bounds_by_hand),
        cmocka_unit_test(layer_bwd_bounds_by_hand),
        cmocka_unit_test(just_inside_passes_just_outside_fails),
        cmocka_unit_test(identical_rules),
        cmocka_unit_test(slack_and_skips),
        cmocka_unit_test(flips_and_first_mismatches),
        cmocka_unit_test(canary_catches_stray_and_missing_writes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
