/* test_policy.c - the kink and NaN policy of ops.h, for every variant of
 * variants.def, both dtypes, one and two threads:
 *   relu(NaN) = NaN, relu(-0.0) = +0.0, relu(x <= 0) = +0;
 *   mask(z) = z > 0: the gradient at z == 0 (either sign) is 0, mask(NaN) = 0;
 *   relu'(x, dy) is a select: NaN or Inf in dy where x <= 0 gives +0. */
#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "check/buffer.h"
#include "reluvet/reluvet.h"

#define COUNT(a) (sizeof(a) / sizeof(a)[0])

/* Same value, same sign of zero, NaN matches NaN. */
static int same(double got, double want)
{
    if (isnan(want))
        return isnan(got);
    return got == want && signbit(got) == signbit(want);
}

typedef struct target {
    rv_variant v;
    rv_dtype dt;
    rv_opts opts;
} target;

static void run(const target *t, rv_op op, const void *args)
{
    rv_error err = {0};
    rv_status s = rv_run_ex(op, t->v, t->dt, &t->opts, args, &err);
    if (s != RV_OK)
        fail_msg("%s %s: %s", rv_variant_name(t->v), rv_op_name(op), err.msg);
}

static void expect(const target *t, const char *what, const void *p, const double *want,
                   size_t n)
{
    for (size_t i = 0; i < n; i++) {
        double got = rvc_load(t->dt, p, i);
        if (!same(got, want[i]))
            fail_msg("%s %s threads=%d: %s[%zu] = %g, want %g", rv_variant_name(t->v),
                     rv_dtype_name(t->dt), t->opts.threads, what, i, got, want[i]);
    }
}

static void store_all(rv_dtype dt, void *p, const double *x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        rvc_store(dt, p, i, x[i]);
}

static void relu_policy(const target *t)
{
    double tiny = t->dt == RV_F32 ? FLT_TRUE_MIN : DBL_TRUE_MIN;
    const double x[] = {NAN, -0.0, 0.0, -1, 2, -INFINITY, INFINITY, tiny, -tiny};
    const double y[] = {NAN, 0.0, 0.0, 0.0, 2, 0.0, INFINITY, tiny, 0.0};
    double xb[COUNT(x)], yb[COUNT(x)]; /* room for either dtype */
    store_all(t->dt, xb, x, COUNT(x));
    rv_relu_fwd_args f = {1, COUNT(x), xb, COUNT(x), yb, COUNT(x)};
    run(t, RV_OP_RELU_FWD, &f);
    expect(t, "relu", yb, y, COUNT(y));
    f.y = xb; /* in place */
    run(t, RV_OP_RELU_FWD, &f);
    expect(t, "relu in place", xb, y, COUNT(y));

    const double z[] = {NAN, -0.0, 0.0, 1, -1, 1, 0.0, -2};
    const double dy[] = {5, 5, NAN, NAN, INFINITY, -0.0, -INFINITY, NAN};
    const double dx[] = {0.0, 0.0, 0.0, NAN, 0.0, -0.0, 0.0, 0.0};
    double zb[COUNT(z)], dyb[COUNT(z)], dxb[COUNT(z)];
    store_all(t->dt, zb, z, COUNT(z));
    store_all(t->dt, dyb, dy, COUNT(z));
    rv_relu_bwd_args b = {1, COUNT(z), zb, COUNT(z), dyb, COUNT(z), dxb, COUNT(z)};
    run(t, RV_OP_RELU_BWD, &b);
    expect(t, "relu'", dxb, dx, COUNT(dx));
}

/* n = 4, d = 1, m = 1. */
static void layer_policy(const target *t)
{
    const double X[] = {1, 3, NAN, 2}, W[] = {1}, b[] = {-1}, v[] = {3};
    const double Zw[] = {0.0, 2, NAN, 1}, Hw[] = {0.0, 2, NAN, 1}, ow[] = {0, 6, NAN, 3};
    double Xb[4], Wb[1], bb[1], vb[1], Zb[4], Hb[4], ob[4];
    store_all(t->dt, Xb, X, 4);
    store_all(t->dt, Wb, W, 1);
    store_all(t->dt, bb, b, 1);
    store_all(t->dt, vb, v, 1);
    rv_layer_fwd_args f = {4, 1, 1, Xb, 1, Wb, 1, bb, vb, Zb, 1, Hb, 1, ob};
    run(t, RV_OP_LAYER_FWD, &f);
    expect(t, "H", Hb, Hw, 4); /* relu(0) = +0 whatever the sign of z */
    expect(t, "o", ob, ow, 4);
    for (int i = 0; i < 4; i++)
        assert_true(rvc_load(t->dt, Zb, (size_t)i) == Zw[i] || isnan(Zw[i]));

    const double Z[] = {0.0, -0.0, NAN, 2}, g[] = {1, 1, 1, 1}, Xg[] = {1, 1, 1, 0.5},
                 Wg[] = {5};
    const double dZ[] = {0, 0, 0, 3}, dX[] = {0, 0, 0, 15}, dW[] = {1.5}, db[] = {3},
                 dv[] = {NAN};
    double Zg[4], gb[4], Xgb[4], Wgb[1], dZb[4], dvb[1], dWb[1], dbb[1], dXb[4];
    store_all(t->dt, Zg, Z, 4);
    store_all(t->dt, gb, g, 4);
    store_all(t->dt, Xgb, Xg, 4);
    store_all(t->dt, Wgb, Wg, 1);
    rv_layer_bwd_args bw = {4, 1, 1, Xgb, 1, Wgb, 1, vb, Zg, 1, gb, dZb, 1, dvb, dWb, 1,
                            dbb, dXb, 1};
    run(t, RV_OP_LAYER_BWD, &bw);
    for (int i = 0; i < 4; i++) /* the gradient at z == 0 and at NaN is 0 */
        assert_true(rvc_load(t->dt, dZb, (size_t)i) == dZ[i]);
    expect(t, "dv", dvb, dv, 1); /* relu(NaN) = NaN reaches dv */
    expect(t, "dW", dWb, dW, 1);
    expect(t, "db", dbb, db, 1);
    for (int i = 0; i < 4; i++)
        assert_true(rvc_load(t->dt, dXb, (size_t)i) == dX[i]);
}

static void every_variant_follows_the_policy(void **state)
{
    (void)state;
    int checked = 0;
    for (int v = 0; v < RV_VARIANT_COUNT; v++)
        for (int dt = 0; dt < RV_DTYPE_COUNT; dt++)
            for (int threads = 1; threads <= 2; threads++) {
                if (threads > 1 && !(rv_variant_flags((rv_variant)v) & RV_VF_THREADS))
                    continue;
                target t = {(rv_variant)v, (rv_dtype)dt, {.threads = threads}};
                relu_policy(&t);
                layer_policy(&t);
                checked++;
            }
    assert_true(checked >= 2 * RV_VARIANT_COUNT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_variant_follows_the_policy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
