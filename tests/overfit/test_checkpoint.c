/* test_checkpoint.c - cells saved and loaded, settings keys, malformed files,
 * and a sweep killed with SIGTERM midway that resumes without recomputing
 * its finished cells and ends with the results of an uninterrupted run.
 * Also: checkpoint names unique for every accepted grid (rates 3e-5 or one
 * ulp apart), strict loading (every field range-checked, trailing data and
 * repeated fields refused, the seed corpus of fuzz_checkpoint), paths too
 * long refused instead of cut, and a checkpoint folder where no file can
 * be made refused before any run. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <dirent.h>
#include <errno.h>
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
#include "checkpoint_corpus.h"
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

    /* a malformed cell file (p = 0.1 keeps the name of earlier versions) */
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

/* B: rates that "%.4f" merged (0.10001, 0.10004) or closer than any
 * tolerance (one ulp, 1e-13) get cells and files of their own. */
static void names_are_unique_for_close_rates(void **state)
{
    (void)state;
    const double grids[][3] = {{0.10001, 0.10004, 0.3},
                               {0.1, 0x1.999999999999bp-4 /* next after 0.1 */, 0.3},
                               {0.2, 0.2 + 1e-13, 0.3}};
    for (size_t g = 0; g < 3; g++) {
        rvo_sweep_cfg cfg = tiny();
        memcpy(cfg.p, grids[g], sizeof grids[g]);
        rvo_sweep *sw;
        rv_error err;
        assert_int_equal(rvo_sweep_create(&sw, &cfg, &err), RV_OK);
        char a[4200], b[4200];
        for (size_t i = 0; i < sw->ncells; i++)
            for (size_t j = i + 1; j < sw->ncells; j++) {
                assert_int_equal(rvo_checkpoint_path(a, sizeof a, "x", &sw->cells[i]), 0);
                assert_int_equal(rvo_checkpoint_path(b, sizeof b, "x", &sw->cells[j]), 0);
                if (strcmp(a, b) == 0)
                    fail_msg("grid %zu: cells %zu and %zu share %s", g, i, j, a);
            }
        for (size_t i = 0; i < cfg.np; i++) /* each rate finds its own cell */
            assert_true(rvo_sweep_find(sw, 1, cfg.n, cfg.p[i], 1)->p == cfg.p[i]);
        rvo_sweep_free(sw);
    }
    /* earlier versions' names stay where "%.4f" is exact */
    rvo_cell c = {.d = 1, .n = 4, .p = 0.1, .bias = 1};
    char path[64];
    assert_int_equal(rvo_checkpoint_path(path, sizeof path, "x", &c), 0);
    assert_string_equal(path, "x/cell-d1-n4-p0.1000-bias.json");
    c.p = 0.10001;
    assert_int_equal(rvo_checkpoint_path(path, sizeof path, "x", &c), 0);
    assert_string_equal(path, "x/cell-d1-n4-p0.10001-bias.json");
    assert_int_equal(rvo_checkpoint_path(path, 20, "x", &c), -1); /* never cut */

    /* and the sweep over 0.10001, 0.10004 saves every cell and resumes */
    char *dir = temp_dir();
    rvo_sweep_cfg cfg = tiny();
    memcpy(cfg.p, grids[0], sizeof grids[0]);
    rvo_sweep *sw, *again;
    rv_error err;
    assert_int_equal(rvo_sweep_create(&sw, &cfg, &err), RV_OK);
    assert_int_equal(rvo_sweep_run(sw, 2, (rvo_kernel_cfg){1, NULL}, dir, NULL, NULL, &err),
                     RV_OK);
    assert_int_equal(count_cells(dir), sw->ncells);
    assert_int_equal(rvo_sweep_create(&again, &cfg, &err), RV_OK);
    rvo_progress p = {0};
    rv_status s = rvo_sweep_run(again, 2, (rvo_kernel_cfg){1, NULL}, dir, last_progress, &p,
                                &err);
    if (s != RV_OK)
        fail_msg("%s", err.msg);
    assert_int_equal(p.cells_loaded, sw->ncells);
    assert_same_runs(sw, again);
    rvo_sweep_free(sw);
    rvo_sweep_free(again);
    remove_dir(dir);
    free(dir);
}

/* C: a folder path that leaves no room for a cell's name is refused, never
 * cut (a cut path is another folder). */
static void long_paths_are_refused(void **state)
{
    (void)state;
    rvo_sweep_cfg cfg = tiny();
    rvo_sweep *sw;
    rv_error err;
    assert_int_equal(rvo_sweep_create(&sw, &cfg, &err), RV_OK);
    char dir[4090];
    memset(dir, 'a', sizeof dir - 1);
    dir[0] = '/';
    dir[sizeof dir - 1] = '\0';
    assert_int_equal(rvo_checkpoint_save(dir, &cfg, &sw->cells[0], &err), RV_ERR_IO);
    if (!strstr(err.msg, "checkpoint path too long under /aaa"))
        fail_msg("%s", err.msg);
    int loaded = 1;
    assert_int_equal(rvo_checkpoint_load(dir, &cfg, &sw->cells[0], &loaded, &err), RV_ERR_IO);
    assert_int_equal(loaded, 0);
    rvo_sweep_free(sw);
}

/* The runs of the first cell of a finished tiny sweep, as file text. */
static char *cell_text(rvo_sweep **sw)
{
    rvo_sweep_cfg cfg = tiny();
    rv_error err;
    assert_int_equal(rvo_sweep_create(sw, &cfg, &err), RV_OK);
    assert_int_equal(rvo_sweep_run(*sw, 2, (rvo_kernel_cfg){1, NULL}, NULL, NULL, NULL, &err),
                     RV_OK);
    cJSON *o = rvo_cell_json(&cfg, &(*sw)->cells[0]);
    char *t = cJSON_Print(o);
    cJSON_Delete(o);
    return t;
}

/* Replaces the first occurrence of `from` after `after` in text (malloc'd). */
static char *edit(const char *text, const char *after, const char *from, const char *to)
{
    const char *start = strstr(text, after);
    assert_non_null(start);
    const char *at = strstr(start, from);
    assert_non_null(at);
    size_t n = strlen(text) + strlen(to) + 1;
    char *t = malloc(n);
    snprintf(t, n, "%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
    return t;
}

#define TEN "xxxxxxxxxx"
#define LONG_PLAN TEN TEN TEN TEN TEN TEN TEN TEN TEN TEN TEN TEN TEN TEN TEN TEN TEN TEN TEN \
    TEN TEN TEN TEN TEN TEN TEN TEN TEN TEN TEN TEN TEN /* 320 bytes: cut before */

/* D: every value of a checkpoint is range-checked and parsing is strict;
 * a refused file leaves the cell as it was. */
static void impossible_values_are_refused(void **state)
{
    (void)state;
    rvo_sweep *sw;
    char *good = cell_text(&sw);
    rvo_cell *c = &sw->cells[0]; /* d = 1, n = 4, p = 0.1, 2 seeds */
    rv_error err;
    assert_int_equal(rvo_checkpoint_parse(good, strlen(good), "f", &sw->cfg, c, &err), RV_OK);
    /* field = value in run 0 (or, for kind and p, the top of the file) */
    struct { const char *field, *value, *msg; } cases[] = {
        {"clean_error", "-3", "run 0: clean_error = -3 is out of range [0, 1]"},
        {"clean_error", "1e308", "run 0: clean_error = 1e+308 is out of range [0, 1]"},
        {"clean_error", "1e999", "run 0: clean_error = inf is not finite"},
        {"clean_error", "0.123456789", "clean_error = 0.123456789 is not a fraction k/10000"},
        {"clean_error", "\"0.1\"", "run 0: clean_error is not a number"},
        {"flips", "-5", "run 0: flips = -5: expected an integer in 0..4"},
        {"flips", "5", "run 0: flips = 5: expected an integer in 0..4"},
        {"flips", "1.5", "run 0: flips = 1.5: expected an integer in 0..4"},
        {"flips", "0, \"flips\": 1", "run 0: field flips appears twice"},
        {"seed", "2.7", "run 0: seed = 2.7: expected an integer in 0..0"},
        {"seed", "1", "run 0: seed = 1: expected an integer in 0..0"},
        {"interpolated", "1", "run 0: interpolated is not true or false"},
        {"data_stream", "\"0X0123456789abcdef\"", "data_stream is not \"0x\" and 16 hex digits"},
        {"test_stream", "\"0x0000000000000000\"", "test_stream 0x0000000000000000 does not "
                                                 "match the settings"},
        {"hinge_steps", "3001", "run 0: hinge_steps = 3001: expected an integer in 0..3000"},
        {"best_step", "-1", "run 0: best_step = -1: expected an integer in 0.."},
        {"train_error", "0.3", "run 0: train_error = 0.3 is not a fraction k/4"},
        {"logistic_loss", "-1", "run 0: logistic_loss = -1 is out of range"},
        {"noisy_error", "0.9", "run 0: noisy_error = 0.9 is not p + (1 - 2p) clean_error"},
        {"nn_error", "null", "run 0: nn_error is not a number"},
        {"seconds", "-1", "run 0: seconds = -1 is out of range [0, 1e+09]"},
        {"seconds", "2e9", "run 0: seconds = 2e+09 is out of range [0, 1e+09]"},
        {"steps_per_s", "1.25", "run 0: steps_per_s = 1.25 is not steps / seconds"},
        {"plan", "\"\"", "run 0: plan is not a string of 1..319 printable bytes"},
        {"plan", "\"a\\u0007b\"", "run 0: plan is not a string of 1..319 printable bytes"},
        {"plan", "7", "run 0: plan is not a string"},
        {"plan", "\"" LONG_PLAN "\"", "run 0: plan is not a string of 1..319 printable bytes"},
        {"kind", "\"curve\"", "kind is not \"small_n\""},
        {"p", "0.10000000000000002", "was made with other settings"},
        {"width", "16.000000000000004", "was made with other settings"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        int top = !strcmp(cases[k].field, "kind") || !strcmp(cases[k].field, "p") ||
                  !strcmp(cases[k].field, "width");
        char from[64], to[512];
        snprintf(from, sizeof from, "\"%s\":\t", cases[k].field);
        const char *at = strstr(top ? good : strstr(good, "\"runs\""), from);
        assert_non_null(at);
        /* the old value: a string to its closing quote, else to the next , or line end */
        const char *v = at + strlen(from);
        size_t vlen = *v == '"' ? strcspn(v + 1, "\"") + 2 : strcspn(v, ",\n");
        char old[400];
        snprintf(old, sizeof old, "%.*s", (int)(v - at + (ptrdiff_t)vlen), at);
        snprintf(to, sizeof to, "\"%s\":\t%s", cases[k].field, cases[k].value);
        char *t = edit(good, top ? "{" : "\"runs\"", old, to);
        rvo_run_result before[2];
        memcpy(before, c->runs, sizeof before);
        rv_status s = rvo_checkpoint_parse(t, strlen(t), "f", &sw->cfg, c, &err);
        if (s != RV_ERR_FORMAT || !strstr(err.msg, cases[k].msg))
            fail_msg("case %zu (%s = %s): status %d, '%s'", k, cases[k].field, cases[k].value,
                     (int)s, s == RV_OK ? "accepted" : err.msg);
        assert_memory_equal(before, c->runs, sizeof before); /* untouched */
        free(t);
    }
    /* an unknown field, in a run and at the top */
    char *u = edit(good, "\"runs\"", "\"plan\":", "\"extra\": 1, \"plan\":");
    assert_int_equal(rvo_checkpoint_parse(u, strlen(u), "f", &sw->cfg, c, &err), RV_ERR_FORMAT);
    assert_non_null(strstr(err.msg, "checkpoint f: run 0: unknown field \"extra\""));
    free(u);
    u = edit(good, "{", "\"runs\":", "\"more\": 1, \"runs\":");
    assert_int_equal(rvo_checkpoint_parse(u, strlen(u), "f", &sw->cfg, c, &err), RV_ERR_FORMAT);
    assert_non_null(strstr(err.msg, "checkpoint f: unknown field \"more\""));
    free(u);
    /* trailing garbage, a second document, a NUL inside: refused */
    size_t n = strlen(good);
    char *t = malloc(2 * n + 16);
    snprintf(t, 2 * n + 16, "%s\ngarbage", good);
    assert_int_equal(rvo_checkpoint_parse(t, strlen(t), "f", &sw->cfg, c, &err), RV_ERR_FORMAT);
    assert_non_null(strstr(err.msg, "is malformed (data after the JSON document at byte"));
    snprintf(t, 2 * n + 16, "%s%s", good, good);
    assert_int_equal(rvo_checkpoint_parse(t, strlen(t), "f", &sw->cfg, c, &err), RV_ERR_FORMAT);
    assert_non_null(strstr(err.msg, "data after the JSON document"));
    memcpy(t, good, n + 1);
    t[n] = '\0';
    t[n + 1] = '}';
    assert_int_equal(rvo_checkpoint_parse(t, n + 2, "f", &sw->cfg, c, &err), RV_ERR_FORMAT);
    assert_non_null(strstr(err.msg, "control byte 0x00"));
    free(t);
    /* whitespace after the document is fine */
    t = malloc(n + 4);
    snprintf(t, n + 4, "%s\n\n", good);
    assert_int_equal(rvo_checkpoint_parse(t, strlen(t), "f", &sw->cfg, c, &err), RV_OK);
    free(t);
    cJSON_free(good);
    rvo_sweep_free(sw);
}

#ifndef RVO_CORPUS_DIR
#error "RVO_CORPUS_DIR: the checkpoint seed corpus (tests/overfit/CMakeLists.txt)"
#endif

/* G: the seed corpus of fuzz_checkpoint: the valid files load (so the
 * fuzzer starts from files the loader accepts), each hostile one is refused
 * for its own reason, and every file is listed here. */
static void corpus_seeds(void **state)
{
    (void)state;
    struct { const char *file; int cell; const char *msg; } seeds[] = {
        {"valid-d1.json", 0, NULL},
        {"valid-d10-nobias.json", 1, NULL},
        {"clean-error-negative.json", 0, "run 0: clean_error = -3 is out of range [0, 1]"},
        {"clean-error-huge.json", 0, "run 0: clean_error = 1e+308 is out of range [0, 1]"},
        {"flips-negative.json", 0, "run 0: flips = -5: expected an integer in 0..10"},
        {"flips-above-n.json", 0, "run 0: flips = 11: expected an integer in 0..10"},
        {"seed-fraction.json", 0, "run 0: seed = 2.7: expected an integer in 0..0"},
        {"trailing-garbage.json", 0, "is malformed (data after the JSON document"},
        {"second-document.json", 0, "is malformed (data after the JSON document"},
        {"field-twice.json", 0, "run 0: field flips appears twice"},
        {"unknown-field.json", 0, "run 0: unknown field \"extra\""},
        {"stream-mismatch.json", 0, "run 0: test_stream 0x0"},
        {"interpolated-but-errors.json", 0, "run 0: interpolated = true contradicts train_error"},
        {"steps-over-budget.json", 0, "run 0: logistic_steps = 21: expected an integer in 0..20"},
        {"plan-control-byte.json", 0, "run 0: plan is not a string of 1..319 printable bytes"},
        {"nn-error-null-at-d1.json", 0, "run 0: nn_error is not a number"},
        {"one-run.json", 0, "has 1 runs, expected 2"},
        {"nested.json", 0, "is malformed"},
        {"valid-d1.json", 1, "kind is not \"nobias\""},
    };
    size_t nseeds = sizeof seeds / sizeof seeds[0];
    rvo_sweep_cfg cfg;
    assert_int_equal(corpus_cfg(&cfg), 0);
    for (size_t k = 0; k < nseeds; k++) {
        char path[4200], *text = NULL;
        size_t len = 0;
        snprintf(path, sizeof path, "%s/%s", RVO_CORPUS_DIR, seeds[k].file);
        assert_int_equal(rv_read_file(path, 1 << 20, &text, &len, NULL), RV_OK);
        rvo_run_result runs[2];
        rvo_cell c = corpus_cell(seeds[k].cell, runs);
        rv_error err;
        rv_status s = rvo_checkpoint_parse(text, len, seeds[k].file, &cfg, &c, &err);
        free(text);
        if (!seeds[k].msg && s != RV_OK)
            fail_msg("%s refused: %s", seeds[k].file, err.msg);
        if (seeds[k].msg && (s != RV_ERR_FORMAT || !strstr(err.msg, seeds[k].msg)))
            fail_msg("%s: want '%s', got %s", seeds[k].file, seeds[k].msg,
                     s == RV_OK ? "accepted" : err.msg);
    }
    DIR *d = opendir(RVO_CORPUS_DIR);
    assert_non_null(d);
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue;
        size_t k = 0;
        while (k < nseeds && strcmp(seeds[k].file, e->d_name) != 0)
            k++;
        if (k == nseeds)
            fail_msg("corpus file %s is not checked here", e->d_name);
    }
    closedir(d);
}

/* E: a checkpoint folder in which no file can be made (here a link to
 * /proc, where even root cannot create files) is refused before any run,
 * with a message saying so, not after the first cell was computed. */
static void unwritable_folder_fails_before_any_run(void **state)
{
    (void)state;
    char *dir = temp_dir(), cells[4200];
    snprintf(cells, sizeof cells, "%s/cells", dir);
    assert_int_equal(symlink("/proc", cells), 0);
    rvo_sweep_cfg cfg = tiny();
    rvo_sweep *sw;
    rv_error err;
    assert_int_equal(rvo_sweep_create(&sw, &cfg, &err), RV_OK);
    rvo_progress p = {0};
    assert_int_equal(rvo_sweep_run(sw, 1, (rvo_kernel_cfg){1, NULL}, cells, last_progress, &p,
                                   &err), RV_ERR_IO);
    if (!strstr(err.msg, "/cells is not writable: cannot create a file in it: "))
        fail_msg("%s", err.msg);
    assert_int_equal(p.runs_done, 0); /* nothing was computed */
    rvo_sweep_free(sw);
    unlink(cells);
    rmdir(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(save_load_and_keys),
        cmocka_unit_test(killed_sweep_resumes),
        cmocka_unit_test(names_are_unique_for_close_rates),
        cmocka_unit_test(long_paths_are_refused),
        cmocka_unit_test(impossible_values_are_refused),
        cmocka_unit_test(corpus_seeds),
        cmocka_unit_test(unwritable_folder_fails_before_any_run),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
