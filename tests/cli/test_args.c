/* test_args.c - strict command-line value parsing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "args.h"

static char why[160];

static void longs_accept_only_whole_numbers_in_range(void **state)
{
    (void)state;
    long v = 7;
    assert_int_equal(rv_arg_long("42", 1, 100, &v, why, sizeof why), 0);
    assert_int_equal(v, 42);
    const char *bad[] = {"", "12abc", "abc", "101", "0", "-5", "99999999999999999999999", " 4"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        v = 7;
        assert_int_equal(rv_arg_long(bad[i], 1, 100, &v, why, sizeof why), -1);
        assert_int_equal(v, 7);
        assert_true(strlen(why) > 0);
    }
}

static void doubles_reject_nan_inf_and_garbage(void **state)
{
    (void)state;
    double v = 0;
    assert_int_equal(rv_arg_double("0.25", 0, 0.5, &v, why, sizeof why), 0);
    assert_true(v == 0.25);
    const char *bad[] = {"nan", "inf", "1e999", "0.6", "-0.1", "0.1x", "", " 0.1"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(rv_arg_double(bad[i], 0, 0.5, &v, why, sizeof why), -1);
    assert_true(v == 0.25);
}

static void lists_and_shapes(void **state)
{
    (void)state;
    double p[4];
    int n = 0;
    assert_int_equal(rv_arg_doubles("0,0.1,0.2", 0, 0.5, p, 4, &n, why, sizeof why), 0);
    assert_int_equal(n, 3);
    assert_true(p[2] == 0.2);
    assert_int_equal(rv_arg_doubles("0.1,,0.2", 0, 0.5, p, 4, &n, why, sizeof why), -1);
    assert_int_equal(rv_arg_doubles("0.1,0.1,0.1,0.1,0.1", 0, 0.5, p, 4, &n, why, sizeof why),
                     -1);
    assert_non_null(strstr(why, "too many"));
    rv_shape s;
    assert_int_equal(rv_arg_shape("20,1,1000", 1 << 20, &s, why, sizeof why), 0);
    assert_true(s.n == 20 && s.d == 1 && s.m == 1000);
    assert_int_equal(rv_arg_shape("20,1", 1 << 20, &s, why, sizeof why), -1);
    assert_int_equal(rv_arg_shape("20,0,5", 1 << 20, &s, why, sizeof why), -1);
    assert_int_equal(rv_arg_shape("20,1,2000000", 1 << 20, &s, why, sizeof why), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(longs_accept_only_whole_numbers_in_range),
        cmocka_unit_test(doubles_reject_nan_inf_and_garbage),
        cmocka_unit_test(lists_and_shapes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
