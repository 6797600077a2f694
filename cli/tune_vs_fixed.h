/* tune_vs_fixed.h - timing tuned choices against every single fixed
 * variant (rv_fixed_candidate), interleaved in one run so that the ratios
 * share the machine's state. Used by the `reluvet tune` table and grading. */
#ifndef RELUVET_CLI_TUNE_VS_FIXED_H
#define RELUVET_CLI_TUNE_VS_FIXED_H

#include "reluvet/tune.h"

#define RV_VS_MAX_MINE 4

typedef struct rv_vs_fixed {
    double mine_s[RV_VS_MAX_MINE];      /* median seconds per call of mine[i] */
    double fixed_s[RV_VARIANT_COUNT];   /* per contender variant; 0 for the oracle */
    rv_variant best_fixed;              /* the fastest fixed variant */
    double best_fixed_s;
} rv_vs_fixed;

/* Times the k (<= RV_VS_MAX_MINE) candidates `mine` and each contender
 * variant fixed at max_threads, `rounds` interleaved samples each. A fixed
 * variant equal to one of mine is not timed twice: it gets that time. */
rv_status rv_time_vs_fixed(const rv_problem *p, const rv_candidate *mine, size_t k,
                           int max_threads, int rounds, rv_vs_fixed *out, rv_error *err);

#endif
