/* minnorm_sweep.h - the exact 1-D min-norm interpolator over a grid of
 * (n, p) x seeds, on the harness's own draws, and the verdict "tempered at
 * d = 1 (min-norm)".
 *
 * Seed s at every (n, p) uses the data and test streams of `reluvet
 * overfit`'s d = 1 runs under the same master seed (rvo_run_streams), so
 * the draws are the overfit sweep's: the sets at n and n' share their first
 * points, and the flipped sets are nested in p.
 *
 * The verdict, per p (all must hold):
 *   not vanishing in n: the lower 95% bound of the mean clean error at the
 *     largest n is above p / 10, and no significant fall with log n
 *     (Spearman rho(log n, E) over every run of that p, one-sided
 *     p-value of a fall >= alpha);
 * and at the largest n:
 *   increasing in p: Page's trend test within seeds (same inputs, nested
 *     flips), one-sided p-value < alpha.
 * E / p per (n, p) is reported beside it: of order 1 for a tempered rule. */
#ifndef RELUVET_OVERFIT_MINNORM_SWEEP_H
#define RELUVET_OVERFIT_MINNORM_SWEEP_H

#include <stddef.h>
#include <stdint.h>

#include "reluvet/status.h"

#define RVO_MN_MAX_GRID 16

typedef struct rvo_mn_cfg {
    size_t nn, n[RVO_MN_MAX_GRID];   /* ascending, 2 .. 10^6 */
    size_t np;
    double p[RVO_MN_MAX_GRID];       /* ascending, in (0, 0.5) */
    size_t seeds;                    /* 2 .. 1000 */
    size_t test_n;                   /* test points of the 1-NN rule, 10^3 .. 10^7 */
    uint64_t master_seed;
    double alpha;                    /* level of the one-sided tests, (0, 0.5) */
} rvo_mn_cfg;

typedef struct rvo_mn_run {
    size_t n, seed;
    double p;
    uint64_t data_stream, test_stream;
    size_t flips;
    double lower, upper, gap;   /* the optimum's certificates (minnorm.h) */
    size_t kinks;
    int rounds;
    double clean_error;         /* exact, from the breakpoints */
    double nn_error;            /* the 1-NN rule on test_n test points */
    double seconds;
} rvo_mn_run;

typedef struct rvo_mn_sweep {
    rvo_mn_cfg cfg;
    rvo_mn_run *runs;           /* [n][p][seed], n-major */
    double seconds;
} rvo_mn_sweep;

/* Checks cfg; RV_ERR_OPTS with the reason. */
rv_status rvo_mn_cfg_validate(const rvo_mn_cfg *cfg, rv_error *err);

/* Runs every (n, p, seed); progress(k, total, ctx) after each run (may be
 * NULL). Free with rvo_mn_sweep_free. RV_ERR_OPTS, RV_ERR_NOMEM, or the
 * solver's error naming the run. */
rv_status rvo_mn_sweep_run(const rvo_mn_cfg *cfg, void (*progress)(size_t, size_t, void *),
                           void *ctx, rvo_mn_sweep **out, rv_error *err);
void rvo_mn_sweep_free(rvo_mn_sweep *sw);

/* The run of (n index i, p index j, seed s). */
const rvo_mn_run *rvo_mn_at(const rvo_mn_sweep *sw, size_t i, size_t j, size_t s);

typedef struct rvo_mn_verdict {
    int passed;
    char text[4096];            /* the numbers that decided it, one line per p */
} rvo_mn_verdict;

void rvo_mn_judge(const rvo_mn_sweep *sw, rvo_mn_verdict *v);

/* ---- a d = 1 cell of `reluvet overfit` against the min-norm optimum ---- */

struct rvo_cell; /* sweep.h */

/* The min-norm interpolator on each run's own draw (its data stream), and
 * each GD net held against it: a net with normalised margin
 * nm = min_i y_i N(x_i) / ||theta||^2 has ||theta||^2 / (2 min margin) =
 * 1 / (2 nm) >= OPT (2-homogeneity), so its cost over OPT is >= 1, and
 * below the proven lower bound it would expose a wrong solver or a wrong
 * net. Means over the cell's runs; the ratios over the GD runs that
 * interpolated with a finite margin. */
typedef struct rvo_mn_cell {
    size_t runs;                 /* the cell's seeds */
    size_t compared;             /* GD runs held against OPT */
    double mn_error, nn_error;   /* mean clean errors: min-norm (exact), 1-NN */
    double gd_error;             /* mean over the GD runs that interpolated (NaN: none) */
    double ratio_min, ratio_median, ratio_max; /* GD cost / OPT (NaN: none compared) */
    size_t below;                /* GD nets below the lower bound (must be 0) */
    double gap_max;              /* the solver's largest relative duality gap */
} rvo_mn_cell;

/* For a cell at d = 1 (RV_ERR_OPTS otherwise) whose runs are done.
 * RV_ERR_NOMEM, or the solver's error naming the seed. */
rv_status rvo_mn_cell_check(const struct rvo_cell *c, rvo_mn_cell *out, rv_error *err);

#endif
