/* reluvet/tune.h - the autotuner behind RV_EFFORT_MEASURE / _EXHAUSTIVE plans:
 * what a search tried and chose, and timing comparisons.
 *
 * A search (run by rv_plan_create, see plan.h) enumerates candidates =
 * variant x threads x the variant's own parameters, generated from the
 * RV_VF_* flags of variants.def (the tuner names no variant). Each candidate
 * is checked against the reference before it is timed; one that fails is
 * never chosen. Timing is wall clock: a warm-up, then the median of several
 * samples, each a batch of calls cycling over rotating argument buffers.
 *
 * Effort levels:
 *   exhaustive  every candidate of the grid, no pruning, no budget.
 *   measure     a pruned set within a time budget. Pruning rule:
 *               1. seeds: the estimate's choice, then every variant at its
 *                  default parameters for each thread count;
 *               2. block sizes (RV_VF_BLOCKS variants): coordinate search at
 *                  the variant's best seeded thread count, then at each
 *                  other whose seed timed within RV_TUNE_ABORT_SAMPLE x of
 *                  it: block_rows over the grid with block_cols at its
 *                  default, then block_cols over the grid with the best
 *                  block_rows;
 *               3. early abort: a candidate whose warm-up runs above
 *                  RV_TUNE_ABORT_WARM x, or whose first sample above
 *                  RV_TUNE_ABORT_SAMPLE x, the best median so far is dropped;
 *               4. budget: no step-2 candidate is started once the budget
 *                  is spent (the seeds of step 1 are always tried).
 * Finals (both efforts): the fastest timed candidate of each (variant,
 * threads) within 3x of the fastest, then the fastest others within 1.5x,
 * at most 8, are timed again, interleaved over 11 rounds, and each is
 * judged by its time relative to the fastest finalist in the same round, so
 * that a change in the machine's load during the search does not decide.
 * Choice: among the finalists within the noise tolerance of the fastest
 * (the spread of that per-round ratio, clamped to 1%..3%), the one with the
 * fewest threads, then the earliest variant in variants.def, then the
 * earliest grid position (defaults first), so that
 * winners do not flip between runs.
 *
 * Searches allocate and time; they must not run inside an OpenMP parallel
 * region. Nothing here prints. */
#ifndef RELUVET_TUNE_H
#define RELUVET_TUNE_H

#include "reluvet/plan.h"

#ifdef __cplusplus
extern "C" {
#endif

#define RV_TUNE_DEFAULT_BUDGET_S 1.0 /* measure: seconds per search */
#define RV_TUNE_ABORT_WARM 3.0
#define RV_TUNE_ABORT_SAMPLE 1.5

/* One point of the search space. Fields a variant does not read are 0. */
typedef struct rv_candidate {
    rv_variant variant;
    rv_opts opts;
} rv_candidate;

typedef enum rv_cand_status {
    RV_CAND_TIMED = 0, /* passed its check and was timed */
    RV_CAND_FAILED,    /* failed its check against the reference: never chosen */
    RV_CAND_PRUNED,    /* measure: dropped early, far slower than the best */
} rv_cand_status;

typedef struct rv_cand_result {
    rv_candidate cand;
    rv_cand_status status;
    double median_s; /* seconds per call: TIMED the median of its samples (a
                        finalist: the paired estimate of the finals); PRUNED
                        the time that pruned it */
    double spread;   /* TIMED: relative interquartile range of those samples (a
                        finalist: of its per-round ratio to the fastest one) */
    int samples;     /* how many samples that median is of */
    int finalist;    /* it was re-timed in the finals */
    char note[160];  /* FAILED: the first mismatch */
} rv_cand_result;

/* What one search did. results is owned: release with rv_tune_report_clear. */
typedef struct rv_tune_report {
    rv_problem problem;
    int effort;             /* an rv_effort */
    int max_threads;
    rv_shape check_shape;   /* where candidates were checked (see tune_check.h) */
    size_t count;           /* candidates tried */
    rv_cand_result *results;
    size_t chosen;          /* index of the choice in results */
    double elapsed_s;       /* the whole search, checks included */
    int budget_hit;         /* measure: candidates were left untried */
    int disturbed;          /* timing batches run again because another process
                               preempted this one (a busy machine) */
} rv_tune_report;

/* Frees the results of a report and zeroes it; NULL is a no-op. */
void rv_tune_report_clear(rv_tune_report *rep);

/* Checks that a problem is well formed (known op and dtype, non-zero sizes,
 * only the RV_PLAN_* flags its op uses). */
rv_status rv_problem_validate(const rv_problem *p, rv_error *err);

/* The rate of p done in `seconds` per call, in the unit written to *unit:
 * "GFLOP/s" for the layer ops, "GB/s" for the elementwise ops (0 flops). */
double rv_problem_rate(const rv_problem *p, double seconds, const char **unit);

/* One-line descriptions, into buf; return buf:
 *   problem:   "layer_fwd f64 n=20 d=1 m=500" (+ " +H", " +dX", " no-bias")
 *   candidate: "omp threads=2 block=16x256" (only the fields it reads) */
char *rv_problem_describe(const rv_problem *p, char *buf, size_t cap);
char *rv_candidate_describe(const rv_candidate *c, char *buf, size_t cap);

/* Are a and b the same problem (op, dtype, shape and flags)? */
int rv_problem_equal(const rv_problem *a, const rv_problem *b);

/* Do a and b name the same variant with the same options? */
int rv_candidate_equal(const rv_candidate *a, const rv_candidate *b);

/* The "single fixed variant" v: its default parameters, and all max_threads
 * threads if it reads threads. */
rv_candidate rv_fixed_candidate(rv_variant v, int max_threads);

/* Times the k candidates on p, interleaved (one sample of each per round,
 * `rounds` rounds, after a warm-up of each), and writes seconds per call of
 * candidate i to median_s[i], paired with candidate 0: its median times the
 * median over rounds of i's time / 0's time in the same round, so that a
 * change of load between rounds cancels from every ratio to candidate 0.
 * No check is done: compare only candidates a search has checked. */
rv_status rv_tune_compare(const rv_problem *p, const rv_candidate *cands, size_t k, int rounds,
                          double *median_s, rv_error *err);

/* Plan execution overhead: rv_plan_execute(plan) against the plan's kernel
 * function called directly (no validation at all), interleaved, `rounds`
 * samples each, on rotating buffers of the plan's problem. */
typedef struct rv_overhead {
    double plan_s;   /* median seconds per rv_plan_execute */
    double direct_s; /* median seconds per direct kernel call */
    double ratio;    /* median over rounds of plan / direct (same round) */
} rv_overhead;
rv_status rv_plan_overhead(const rv_plan *plan, int rounds, rv_overhead *out, rv_error *err);

#ifdef __cplusplus
}
#endif
#endif
