/* test_edge.c - every variant of variants.def passes the harness on edge
 * shapes, each in every layout of each op (a single row, a single column,
 * d = 1, a reduction longer than a packed panel, 1 x 1), both modes, one
 * and two threads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "check/check.h"

typedef struct count {
    int lines, failed, mistrusted;
    size_t runs;
} count;

static void tally(void *ctx, const rvc_line *l)
{
    count *c = ctx;
    c->lines++;
    c->runs += l->runs;
    c->failed += l->verdict == RVC_FAILED;
    c->mistrusted += l->verdict == RVC_MISTRUSTED;
    if (l->verdict == RVC_FAILED)
        print_error("%s %s %s FAILED at %zu,%zu,%zu: %s[%ld,%ld]\n", rv_op_name(l->op),
                    rv_dtype_name(l->dt), l->kernel, l->failure.shape.n, l->failure.shape.d,
                    l->failure.shape.m, l->failure.tally.report[0].what,
                    l->failure.tally.report[0].i, l->failure.tally.report[0].j);
}

static void edge_shapes_pass(void **state)
{
    (void)state;
    static const rv_shape shapes[] = {{1, 1, 1},   {1, 1, 300}, {300, 1, 1}, {1, 300, 1},
                                      {2, 129, 3}, {17, 1, 16}, {1, 17, 9}};
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
        rvc_config cfg = {.has_shape = 1, .shape = shapes[i], .seed = 4 + i, .nthreads = 2,
                          .threads = {1, 2}};
        count c = {0};
        rv_error err = {0};
        assert_int_equal(rvc_check_variants(&cfg, tally, &c, NULL, &err), RV_OK);
        assert_int_equal(c.lines, RV_OP_COUNT * RV_DTYPE_COUNT * RV_VARIANT_COUNT);
        assert_int_equal(c.failed, 0);
        assert_int_equal(c.mistrusted, 0);
        assert_true(c.runs >= (size_t)c.lines * 2 * 4); /* two modes, >= 4 layouts */
    }
}

static void bad_configurations_are_errors(void **state)
{
    (void)state;
    count c = {0};
    rv_error err = {0};
    rvc_config cfg = {.has_shape = 1, .shape = {0, 1, 1}};
    assert_int_equal(rvc_check_variants(&cfg, tally, &c, NULL, &err), RV_ERR_SIZE);
    cfg = (rvc_config){.nthreads = RVC_MAX_THREAD_COUNTS + 1};
    assert_int_equal(rvc_check_variants(&cfg, tally, &c, NULL, &err), RV_ERR_OPTS);
    rvc_case k;
    assert_int_equal(rvc_case_prepare(&k, RV_OP_LAYER_FWD, RV_F32, (rv_shape){1, 0, 1}, 0,
                                      RVC_EXACT, 1, &err), RV_ERR_SIZE);
    assert_int_equal(rvc_case_prepare(&k, RV_OP_COUNT, RV_F32, (rv_shape){1, 1, 1}, 0,
                                      RVC_EXACT, 1, &err), RV_ERR_OP);
    assert_int_equal(c.lines, 0);
    int threads[RVC_MAX_THREAD_COUNTS];
    int n = rvc_default_threads(threads, RVC_MAX_THREAD_COUNTS);
    assert_true(n >= 2 && threads[0] == 1 && threads[1] == 2);
}

/* Exact mode at a size whose sums outgrow the f32 significand is blind:
 * MISTRUSTED, not PASSED. */
static void exact_mode_too_large_is_mistrusted(void **state)
{
    (void)state;
    rvc_case k;
    rv_error err = {0};
    assert_int_equal(rvc_case_prepare(&k, RV_OP_LAYER_FWD, RV_F32, (rv_shape){1, 1 << 12, 1 << 13},
                                      0, RVC_EXACT, 1, &err), RV_OK);
    assert_non_null(k.mistrust);
    rvc_case_free(&k);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(edge_shapes_pass),
        cmocka_unit_test(bad_configurations_are_errors),
        cmocka_unit_test(exact_mode_too_large_is_mistrusted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
