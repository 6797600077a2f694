/* sweep.h - the grid of cells (d, n, p, bias) x seeds, run concurrently.
 *
 * Cells, for every p of the grid:
 *   the d-curve:  (d, n, p, biased) for every d of the grid (d_0 = 1, the
 *                 last d is d_high, the benign dimension);
 *   the smaller n: (1, n_small, p, biased), n >= 2 n_small, for the
 *                 tempered verdict (which compares it with the curve at d = 1);
 *   the ablation: (d_high, n, p, bias-free), for the biases verdict.
 * Run s of a cell uses streams named by (master seed, d, s): the data
 * (points nested in n, flips nested in p, see data.h), the initialisation
 * (shared by the biased and bias-free nets) and the test set. So results
 * depend on the settings and the seed index only, never on scheduling.
 *
 * Runs are independent: verify/dist deals them to `jobs` workers, largest
 * estimated cost first, each run with plans of `threads_per_run` threads
 * (1 when jobs > 1: one run per core beats threading a few-microsecond
 * step). When the last run of a cell is collected, the cell is checkpointed
 * (checkpoint.h) if a folder is given; cells already checkpointed with the
 * same settings are loaded and their runs skipped, not recomputed. */
#ifndef RELUVET_OVERFIT_SWEEP_H
#define RELUVET_OVERFIT_SWEEP_H

#include <stddef.h>
#include <stdint.h>

#include "dist.h"
#include "form.h"
#include "train.h"

#define RVO_MAX_GRID 16
#define RVO_MAX_CELLS (RVO_MAX_GRID * (RVO_MAX_GRID + 2)) /* np x (nd + 2) */

typedef struct rvo_sweep_cfg {
    size_t n, n_small;            /* training points; the smaller n at d = 1 */
    size_t nd, d[RVO_MAX_GRID];   /* ascending, d[0] = 1, d[nd-1] = d_high <= RVO_MAX_D */
    size_t np;
    double p[RVO_MAX_GRID];       /* ascending noise rates in [0, 0.5) */
    size_t seeds;                 /* runs per cell */
    size_t width;                 /* m */
    size_t test_n;                /* fresh test points per run, >= 10^4 */
    uint64_t master_seed;
    double init_w, init_v;        /* see rvo_net_init */
    rvo_form form;                /* requested for every cell; auto: rvo_form_choose */
    rvo_train_cfg train;
} rvo_sweep_cfg;

#define RVO_MAX_D 1000000000000.0 /* 10^12 */

/* The form a run of cfg at (n, d) takes (rvo_form_choose of cfg->form). */
rvo_form rvo_run_form(const rvo_sweep_cfg *cfg, size_t n, size_t d);

/* Bytes one run of cfg at (n, d) in form f allocates, at most (net, data,
 * trainer). */
double rvo_run_bytes(const rvo_sweep_cfg *cfg, size_t n, size_t d, rvo_form f);
#define RVO_MAX_RUN_BYTES (4.0 * (1 << 30))

/* Checks the grid and the training settings, that every cell can take its
 * form (rvo_form_check) and that each run needs at most RVO_MAX_RUN_BYTES;
 * RV_ERR_OPTS with the reason. */
rv_status rvo_sweep_cfg_validate(const rvo_sweep_cfg *cfg, rv_error *err);

typedef struct rvo_run_result {
    size_t seed;                  /* seed index within the cell */
    uint64_t data_stream, init_stream, test_stream;
    size_t flips;                 /* training labels flipped */
    rvo_train_result train;
    double clean_error;           /* on test_n fresh points (also when not interpolated) */
    double nn_error;              /* 1-NN clean error (d = 1 only, else NAN) */
    char plan[320];               /* the plans of the training steps */
} rvo_run_result;

typedef enum rvo_cell_kind { RVO_CELL_CURVE, RVO_CELL_SMALL_N, RVO_CELL_NOBIAS } rvo_cell_kind;

typedef struct rvo_cell {
    rvo_cell_kind kind;
    rvo_form form;                /* the form its runs take (never auto) */
    size_t d, n;
    double p;
    int bias;
    size_t seeds;
    rvo_run_result *runs;         /* seeds results, seed order */
    int from_checkpoint;          /* loaded, not computed, in this invocation */
    size_t done;                  /* runs finished */
} rvo_cell;

typedef struct rvo_sweep {
    rvo_sweep_cfg cfg;
    size_t ncells;
    rvo_cell *cells;
    double seconds;               /* wall time of rvo_sweep_run */
    int jobs, threads_per_run;
    rv_dist_stats dist;           /* per worker (thread or MPI rank): tasks, busy and
                                     idle seconds of rvo_sweep_run (rank 0) */
} rvo_sweep;

/* The cells of cfg (as above, in report order; runs not allocated): writes
 * up to cap into out and returns how many there are. */
size_t rvo_sweep_cells(const rvo_sweep_cfg *cfg, rvo_cell *out, size_t cap);

/* Appends to out[0..count) the problems the training steps of cfg's runs
 * plan (rvo_net_training_problems of every cell, in cell order) that it
 * does not hold yet, and returns the new count. out must have room for
 * count + RVO_MAX_SWEEP_PROBLEMS. */
#define RVO_MAX_SWEEP_PROBLEMS (2 * RVO_MAX_CELLS)
size_t rvo_sweep_problems(const rvo_sweep_cfg *cfg, rv_problem *out, size_t count);

/* Threads per run when the user names none: with several concurrent runs,
 * 1 (one run per core beats threading a few-microsecond step); a single
 * run gets every usable core (0). */
int rvo_threads_per_run(int jobs);

/* Builds the cells of cfg (validated first). Free with rvo_sweep_free. */
rv_status rvo_sweep_create(rvo_sweep **out, const rvo_sweep_cfg *cfg, rv_error *err);
void rvo_sweep_free(rvo_sweep *sw);

/* The cell (d, n, p, bias), or NULL. p is compared exactly: the grid may
 * hold rates closer than any tolerance, and callers pass cfg->p[i]. */
const rvo_cell *rvo_sweep_find(const rvo_sweep *sw, size_t d, size_t n, double p, int bias);

/* Progress: called, one call at a time, after every collected run (and once at the
 * start), with the counts so far; loaded cells count as done. */
typedef struct rvo_progress {
    size_t runs_done, runs_total, cells_done, cells_total;
    size_t cells_loaded, runs_loaded;   /* of those done, loaded from checkpoints */
    double elapsed;               /* seconds since rvo_sweep_run began */
} rvo_progress;
typedef void (*rvo_progress_fn)(const rvo_progress *p, void *ctx);

/* How runs plan their kernels (see net.h): at most `threads` threads per
 * run (0 = all usable cores), the tuner's choices from `wisdom` where it
 * holds them at that cap (NULL: every plan estimated). */
typedef struct rvo_kernel_cfg {
    int threads;
    rv_wisdom *wisdom;
} rvo_kernel_cfg;

/* Runs every cell not loaded from ckpt_dir (NULL: no checkpoints) with
 * `jobs` concurrent runs (1..RV_DIST_MAX_WORKERS), their kernels planned as
 * `k` says. Before any run, ckpt_dir is created and a file is created in it
 * and removed again, so that a folder where no checkpoint can be written
 * fails at once ("... is not writable: ..."), not after the first cell was
 * computed. Stops at the first failure (the error names the run).
 * Under MPI only rank 0 reads and writes ckpt_dir (it alone collects
 * results; the other ranks compute whatever it deals them), and a rank that
 * fails before the dealing still takes part in it (rank 0 then deals
 * nothing), so that no rank waits forever for another. */
rv_status rvo_sweep_run(rvo_sweep *sw, int jobs, rvo_kernel_cfg k, const char *ckpt_dir,
                        rvo_progress_fn progress, void *ctx, rv_error *err);

/* Under MPI, what rank 0 calls instead of rvo_sweep_run when it must not run
 * sw (its results folder is locked by another run, say): it takes part in
 * the ranks' dealing with nothing to deal, so that the other ranks'
 * rvo_sweep_run returns instead of waiting for rank 0 forever. With one
 * rank (no MPI) it does nothing. */
void rvo_sweep_stand_down(rvo_sweep *sw);

/* The data, init and test streams (out[0..2]) of seed s at dimension d. */
void rvo_run_streams(const rvo_sweep_cfg *cfg, size_t d, size_t s, uint64_t out[3]);

/* One run: seed s of cell c, kernels planned as `k` says. */
rv_status rvo_run_one(const rvo_sweep_cfg *cfg, const rvo_cell *c, size_t s, rvo_kernel_cfg k,
                      rvo_run_result *out, rv_error *err);

#endif
