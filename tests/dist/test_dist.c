/* test_dist.c - task dealing, on whichever back end the build uses. Under
 * MPI it runs as `mpirun -np 2 test_dist`: every rank runs the same tests,
 * and rank 0 checks what was collected. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dist.h"

#define N 40

typedef struct toy {
    int seen[N];
    size_t order[N], collected;
    int fail_at; /* task that fails, or -1 */
} toy;

static int square(size_t task, void *ctx, char **out, size_t *len, char *why, size_t cap)
{
    toy *t = ctx;
    if ((int)task == t->fail_at) {
        snprintf(why, cap, "task %zu fails on purpose", task);
        return 1;
    }
    *out = malloc(32);
    *len = (size_t)snprintf(*out, 32, "%zu", task * task);
    return 0;
}

static int collect(size_t task, const char *res, size_t len, void *ctx, char *why, size_t cap)
{
    toy *t = ctx;
    char expect[32];
    snprintf(expect, sizeof expect, "%zu", task * task);
    if (len != strlen(expect) || memcmp(res, expect, len) != 0) {
        snprintf(why, cap, "wrong result for %zu", task);
        return 1;
    }
    t->seen[task]++;
    t->order[t->collected++] = task;
    return 0;
}

static void every_task_once_and_done_ones_skipped(void **state)
{
    (void)state;
    toy t = {.fail_at = -1};
    unsigned char done[N] = {0};
    done[3] = done[17] = 1;
    rv_dist_job job = {.ntasks = N, .done = done, .work = square, .collect = collect, .ctx = &t};
    rv_dist_stats st;
    rv_error err = {0};
    assert_int_equal(rv_dist_run(&job, 2, &st, &err), RV_OK);
    if (rv_dist_rank() != 0)
        return;
    for (int i = 0; i < N; i++)
        assert_int_equal(t.seen[i], done[i] ? 0 : 1);
    size_t total = 0;
    for (int w = 0; w < st.workers; w++)
        total += st.tasks[w];
    assert_int_equal(total, N - 2);
    assert_true(st.wall_s >= st.tail_s);
}

static void largest_cost_first_without_mpi(void **state)
{
    (void)state;
    toy t = {.fail_at = -1};
    double cost[N];
    for (int i = 0; i < N; i++)
        cost[i] = (double)(i % 7);
    rv_dist_job job = {.ntasks = N, .cost = cost, .work = square, .collect = collect, .ctx = &t};
    assert_int_equal(rv_dist_run(&job, 1, NULL, NULL), RV_OK);
    if (rv_dist_size() > 1)
        return; /* completion order is the dealing order only with one worker */
    for (size_t i = 1; i < t.collected; i++) {
        double a = cost[t.order[i - 1]], b = cost[t.order[i]];
        assert_true(a > b || (a == b && t.order[i - 1] < t.order[i]));
    }
}

static void a_failing_task_stops_the_job_with_its_reason(void **state)
{
    (void)state;
    toy t = {.fail_at = 5};
    rv_dist_job job = {.ntasks = N, .work = square, .collect = collect, .ctx = &t};
    rv_error err = {0};
    rv_status s = rv_dist_run(&job, 2, NULL, &err);
    if (rv_dist_rank() != 0)
        return;
    assert_int_not_equal(s, RV_OK);
    assert_non_null(strstr(err.msg, "fails on purpose"));
    assert_int_equal(t.seen[5], 0);
}

int main(int argc, char **argv)
{
    rv_dist_init(&argc, &argv);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_task_once_and_done_ones_skipped),
        cmocka_unit_test(largest_cost_first_without_mpi),
        cmocka_unit_test(a_failing_task_stops_the_job_with_its_reason),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    rv_dist_finalize();
    return rc;
}
