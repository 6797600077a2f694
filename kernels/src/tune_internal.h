/* tune_internal.h - the tuner's pieces that are not public API: the search
 * job (with the kernel-runner hook tests use to inject a wrong kernel), the
 * candidate grid and the choice rule. */
#ifndef RELUVET_TUNE_INTERNAL_H
#define RELUVET_TUNE_INTERNAL_H

#include "reluvet/tune.h"

#define RV_TUNE_SAMPLES 5         /* timed samples per candidate */
#define RV_TUNE_FINALISTS 8       /* the finals (see tune.h): at most this many, */
#define RV_TUNE_GROUP_RANGE 3.0   /* the best of each (variant, threads) within this */
#define RV_TUNE_FINAL_RANGE 1.5   /* and the rest within this factor of the fastest, */
#define RV_TUNE_FINAL_ROUNDS 11   /* re-timed in this many interleaved rounds */
#define RV_TUNE_NOISE_MIN 0.01    /* the choice rule's tolerance: a candidate's */
#define RV_TUNE_NOISE_MAX 0.03    /* spread, clamped to these */

/* How candidates are run: rv_run_ex, or a test's stand-in. */
typedef rv_status (*rv_run_fn)(rv_op op, rv_variant v, rv_dtype dt, const rv_opts *opts,
                               const void *args, rv_error *err);

/* A candidate as an rv_call_fn (tune_time.h): ctx is an rv_cand_call. */
typedef struct rv_cand_call {
    rv_run_fn run;
    rv_op op;
    rv_dtype dt;
    const rv_candidate *c;
} rv_cand_call;
rv_status rv_call_candidate(void *ctx, const void *args, rv_error *err);

typedef struct rv_tune_job {
    rv_problem problem;  /* validated by the caller */
    rv_effort effort;    /* MEASURE or EXHAUSTIVE */
    int max_threads;     /* >= 1 */
    int only_variant;    /* -1: every contender; else the one variant to tune */
    rv_candidate seed;   /* measure: tried first (the estimate's choice) */
    double budget_s;     /* measure: > 0 */
    rv_run_fn run;       /* NULL: rv_run_ex */
} rv_tune_job;

/* Runs the search; rep receives what was tried and the choice (cleared
 * first, owned by the caller afterwards). RV_ERR_VARIANT when no candidate
 * passed its check; RV_ERR_NOMEM. */
rv_status rv_tune_search(const rv_tune_job *job, rv_tune_report *rep, rv_error *err);

/* The full candidate grid, in choice order within a variant: every
 * non-oracle variant (or only only_variant when >= 0) in variants.def order,
 * threads 1..max_threads if it reads threads, then block_rows x block_cols
 * over the block grid (0 = default first) if it reads blocks. Writes up to
 * cap candidates and returns the grid's size. */
size_t rv_tune_grid(int only_variant, int max_threads, rv_candidate *out, size_t cap);

/* The block grid (RV_VF_BLOCKS): values for block_rows / block_cols, the
 * default (0) first. Returns the count and sets *vals. */
size_t rv_tune_block_rows(const int **vals);
size_t rv_tune_block_cols(const int **vals);

/* c with the fields its variant does not read set to 0, and threads at
 * least 1 when it reads them; for comparing with grid points. */
rv_candidate rv_candidate_normalize(rv_candidate c);

/* The choice rule: among results[i] with status TIMED whose median is within
 * its own tolerance of the fastest, the one with the fewest threads, then
 * the earliest variant, then the smallest rank[i] (grid position). The
 * tolerance of i is results[i].spread (after the finals: the spread of its
 * per-round ratio to the fastest) clamped to [RV_TUNE_NOISE_MIN,
 * RV_TUNE_NOISE_MAX]. Returns the index, or count when none was timed. */
size_t rv_tune_choose(const rv_cand_result *results, const size_t *rank, size_t count);

#endif
