/* test_compare.c - two results.json texts cell by cell: matching by
 * (d, n, p, bias) whatever the forms, p-values of 1 for one law and tiny
 * ones for two, the counts of unmatched cells, and strict reading. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "compare.h"

/* A results.json text with one cell (d, p, form) of k runs whose clean
 * errors are base + step * i, all interpolated, and a second cell at d = 1
 * when two != 0. */
static char *results(size_t d, double p, const char *form, int k, double base, double step,
                     int two)
{
    size_t cap = 4096 + (size_t)k * 200;
    char *s = malloc(cap);
    assert_non_null(s);
    int at = snprintf(s, cap, "{\"cells\": [{\"key\": {\"d\": %zu, \"n\": 20, \"p\": %g, "
                              "\"bias\": true, \"form\": \"%s\"}, \"runs\": [", d, p, form);
    for (int i = 0; i < k; i++)
        at += snprintf(s + at, cap - (size_t)at,
                       "%s{\"interpolated\": %s, \"clean_error\": %g, \"norm_margin\": %s, "
                       "\"flips\": %d}",
                       i ? ", " : "", i == k - 1 ? "false" : "true", base + step * i,
                       i % 2 ? "null" : "0.5", i % 5);
    at += snprintf(s + at, cap - (size_t)at, "]}");
    if (two)
        at += snprintf(s + at, cap - (size_t)at,
                       ", {\"key\": {\"d\": 1, \"n\": 20, \"p\": %g, \"bias\": true, "
                       "\"form\": \"direct\"}, \"runs\": []}", p);
    snprintf(s + at, cap - (size_t)at, "]}");
    return s;
}

static void one_law_and_two(void **state)
{
    (void)state;
    char *a = results(2000, 0.1, "reduced", 40, 0.0, 0.001, 1);
    char *b = results(2000, 0.1, "direct", 40, 0.0, 0.001, 0);
    rvo_cmp c;
    assert_int_equal(rvo_compare("a", a, strlen(a), "b", b, strlen(b), &c, NULL), RV_OK);
    assert_int_equal(c.ncells, 1);
    assert_int_equal(c.only_a, 1);
    assert_int_equal(c.only_b, 0);
    const rvo_cmp_cell *x = &c.cells[0];
    assert_string_equal(x->form_a, "reduced");
    assert_string_equal(x->form_b, "direct");
    assert_int_equal(x->runs_a, 40);
    /* the last run did not interpolate: 39 clean errors, 20 margins, 40 flips */
    assert_int_equal(x->m[RVO_CMP_CLEAN_ERROR].na, 39);
    assert_int_equal(x->m[RVO_CMP_NORM_MARGIN].na, 20);
    assert_int_equal(x->m[RVO_CMP_FLIPS].nb, 40);
    assert_true(fabs(x->m[RVO_CMP_CLEAN_ERROR].mean_a - 0.019) < 1e-12);
    assert_true(rvo_cmp_min_p(&c) > 0.99);
    rvo_cmp_free(&c);
    free(b);
    /* shifted errors: both tests see it */
    b = results(2000, 0.1, "direct", 40, 0.05, 0.001, 0);
    assert_int_equal(rvo_compare("a", a, strlen(a), "b", b, strlen(b), &c, NULL), RV_OK);
    assert_true(c.cells[0].m[RVO_CMP_CLEAN_ERROR].p_ks < 1e-6);
    assert_true(c.cells[0].m[RVO_CMP_CLEAN_ERROR].p_mw < 1e-6);
    assert_true(c.cells[0].m[RVO_CMP_FLIPS].p_mw > 0.99);
    assert_true(rvo_cmp_min_p(&c) < 1e-6);
    rvo_cmp_free(&c);
    free(b);
    /* another p is another cell */
    b = results(2000, 0.15, "direct", 40, 0.0, 0.001, 0);
    assert_int_equal(rvo_compare("a", a, strlen(a), "b", b, strlen(b), &c, NULL), RV_OK);
    assert_int_equal(c.ncells, 0);
    assert_int_equal(c.only_a, 2);
    assert_int_equal(c.only_b, 1);
    assert_true(rvo_cmp_min_p(&c) == 1);
    rvo_cmp_free(&c);
    free(b);
    free(a);
}

static void strict_reading(void **state)
{
    (void)state;
    static const struct {
        const char *text, *says;
    } bad[] = {
        {"not json", "is not JSON"},
        {"{\"verdicts\": []}", "no 'cells' array"},
        {"{\"cells\": [{\"runs\": []}]}", "'key'"},
        {"{\"cells\": [{\"key\": {\"d\": 0, \"n\": 2, \"p\": 0.1, \"bias\": true, \"form\": "
         "\"direct\"}, \"runs\": []}]}", "key.d"},
        {"{\"cells\": [{\"key\": {\"d\": 1.5, \"n\": 2, \"p\": 0.1, \"bias\": true, \"form\": "
         "\"direct\"}, \"runs\": []}]}", "key.d"},
        {"{\"cells\": [{\"key\": {\"d\": 1, \"n\": 2, \"p\": 0.1, \"bias\": 1, \"form\": "
         "\"direct\"}, \"runs\": []}]}", "key.bias"},
        {"{\"cells\": [{\"key\": {\"d\": 1, \"n\": 2, \"p\": 0.1, \"bias\": true, \"form\": "
         "\"a very long form name\"}, \"runs\": []}]}", "key.form"},
        {"{\"cells\": [{\"key\": {\"d\": 1, \"n\": 2, \"p\": 0.1, \"bias\": true, \"form\": "
         "\"di\\nrect\"}, \"runs\": []}]}", "key.form"},
        {"{\"cells\": [{\"key\": {\"d\": 1, \"n\": 2, \"p\": 0.1, \"bias\": true, \"form\": "
         "\"direct\"}, \"runs\": [{\"interpolated\": true, \"clean_error\": 0.1, "
         "\"norm_margin\": 1, \"flips\": 3}]}]}", "flips (0..n)"},
        {"{\"cells\": [{\"key\": {\"d\": 1, \"n\": 2, \"p\": 0.1, \"bias\": true, \"form\": "
         "\"direct\"}, \"runs\": [{\"interpolated\": true, \"clean_error\": 1.5, "
         "\"norm_margin\": 1, \"flips\": 1}]}]}", "clean_error"},
        {"{\"cells\": [{\"key\": {\"d\": 1, \"n\": 2, \"p\": 0.1, \"bias\": true, \"form\": "
         "\"direct\"}, \"runs\": [{\"interpolated\": true, \"clean_error\": 0.5, "
         "\"norm_margin\": \"x\", \"flips\": 1}]}]}", "norm_margin"},
    };
    char *good = results(10, 0.1, "direct", 3, 0, 0.1, 0);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        rvo_cmp c = {0};
        rv_error err = {0};
        assert_int_equal(rvo_compare("bad.json", bad[i].text, strlen(bad[i].text), "good",
                                     good, strlen(good), &c, &err),
                         RV_ERR_FORMAT);
        if (!strstr(err.msg, bad[i].says) || !strstr(err.msg, "bad.json"))
            fail_msg("case %zu: '%s' does not say '%s'", i, err.msg, bad[i].says);
        assert_null(c.cells);
        /* the same on the B side */
        assert_int_equal(rvo_compare("good", good, strlen(good), "bad.json", bad[i].text,
                                     strlen(bad[i].text), &c, &err),
                         RV_ERR_FORMAT);
        assert_null(c.cells);
    }
    free(good);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(one_law_and_two),
        cmocka_unit_test(strict_reading),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
