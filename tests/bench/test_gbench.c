/* test_gbench.c - the C wrapper over Google Benchmark on its own: each test
 * registers toy benchmarks, runs them, and reads the JSON they produced. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <cmocka.h>

#include "gbench.h"
#include "reluvet/fileio.h"

static char json_path[] = "/tmp/test_gbench_XXXXXX";

static void sleep_s(double s)
{
    struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
    while (nanosleep(&ts, &ts) != 0)
        ;
}

/* Runs what is registered, then forgets it; returns the parsed JSON. */
static cJSON *run_and_load(size_t expect_matched)
{
    assert_int_equal(rvb_run(NULL), expect_matched);
    rvb_clear();
    char *text;
    size_t len;
    assert_int_equal(rv_read_file(json_path, 1 << 20, &text, &len, NULL), RV_OK);
    cJSON *root = cJSON_Parse(text);
    free(text);
    assert_non_null(root);
    return root;
}

/* The result whose name is name (exactly). */
static const cJSON *find(const cJSON *root, const char *name)
{
    const cJSON *b;
    cJSON_ArrayForEach(b, cJSON_GetObjectItemCaseSensitive(root, "benchmarks"))
    {
        const cJSON *n = cJSON_GetObjectItemCaseSensitive(b, "name");
        if (cJSON_IsString(n) && strcmp(n->valuestring, name) == 0)
            return b;
    }
    fail_msg("no result named %s", name);
    return NULL;
}

static double num(const cJSON *b, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(b, key);
    if (!cJSON_IsNumber(v))
        fail_msg("no number %s", key);
    return v->valuedouble;
}

static const char *str(const cJSON *b, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(b, key);
    if (!cJSON_IsString(v))
        fail_msg("no string %s", key);
    return v->valuestring;
}

/* ---- benchmark bodies (no assertions inside: they run under C++ frames) ---- */

static void bm_counters(rvb_state *st, void *user)
{
    int *calls = user;
    volatile double x = 0;
    ++*calls;
    while (rvb_keep_running(st))
        x = x + 1; /* work the optimiser cannot drop */
    (void)x;
    rvb_counter(st, "plain", 42, 0);
    rvb_counter(st, "per_iter_avg", 6.0 * (double)rvb_iterations(st), RVB_AVG_ITER);
    rvb_counter(st, "inverted", 4, RVB_INVERT);
    rvb_set_items_processed(st, rvb_iterations(st) * 3);
    rvb_set_bytes_processed(st, rvb_iterations(st) * 8);
    rvb_set_label(st, "hello label");
}

static void bm_sleep(rvb_state *st, void *user)
{
    double s = *(const double *)user;
    while (rvb_keep_running(st))
        sleep_s(s);
    rvb_counter(st, "per_s", 1, RVB_RATE_PER_ITER);
}

static void bm_manual(rvb_state *st, void *user)
{
    (void)user;
    while (rvb_keep_running(st))
        rvb_set_iteration_time(st, 250e-6);
}

static void bm_pause(rvb_state *st, void *user)
{
    (void)user;
    while (rvb_keep_running(st)) {
        rvb_pause(st);
        sleep_s(2e-3);
        rvb_resume(st);
    }
}

static void bm_batch(rvb_state *st, void *user)
{
    int64_t *last = user;
    while (rvb_keep_running_batch(st, 7))
        rvb_clobber_memory();
    *last = rvb_iterations(st);
}

static void bm_error(rvb_state *st, void *user)
{
    int *entered = user;
    rvb_skip_with_error(st, "no such buffer");
    if (!rvb_error_occurred(st))
        return;
    while (rvb_keep_running(st))
        ++*entered;
}

/* ---- tests (result names are as Google Benchmark writes them: it appends
 * min_time, repeats and real_time / manual_time to the registered name) ---- */

static void counters_label_and_processed(void **state)
{
    (void)state;
    int calls = 0;
    assert_int_equal(rvb_register("toy/counters", bm_counters, &calls, NULL), 0);
    cJSON *root = run_and_load(1);
    const cJSON *b = find(root, "toy/counters");
    assert_true(calls >= 1);
    assert_true(num(b, "plain") == 42);
    assert_true(num(b, "per_iter_avg") == 6);
    assert_true(num(b, "inverted") == 0.25);
    assert_true(num(b, "items_per_second") > 0);
    assert_true(num(b, "bytes_per_second") > num(b, "items_per_second"));
    assert_string_equal(str(b, "label"), "hello label");
    assert_string_equal(str(b, "time_unit"), "ns");
    assert_string_equal(str(cJSON_GetObjectItemCaseSensitive(root, "context"), "test"), "gbench");
    cJSON_Delete(root);
}

/* Threaded code is timed in real time, and rates divide by that time: a
 * sleeping body costs no CPU, so CPU time would make the rate explode. */
static void threaded_uses_real_time(void **state)
{
    (void)state;
    static const double nap = 2e-3;
    rvb_opts o = {.threads = 2, .unit = RVB_MS, .min_time = 0.02};
    assert_int_equal(rvb_register("toy/sleep", bm_sleep, (void *)&nap, &o), 0);
    cJSON *root = run_and_load(1);
    const cJSON *b = find(root, "toy/sleep/min_time:0.020/real_time");
    assert_string_equal(str(b, "time_unit"), "ms");
    assert_true(num(b, "real_time") >= 1.9);
    assert_true(num(b, "cpu_time") < 0.5 * num(b, "real_time"));
    double rate = num(b, "per_s");
    assert_true(rate <= 1 / 1.9e-3 && rate > 10);
    cJSON_Delete(root);
}

static void manual_time_is_reported(void **state)
{
    (void)state;
    rvb_opts o = {.manual_time = 1, .unit = RVB_US};
    assert_int_equal(rvb_register("toy/manual", bm_manual, NULL, &o), 0);
    cJSON *root = run_and_load(1);
    const cJSON *b = find(root, "toy/manual/manual_time");
    assert_true(num(b, "real_time") > 249.9 && num(b, "real_time") < 250.1);
    cJSON_Delete(root);
}

static void paused_time_is_not_counted(void **state)
{
    (void)state;
    rvb_opts o = {.real_time = 1, .unit = RVB_MS, .iterations = 5};
    assert_int_equal(rvb_register("toy/pause", bm_pause, NULL, &o), 0);
    cJSON *root = run_and_load(1);
    const cJSON *b = find(root, "toy/pause/iterations:5/real_time");
    assert_true(num(b, "iterations") == 5);
    assert_true(num(b, "real_time") < 1.0);
    cJSON_Delete(root);
}

static void batches_and_repetitions(void **state)
{
    (void)state;
    int64_t last = 0;
    rvb_opts o = {.repetitions = 2};
    assert_int_equal(rvb_register("toy/batch", bm_batch, &last, &o), 0);
    cJSON *root = run_and_load(1);
    assert_true(last > 0 && last % 7 == 0);
    const cJSON *b = find(root, "toy/batch/repeats:2_median");
    assert_string_equal(str(b, "run_type"), "aggregate");
    assert_true((int64_t)num(find(root, "toy/batch/repeats:2"), "iterations") % 7 == 0);
    cJSON_Delete(root);
}

static void skip_with_error_is_reported(void **state)
{
    (void)state;
    int entered = 0;
    assert_int_equal(rvb_register("toy/error", bm_error, &entered, NULL), 0);
    cJSON *root = run_and_load(1);
    const cJSON *b = find(root, "toy/error");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(b, "error_occurred")));
    assert_string_equal(str(b, "error_message"), "no such buffer");
    assert_int_equal(entered, 0);
    cJSON_Delete(root);
}

static void registration_is_checked(void **state)
{
    (void)state;
    int calls = 0;
    assert_int_equal(rvb_register(NULL, bm_counters, &calls, NULL), -1);
    assert_int_equal(rvb_register("toy/x", NULL, &calls, NULL), -1);
    assert_int_equal(rvb_register("toy/x", bm_counters, &calls, &(rvb_opts){.threads = -1}), -1);
    assert_int_equal(rvb_register("toy/x", bm_counters, &calls, &(rvb_opts){.min_time = -1}), -1);
    assert_int_equal(rvb_register("toy/x", bm_counters, &calls, &(rvb_opts){.unit = 9}), -1);
    assert_int_equal(rvb_register("toy/x", bm_counters, &calls,
                                  &(rvb_opts){.iterations = 3, .min_time = 1}), -1);
    assert_int_equal(rvb_register("toy/x", bm_counters, &calls, NULL), 0);
    assert_int_equal(rvb_run("^nothing-matches$"), 0);
    assert_int_equal(calls, 0);
    rvb_clear();
}

int main(int argc, char **argv)
{
    (void)argc;
    int fd = mkstemp(json_path);
    if (fd < 0)
        return 1;
    close(fd);
    char out[64], *gargv[] = {argv[0], out, "--benchmark_min_time=0.001",
                              "--benchmark_out_format=json", NULL};
    snprintf(out, sizeof out, "--benchmark_out=%s", json_path);
    int gargc = 4;
    if (rvb_initialize(&gargc, gargv) != 0)
        return 1;
    rvb_add_context("test", "gbench");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(counters_label_and_processed),
        cmocka_unit_test(threaded_uses_real_time),
        cmocka_unit_test(manual_time_is_reported),
        cmocka_unit_test(paused_time_is_not_counted),
        cmocka_unit_test(batches_and_repetitions),
        cmocka_unit_test(skip_with_error_is_reported),
        cmocka_unit_test(registration_is_checked),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    rvb_shutdown();
    unlink(json_path);
    return failed;
}
