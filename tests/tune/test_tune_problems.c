/* test_tune_problems.c - problem specs and shape lists of `reluvet tune`. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "tune_problems.h"

static void specs(void **state)
{
    (void)state;
    rv_problem p;
    char why[200];
    assert_int_equal(rv_parse_problem("layer_fwd:f64:20,1,500", &p, why, sizeof why), 0);
    assert_true(p.op == RV_OP_LAYER_FWD && p.dt == RV_F64 && p.shape.n == 20 &&
                p.shape.d == 1 && p.shape.m == 500 && p.flags == 0);
    assert_int_equal(rv_parse_problem("layer_bwd:f32:8,9,10:dx+nobias", &p, why, sizeof why), 0);
    assert_int_equal(p.flags, RV_PLAN_WITH_DX | RV_PLAN_NO_BIAS);
    assert_int_equal(rv_parse_problem("relu_fwd:f32:8,5,10", &p, why, sizeof why), 0);
    assert_int_equal(p.shape.d, 1); /* elementwise: d is not used */

    static const struct { const char *spec, *why; } bad[] = {
        {"", "not OP:DTYPE"},
        {"layer_fwd", "not OP:DTYPE"},
        {"layer_fwd:f64", "not OP:DTYPE"},
        {"layer_fwd:f64:1,2,3:h:x", "not OP:DTYPE"},
        {"conv:f64:1,2,3", "unknown operation"},
        {"layer_fwd:f16:1,2,3", "unknown dtype"},
        {"layer_fwd:f64:1,2", "n,d,m"},
        {"layer_fwd:f64:0,2,3", ""},
        {"layer_fwd:f64:1,2,3x", ""},
        {"layer_fwd:f64:99999999999,2,3", ""},
        {"layer_fwd:f64:1,2,3:dx", "not valid for layer_fwd"},
        {"layer_fwd:f64:1,2,3:wings", "unknown flag"},
        {"layer_fwd:f64:1000000,1000000,1000000", "GiB"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        why[0] = '\0';
        assert_int_equal(rv_parse_problem(bad[i].spec, &p, why, sizeof why), -1);
        assert_true(why[0] != '\0');
        if (!strstr(why, bad[i].why))
            fail_msg("'%s': reason '%s' lacks '%s'", bad[i].spec, why, bad[i].why);
    }
    assert_int_equal(rv_parse_problem(NULL, &p, why, sizeof why), -1);
}

/* Item D: a field too long for its buffer is an error naming the field,
 * never cut short; "nobiasXXX..." was cut to "nobias" in a 16-byte buffer
 * (or dropped) and tuned as something the user did not ask for. */
static void long_fields_are_errors_never_cut(void **state)
{
    (void)state;
    rv_problem p;
    char why[200];
    assert_int_equal(rv_parse_problem("layer_fwd:f64:2,2,2:h+nobias", &p, why, sizeof why), 0);
    assert_int_equal(p.flags, RV_PLAN_WITH_H | RV_PLAN_NO_BIAS);
    assert_int_equal(rv_parse_problem("layer_fwd:f64:2,2,2:nobias", &p, why, sizeof why), 0);
    assert_int_equal(p.flags, RV_PLAN_NO_BIAS);

    static const struct { const char *spec, *why; } bad[] = {
        {"layer_fwd:f64:2,2,2:nobiasXXXXXXXXXXXXXXXXXXXXX", "unknown flag 'nobiasXXXX"},
        {"layer_fwd:f64:2,2,2:nobiasXXXXXXXXX", "unknown flag 'nobiasXXXXXXXXX'"},
        {"layer_fwd:f64:2,2,2:h+nobiasXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
         "unknown flag 'nobiasXXX"},
        {"layer_fwd:f64:2,2,2:nobias+hXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
         "unknown flag 'hXXX"},
        {"layer_fwd:f64:2,2,2:", "empty flag"},
        {"layer_fwd:f64:2,2,2:h+", "empty flag"},
        {"layer_fwd:f64:2,2,2:+h", "empty flag"},
        {"layer_fwd:f64:2,2,2:h++nobias", "empty flag"},
        {"layer_fwd:f64:2,2,2:h+h", "flag 'h' given twice"},
        {"layer_fwd:f64:2,2,2:H", "unknown flag 'H'"},
        {"layer_fwdXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX:f64:2,2,2", "OP 'layer_fwdXXX"},
        {"layer_fwd:f64XXXXXXXXXXXXXXXXXXXX:2,2,2", "DTYPE 'f64XXX"},
        {"layer_fwd:f64:2,2,0000000000000000000000000000000000000000000000000000000000000002",
         "N,D,M '2,2,000"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        why[0] = '\0';
        p = (rv_problem){0};
        if (rv_parse_problem(bad[i].spec, &p, why, sizeof why) != -1)
            fail_msg("'%s' accepted (flags 0x%x)", bad[i].spec, p.flags);
        if (!strstr(why, bad[i].why))
            fail_msg("'%s': reason '%s' lacks '%s'", bad[i].spec, why, bad[i].why);
    }
    /* the message of an over-long field says so */
    assert_int_equal(rv_parse_problem("layer_fwdXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX:f64:2,2,2", &p,
                                      why, sizeof why), -1);
    assert_non_null(strstr(why, "too long (at most 31 bytes)"));

    /* the same in a --shapes file, with its line number */
    rv_problem out[4];
    size_t count = 0;
    const char *list = "layer_fwd:f64:2,2,2\nlayer_fwd:f64:2,2,2:nobiasXXXXXXXXXXXXXXXXXXXXX\n";
    assert_int_equal(rv_parse_problem_list(list, strlen(list), out, 4, &count, why, sizeof why),
                     -1);
    assert_non_null(strstr(why, "line 2: unknown flag 'nobiasXXX"));
}

static void lists(void **state)
{
    (void)state;
    rv_problem out[4];
    size_t count = 0;
    char why[200];
    const char *ok = "# harness shapes\n\n  layer_fwd:f64:20,1,500  # d = 1\r\n"
                     "layer_bwd:f64:20,1,500\n";
    assert_int_equal(rv_parse_problem_list(ok, strlen(ok), out, 4, &count, why, sizeof why), 0);
    assert_int_equal(count, 2);
    assert_int_equal(out[1].op, RV_OP_LAYER_BWD);

    count = 0;
    const char *bad = "layer_fwd:f64:20,1,500\nlayer_fwd:f64:20,1\n";
    assert_int_equal(rv_parse_problem_list(bad, strlen(bad), out, 4, &count, why, sizeof why), -1);
    assert_non_null(strstr(why, "line 2"));

    count = 0;
    const char nul[] = "layer_fwd:f64:2\0,1,5\n";
    assert_int_equal(rv_parse_problem_list(nul, sizeof nul - 1, out, 4, &count, why, sizeof why),
                     -1);
    assert_non_null(strstr(why, "NUL"));

    count = 0;
    const char *many = "relu_fwd:f32:1,1,1\nrelu_fwd:f32:1,1,2\nrelu_fwd:f32:1,1,3\n";
    assert_int_equal(rv_parse_problem_list(many, strlen(many), out, 2, &count, why, sizeof why),
                     -1);
    assert_non_null(strstr(why, "more than 2"));

    char longline[400];
    memset(longline, 'a', sizeof longline);
    count = 0;
    assert_int_equal(rv_parse_problem_list(longline, sizeof longline, out, 4, &count, why,
                                           sizeof why), -1);
    assert_non_null(strstr(why, "longer than"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(specs),
        cmocka_unit_test(lists),
        cmocka_unit_test(long_fields_are_errors_never_cut),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
