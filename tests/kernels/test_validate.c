/* test_validate.c - argument validation and the plan API's contracts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "reluvet/reluvet.h"

static double X[4 * 3], W[5 * 3], b[5], v[5], Z[4 * 5], o[4];

static rv_layer_fwd_args good_fwd(void)
{
    return (rv_layer_fwd_args){.n = 4, .d = 3, .m = 5, .X = X, .ldx = 3, .W = W, .ldw = 3,
                               .b = b, .v = v, .Z = Z, .ldz = 5, .o = o};
}

static void layer_fwd_errors(void **state)
{
    (void)state;
    rv_error err = {0};
    rv_layer_fwd_args a = good_fwd();
    assert_int_equal(rv_args_validate(RV_OP_LAYER_FWD, RV_F64, &a, &err), RV_OK);

    a = good_fwd(); a.X = NULL;
    assert_int_equal(rv_args_validate(RV_OP_LAYER_FWD, RV_F64, &a, &err), RV_ERR_NULL);
    assert_non_null(strstr(err.msg, "X"));

    a = good_fwd(); a.n = 0;
    assert_int_equal(rv_args_validate(RV_OP_LAYER_FWD, RV_F64, &a, &err), RV_ERR_SIZE);

    a = good_fwd(); a.ldz = 4;
    assert_int_equal(rv_args_validate(RV_OP_LAYER_FWD, RV_F64, &a, &err), RV_ERR_LD);
    assert_non_null(strstr(err.msg, "Z"));

    a = good_fwd(); a.n = SIZE_MAX / 2; a.ldx = 8;
    assert_int_equal(rv_args_validate(RV_OP_LAYER_FWD, RV_F64, &a, &err), RV_ERR_OVERFLOW);

    a = good_fwd(); a.o = Z + 2; /* output inside another output */
    assert_int_equal(rv_args_validate(RV_OP_LAYER_FWD, RV_F64, &a, &err), RV_ERR_ALIAS);

    a = good_fwd(); a.Z = (void *)X; /* output over an input */
    assert_int_equal(rv_args_validate(RV_OP_LAYER_FWD, RV_F64, &a, &err), RV_ERR_ALIAS);

    a = good_fwd(); a.b = NULL; /* bias-free is allowed */
    assert_int_equal(rv_args_validate(RV_OP_LAYER_FWD, RV_F64, &a, &err), RV_OK);

    assert_int_equal(rv_args_validate(RV_OP_LAYER_FWD, (rv_dtype)7, &a, &err), RV_ERR_DTYPE);
    assert_int_equal(rv_args_validate((rv_op)99, RV_F64, &a, &err), RV_ERR_OP);
}

static void relu_in_place_rules(void **state)
{
    (void)state;
    float x[12];
    rv_relu_fwd_args a = {.rows = 3, .cols = 4, .x = x, .ldx = 4, .y = x, .ldy = 4};
    assert_int_equal(rv_args_validate(RV_OP_RELU_FWD, RV_F32, &a, NULL), RV_OK);
    a.cols = 3; a.ldy = 3; /* same start, different stride: a torn in-place */
    assert_int_equal(rv_args_validate(RV_OP_RELU_FWD, RV_F32, &a, NULL), RV_ERR_ALIAS);
    float dy[12];
    rv_relu_bwd_args g = {.rows = 3, .cols = 4, .x = x, .ldx = 4, .dy = dy, .lddy = 4,
                          .dx = dy, .lddx = 4};
    assert_int_equal(rv_args_validate(RV_OP_RELU_BWD, RV_F32, &g, NULL), RV_OK);
    g.dx = x; /* dx over x is not allowed */
    assert_int_equal(rv_args_validate(RV_OP_RELU_BWD, RV_F32, &g, NULL), RV_ERR_ALIAS);
}

static void run_ex_rejects_bad_options_and_writes_nothing(void **state)
{
    (void)state;
    rv_layer_fwd_args a = good_fwd();
    for (size_t i = 0; i < 4; i++)
        o[i] = 42;
    rv_opts bad = {.threads = -1};
    rv_error err = {0};
    assert_int_equal(rv_run_ex(RV_OP_LAYER_FWD, RV_VAR_NAIVE, RV_F64, &bad, &a, &err),
                     RV_ERR_OPTS);
    assert_true(o[0] == 42);
    assert_int_equal(rv_run_ex(RV_OP_LAYER_FWD, (rv_variant)99, RV_F64, NULL, &a, &err),
                     RV_ERR_VARIANT);
}

static void plan_checks_shape_and_flags(void **state)
{
    (void)state;
    rv_plan *p = NULL;
    rv_error err = {0};
    assert_int_equal(rv_plan_create(&p, RV_OP_LAYER_FWD, RV_F64, (rv_shape){4, 3, 5}, 0,
                                    NULL, &err), RV_OK);
    rv_layer_fwd_args a = good_fwd();
    assert_int_equal(rv_plan_execute(p, &a, &err), RV_OK);
    a.n = 3;
    assert_int_equal(rv_plan_execute(p, &a, &err), RV_ERR_SIZE);
    a = good_fwd(); a.b = NULL; /* plan was made with a bias */
    assert_int_equal(rv_plan_execute(p, &a, &err), RV_ERR_SIZE);
    char line[200];
    assert_non_null(strstr(rv_plan_describe(p, line, sizeof line), "layer_fwd f64"));
    rv_plan_destroy(p);
    assert_int_equal(rv_plan_create(&p, RV_OP_LAYER_FWD, RV_F64, (rv_shape){0, 3, 5}, 0,
                                    NULL, &err), RV_ERR_SIZE);
    assert_null(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(layer_fwd_errors),
        cmocka_unit_test(relu_in_place_rules),
        cmocka_unit_test(run_ex_rejects_bad_options_and_writes_nothing),
        cmocka_unit_test(plan_checks_shape_and_flags),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
