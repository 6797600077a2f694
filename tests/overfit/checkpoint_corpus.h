/* checkpoint_corpus.h - the settings of the checkpoint seed corpus
 * (tests/fuzz/corpus/checkpoint), shared by fuzz_checkpoint and
 * test_checkpoint.c: its valid-*.json files were written by
 *   reluvet overfit --profile quick --d 1,3,10 --p 0.1,0.2 --seeds 2 --width 50
 *                   --hinge-steps 2000 --logistic-steps 20
 * and are the cells (d=1, n=10, p=0.1, biased, the smaller n) and (d=10,
 * n=20, p=0.1, bias-free) of that sweep. */
#ifndef RELUVET_TESTS_CHECKPOINT_CORPUS_H
#define RELUVET_TESTS_CHECKPOINT_CORPUS_H

#include "profiles.h"

/* The sweep's settings; 0 on success. */
static inline int corpus_cfg(rvo_sweep_cfg *cfg)
{
    if (rvo_profile("quick", cfg, NULL) != RV_OK)
        return -1;
    cfg->nd = 3;
    cfg->d[0] = 1;
    cfg->d[1] = 3;
    cfg->d[2] = 10;
    cfg->np = 2;
    cfg->p[0] = 0.1;
    cfg->p[1] = 0.2;
    cfg->seeds = 2;
    cfg->width = 50;
    cfg->train.hinge_steps = 2000;
    cfg->train.logistic_steps = 20;
    return 0;
}

/* Cell k of the corpus (0: d = 1, 1: d = 10 bias-free), runs in runs[2]. */
static inline rvo_cell corpus_cell(int k, rvo_run_result runs[2])
{
    if (k == 0)
        return (rvo_cell){.kind = RVO_CELL_SMALL_N, .d = 1, .n = 10, .p = 0.1, .bias = 1,
                          .form = RVO_FORM_DIRECT,
                          .seeds = 2, .runs = runs};
    return (rvo_cell){.kind = RVO_CELL_NOBIAS, .d = 10, .n = 20, .p = 0.1, .bias = 0,
                      .form = RVO_FORM_DIRECT,
                      .seeds = 2, .runs = runs};
}

#endif
