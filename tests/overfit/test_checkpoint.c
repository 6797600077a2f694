/* test_checkpoint.c - cells saved and loaded, settings keys, malformed files,
 * and a sweep killed with SIGTERM midway that resumes without recomputing
 * its finished cells and ends with the results of an uninterrupted run. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <dirent.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "checkpoint.h"
#include "reluvet/fileio.h"

/* A sweep small enough for a unit test: 15 cells x 2 seeds. */
static rvo_sweep_cfg tiny(void)
{
    rvo_sweep_cfg c = {.n = 8, .n_small = 4, .nd = 3, .d = {1, 2, 3}, .np = 3, .p = {0.1, 0.2, 0.3},
                       .seeds = 2, .width = 16, .test_n = 10000, .master_seed = 5,
                       .init_w = 1, .init_v = 0.1,
                       .train = {.trainer = RVO_TRAIN_GD, .lr_hinge = 0.1, .lr_logistic = 0.1,
                                 .hinge_steps = 3000, .logistic_steps = 500,
                                 .check_every = 100, .margin_rtol = 1e-3,
                                 .hinge_target = 1}};
    return c;
}

static char *temp_dir(void)
{
    char *d = strdup("/tmp/rvo_ckpt_XXXXXX");
    assert_non_null(mkdtemp(d));
    return d;
}

static size_t count_cells(const char *dir)
{
    DIR *d = opendir(dir);
    size_t k = 0;
    if (!d)
        return 0;
    for (struct dirent *e; (e = readdir(d));)
        k += strncmp(e->d_name, "cell-", 5) == 0 && strstr(e->d_name, ".json") &&
             !strstr(e->d_name, ".tmp");
    closedir(d);
    return k;
}

static void remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    char path[4200];
    for (struct dirent *e; (e = readdir(d));)
        if (e->d_name[0] != '.') {
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            unlink(path);
        }
    closedir(d);
    rmdir(dir);
}

/* Every result field but the timings must agree. */
static void assert_same_runs(const rvo_sweep *a, const rvo_sweep *b)
{
    assert_int_equal(a->ncells, b->ncells);
    for (size_t c = 0; c < a->ncells; c++)
        for (size_t s = 0; s < a->cfg.seeds; s++) {
            const rvo_run_result *x = &a->cells[c].runs[s], *y = &b->cells[c].runs[s];
            assert_int_equal(x->seed, y->seed);
            assert_true(x->data_stream == y->data_stream && x->test_stream == y->test_stream);
            assert_int_equal(x->flips, y->flips);
            assert_int_equal(x->train.interpolated, y->train.interpolated);
            assert_int_equal(x->train.hinge_steps, y->train.hinge_steps);
            assert_int_equal(x->train.logistic_steps, y->train.logistic_steps);
            assert_true(x->clean_error == y->clean_error);
            if (x->train.norm_margin != y->train.norm_margin)
                fail_msg("%.17g vs %.17g", x->train.norm_margin, y->train.norm_margin);
            assert_true(x->train.logistic_loss == y->train.logistic_loss);
            assert_true(x->nn_error == y->nn_error || (isnan(x->nn_error) && isnan(y->nn_error)));
            assert_string_equal(x->plan, y->plan);
        }
}

static rvo_sweep *run_tiny(const char *dir, rvo_progress_fn cb, void *ctx)
{
    rvo_sweep_cfg cfg = tiny();
    rvo_sweep *sw;
    rv_error err;
    assert_int_equal(rvo_sweep_create(&sw, &cfg, &err), RV_OK);
    rv_status s = rvo_sweep_run(sw, 2, (rvo_kernel_cfg){1, NULL}, dir, cb, ctx, &err);
    if (s != RV_OK)
        fail_msg("%s", err.msg);
    return sw;
}

static void last_progress(const rvo_progress *p, void *ctx)
{
    *(rvo_progress *)ctx = *p;
}

static void save_load_and_keys(void **state)
{
    (void)state;
    char *dir = temp_dir();
    rvo_sweep *a = run_tiny(dir, NULL, NULL);
    assert_int_equal(count_cells(dir), a->ncells);
    rvo_progress p = {0};
    rvo_sweep *b = run_tiny(dir, last_progress, &p); /* everything loads */
    assert_int_equal(p.cells_loaded, a->ncells);
    for (size_t c = 0; c < b->ncells; c++)
        assert_true(b->cells[c].from_checkpoint);
    assert_same_runs(a, b);

    /* other settings: the checkpoint is refused, not reused */
    rvo_sweep_cfg other = tiny();
    other.width = 17;
    rvo_sweep *o;
    rv_error err;
    assert_int_equal(rvo_sweep_create(&o, &other, &err), RV_OK);
    assert_int_equal(rvo_sweep_run(o, 1, (rvo_kernel_cfg){1, NULL}, dir, NULL, NULL, &err), RV_ERR_FORMAT);
    assert_non_null(strstr(err.msg, "other settings"));
    rvo_sweep_free(o);

    /* a malformed cell file */
    char path[4200];
    snprintf(path, sizeof path, "%s/cell-d1-n4-p0.1000-bias.json", dir);
    assert_int_equal(rv_write_file_atomic(path, "{\"key\": 3", 9, NULL), RV_OK);
    int loaded;
    rvo_cell *c0 = &a->cells[0]; /* the first cell is (d=1, n_small=4, p=0.1, biased) */
    assert_true(c0->d == 1 && c0->n == 4 && c0->p == 0.1 && c0->bias);
    assert_int_equal(rvo_checkpoint_load(dir, &a->cfg, c0, &loaded, &err), RV_ERR_FORMAT);
    rvo_sweep_free(a);
    rvo_sweep_free(b);
    remove_dir(dir);
    free(dir);
}

/* The child's progress: slow enough that the parent can kill it midway. */
static void slow_progress(const rvo_progress *p, void *ctx)
{
    (void)p;
    (void)ctx;
    struct timespec t = {0, 30 * 1000 * 1000};
    nanosleep(&t, NULL);
}

static void killed_sweep_resumes(void **state)
{
    (void)state;
    char *dir = temp_dir(), *ref = temp_dir();
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        rvo_sweep_free(run_tiny(dir, slow_progress, NULL));
        _exit(0);
    }
    /* wait for two finished cells, then SIGTERM */
    for (int i = 0; i < 20000 && count_cells(dir) < 2; i++) {
        struct timespec t = {0, 1000 * 1000};
        nanosleep(&t, NULL);
    }
    kill(child, SIGTERM);
    int status;
    waitpid(child, &status, 0);
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
    size_t finished = count_cells(dir);
    assert_true(finished >= 2);

    rvo_progress p = {0};
    rvo_sweep *resumed = run_tiny(dir, last_progress, &p);
    assert_int_equal(p.cells_loaded, finished);          /* not recomputed */
    assert_true(finished < resumed->ncells);             /* it was stopped midway */
    assert_int_equal(count_cells(dir), resumed->ncells);
    rvo_sweep *whole = run_tiny(ref, NULL, NULL);        /* uninterrupted */
    assert_same_runs(resumed, whole);
    rvo_sweep_free(resumed);
    rvo_sweep_free(whole);
    remove_dir(dir);
    remove_dir(ref);
    free(dir);
    free(ref);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(save_load_and_keys),
        cmocka_unit_test(killed_sweep_resumes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
