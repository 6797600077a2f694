/* test_fd.c - finite differences agree with the oracle's backward, skip
 * kinks, and would catch a wrong gradient formula. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "check/fd.h"
#include "check/kernel.h"
#include "check/rng.h"

enum { N = 3, D = 4, M = 5 };

static void oracle(rv_op op, rv_dtype dt, const void *args)
{
    rv_variant v;
    rv_error err = {0};
    assert_int_equal(rvc_oracle(&v), 0);
    assert_int_equal(rv_run_ex(op, v, dt, NULL, args, &err), RV_OK);
}

/* A finite difference (NaN: skipped at a kink) against the analytic value. */
static void close_or_skipped(double fd, double exact, double tol, size_t *compared)
{
    if (isnan(fd))
        return;
    assert_true(fabs(fd - exact) <= tol + 1e-15);
    ++*compared;
}

static void fd_matches_the_oracle_backward(void **state)
{
    (void)state;
    double X[N * D], W[M * D], b[M], v[M], g[N], Z[N * M], o[N];
    double dZ[N * M], dv[M], dW[M * D], db[M], dX[N * D];
    rvc_rng r;
    rvc_rng_seed(&r, 17);
    for (int k = 0; k < N * D; k++)
        X[k] = 2 * rvc_rng_unit(&r) - 1;
    for (int k = 0; k < M * D; k++)
        W[k] = 2 * rvc_rng_unit(&r) - 1;
    for (int k = 0; k < M; k++) {
        b[k] = 2 * rvc_rng_unit(&r) - 1;
        v[k] = 2 * rvc_rng_unit(&r) - 1;
    }
    for (int k = 0; k < N; k++)
        g[k] = 2 * rvc_rng_unit(&r) - 1;
    rv_layer_fwd_args f = {N, D, M, X, D, W, D, b, v, Z, M, NULL, 0, o};
    oracle(RV_OP_LAYER_FWD, RV_F64, &f);
    rv_layer_bwd_args bw = {N, D, M, X, D, W, D, v, Z, M, g, dZ, M, dv, dW, D, db, dX, D};
    oracle(RV_OP_LAYER_BWD, RV_F64, &bw);
    rvc_fd fd;
    rv_error err = {0};
    assert_int_equal(rvc_fd_layer(RV_F64, &f, g, &fd, &err), RV_OK);
    assert_int_equal(fd.params, 2 * M + M * D + N * D);
    assert_true(fd.tol > 0 && fd.tol < 1e-9);
    assert_true(fd.skipped < fd.params / 4);
    size_t compared = 0;
    for (int j = 0; j < M; j++) {
        close_or_skipped(fd.dv[j], dv[j], fd.tol, &compared);
        close_or_skipped(fd.db[j], db[j], fd.tol, &compared);
    }
    for (int e = 0; e < M * D; e++)
        close_or_skipped(fd.dW[e], dW[e], fd.tol, &compared);
    for (int e = 0; e < N * D; e++)
        close_or_skipped(fd.dX[e], dX[e], fd.tol, &compared);
    assert_int_equal(compared, fd.params - fd.skipped);
    /* a wrong formula (dW without the mask) would be caught: some active
     * mask is 0 in this draw, so the two differ by far more than tol */
    double worst = 0;
    for (int j = 0; j < M; j++)
        for (int k = 0; k < D; k++) {
            double nomask = 0;
            for (int i = 0; i < N; i++)
                nomask += g[i] * v[j] * X[i * D + k];
            if (!isnan(fd.dW[j * D + k]) && fabs(nomask - fd.dW[j * D + k]) > worst)
                worst = fabs(nomask - fd.dW[j * D + k]);
        }
    assert_true(worst > 1e3 * fd.tol);
    rvc_fd_free(&fd);
    rvc_fd_free(&fd); /* zeroed: a no-op */
}

/* z = 1 * 1 - 1 = 0: every parameter sits on the kink and is skipped. */
static void kinks_are_skipped(void **state)
{
    (void)state;
    float X[1] = {1}, W[1] = {1}, b[1] = {-1}, v[1] = {2}, g[1] = {1};
    rv_layer_fwd_args f = {1, 1, 1, X, 1, W, 1, b, v, NULL, 0, NULL, 0, NULL};
    rvc_fd fd;
    rv_error err = {0};
    assert_int_equal(rvc_fd_layer(RV_F32, &f, g, &fd, &err), RV_OK);
    assert_int_equal(fd.params, 4);
    assert_int_equal(fd.skipped, 4);
    assert_true(isnan(fd.dv[0]) && isnan(fd.db[0]) && isnan(fd.dW[0]) && isnan(fd.dX[0]));
    rvc_fd_free(&fd);
    b[0] = 1; /* z = 2: a clean linear piece; bias-free below */
    f.b = NULL;
    assert_int_equal(rvc_fd_layer(RV_F32, &f, g, &fd, &err), RV_OK);
    assert_int_equal(fd.params, 3);
    assert_int_equal(fd.skipped, 0);
    assert_null(fd.db);
    assert_true(fabs(fd.dv[0] - 1) <= fd.tol);  /* relu(z) g */
    assert_true(fabs(fd.dW[0] - 2) <= fd.tol);  /* g v x */
    assert_true(fabs(fd.dX[0] - 2) <= fd.tol);  /* g v w */
    rvc_fd_free(&fd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fd_matches_the_oracle_backward),
        cmocka_unit_test(kinks_are_skipped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
