/* fuzz_checkpoint.c - libFuzzer target for the overfit checkpoint loader
 * (rvo_checkpoint_parse): any bytes are accepted or refused with a message,
 * never a crash; a refused file leaves the cell untouched; what is accepted
 * is in range (errors in [0, 1], flips <= n, seeds = their index, steps
 * within the budgets) and survives a write and re-read unchanged. Each
 * input is tried as the two cells of the seed corpus (d = 1 and d = 10,
 * tests/overfit/checkpoint_corpus.h), whose settings it must match. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "checkpoint.h"
#include "../overfit/checkpoint_corpus.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int in01(double x)
{
    return x >= 0 && x <= 1;
}

/* The fields a run carries, compared exactly (NAN equal to NAN). */
static int same(double a, double b)
{
    return a == b || (isnan(a) && isnan(b));
}

static int same_run(const rvo_run_result *a, const rvo_run_result *b)
{
    return a->seed == b->seed && a->data_stream == b->data_stream &&
           a->init_stream == b->init_stream && a->test_stream == b->test_stream &&
           a->flips == b->flips && a->train.interpolated == b->train.interpolated &&
           a->train.margin_reached == b->train.margin_reached &&
           a->train.hinge_steps == b->train.hinge_steps &&
           a->train.logistic_steps == b->train.logistic_steps &&
           a->train.best_step == b->train.best_step &&
           same(a->train.train_error, b->train.train_error) &&
           same(a->train.logistic_loss, b->train.logistic_loss) &&
           same(a->train.norm_margin, b->train.norm_margin) &&
           same(a->train.seconds, b->train.seconds) &&
           same(a->train.steps_per_s, b->train.steps_per_s) &&
           same(a->clean_error, b->clean_error) && same(a->nn_error, b->nn_error) &&
           strcmp(a->plan, b->plan) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static rvo_sweep_cfg cfg;
    static int have_cfg;
    if (!have_cfg) {
        if (corpus_cfg(&cfg) != 0)
            abort();
        have_cfg = 1;
    }
    for (int k = 0; k < 2; k++) {
        rvo_run_result runs[2], before[2], again[2];
        memset(runs, 0x5a, sizeof runs);
        memcpy(before, runs, sizeof runs);
        rvo_cell c = corpus_cell(k, runs);
        rv_error err;
        if (rvo_checkpoint_parse((const char *)data, size, "fuzz", &cfg, &c, &err) != RV_OK) {
            if (memcmp(runs, before, sizeof runs) != 0)
                abort(); /* a refused file changed the cell */
            continue;
        }
        for (size_t s = 0; s < 2; s++) {
            const rvo_run_result *r = &runs[s];
            if (r->seed != s || r->flips > c.n || !in01(r->clean_error) ||
                !in01(r->train.train_error) || (c.d == 1 ? !in01(r->nn_error)
                                                         : !isnan(r->nn_error)) ||
                r->train.hinge_steps < 0 || r->train.hinge_steps > cfg.train.hinge_steps ||
                r->train.logistic_steps < 0 ||
                r->train.logistic_steps > cfg.train.logistic_steps ||
                r->train.best_step < 0 || r->train.best_step > r->train.logistic_steps ||
                !(r->train.seconds >= 0) || !(r->train.steps_per_s >= 0) ||
                r->train.interpolated != (r->train.train_error == 0) || !r->plan[0])
                abort(); /* the loader let an impossible value through */
        }
        /* What we accept we write back the same, and read again. */
        cJSON *o = rvo_cell_json(&cfg, &c);
        char *text = o ? cJSON_Print(o) : NULL;
        cJSON_Delete(o);
        if (!text)
            continue;
        rvo_cell c2 = corpus_cell(k, again);
        if (rvo_checkpoint_parse(text, strlen(text), "rewritten", &cfg, &c2, &err) != RV_OK ||
            !same_run(&runs[0], &again[0]) || !same_run(&runs[1], &again[1]))
            abort(); /* what we write we must read back */
        cJSON_free(text);
    }
    return 0;
}
