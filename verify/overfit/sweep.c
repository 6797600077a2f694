/* sweep.c - cells, seeds, streams, the worker pool and checkpoints. */
#include "sweep.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "checkpoint.h"
#include "net.h"
#include "dist.h"
#include "reluvet/fileio.h"

rvo_form rvo_run_form(const rvo_sweep_cfg *cfg, size_t n, size_t d)
{
    return rvo_form_choose(cfg->form, n, d, cfg->width, cfg->train.trainer == RVO_TRAIN_GD);
}

double rvo_run_bytes(const rvo_sweep_cfg *cfg, size_t n, size_t d, rvo_form f)
{
    double m = (double)cfg->width, nd = (double)n;
    double dx = f == RVO_FORM_REDUCED ? nd : (double)d;
    double nparams = m * ((f == RVO_FORM_DIRECT ? (double)d : 2 * nd) + 2);
    /* the net, the data (X, y), the trainer (labels' gradient, the best
     * interpolator, Adam's two moments) */
    return rvo_net_bytes(n, d, cfg->width, f, cfg->test_n) + 8 * (nd * (dx + 2) + 3 * nparams);
}

rv_status rvo_sweep_cfg_validate(const rvo_sweep_cfg *c, rv_error *err)
{
    if (c->n < 4 || c->n > 100000)
        return rv_fail(err, RV_ERR_OPTS, "n = %zu: must be 4..100000", c->n);
    if (c->n_small < 2 || 2 * c->n_small > c->n)
        return rv_fail(err, RV_ERR_OPTS, "n_small = %zu: must be at least 2 and at most n/2 = %zu",
                       c->n_small, c->n / 2);
    if (c->nd < 3 || c->nd > RVO_MAX_GRID)
        return rv_fail(err, RV_ERR_OPTS, "the d grid has %zu values: need 3..%d (1, some "
                       "intermediate d, d_high)", c->nd, RVO_MAX_GRID);
    if (c->d[0] != 1)
        return rv_fail(err, RV_ERR_OPTS, "the d grid must start at 1 (got %zu)", c->d[0]);
    for (size_t i = 1; i < c->nd; i++)
        if (c->d[i] <= c->d[i - 1] || (double)c->d[i] > RVO_MAX_D)
            return rv_fail(err, RV_ERR_OPTS, "the d grid must increase strictly and stay <= "
                           "10^12 (d=%zu after %zu)", c->d[i], c->d[i - 1]);
    if (c->np < 2 || c->np > RVO_MAX_GRID)
        return rv_fail(err, RV_ERR_OPTS, "the p grid has %zu values: need 2..%d", c->np,
                       RVO_MAX_GRID);
    for (size_t i = 0; i < c->np; i++)
        if (!(c->p[i] > 0 && c->p[i] < 0.5) || (i > 0 && !(c->p[i] > c->p[i - 1])))
            return rv_fail(err, RV_ERR_OPTS, "noise rates must increase strictly within (0, "
                           "0.5) (got %g)", c->p[i]);
    if (c->seeds < 2 || c->seeds > 10000)
        return rv_fail(err, RV_ERR_OPTS, "seeds = %zu: must be 2..10000", c->seeds);
    if (c->width < 1 || c->width > 1000000)
        return rv_fail(err, RV_ERR_OPTS, "width = %zu: must be 1..10^6", c->width);
    if (c->test_n < 10000 || c->test_n > 10000000)
        return rv_fail(err, RV_ERR_OPTS, "test points = %zu: must be 10^4..10^7", c->test_n);
    if (!rvo_form_name(c->form))
        return rv_fail(err, RV_ERR_OPTS, "unknown form %d", (int)c->form);
    int gd = c->train.trainer == RVO_TRAIN_GD;
    rvo_cell cells[RVO_MAX_CELLS];
    size_t ncells = rvo_sweep_cells(c, cells, RVO_MAX_CELLS);
    for (size_t k = 0; k < ncells; k++) {
        const rvo_cell *x = &cells[k];
        rv_error why = {0};
        if (rvo_form_check(x->form, x->n, x->d, c->width, gd, &why) != RV_OK)
            return rv_fail(err, RV_ERR_OPTS, "the cell d=%zu n=%zu: %s%s", x->d, x->n, why.msg,
                           c->form == RVO_FORM_AUTO ? "" : " (or use --form auto)");
        double bytes = rvo_run_bytes(c, x->n, x->d, x->form);
        if (bytes > RVO_MAX_RUN_BYTES)
            return rv_fail(err, RV_ERR_OPTS, "a run at n=%zu d=%zu width %zu in the %s form "
                           "needs %.1f GiB (limit %.0f GiB): lower --width or the largest d%s",
                           x->n, x->d, c->width, rvo_form_name(x->form), bytes / (1 << 30),
                           RVO_MAX_RUN_BYTES / (1 << 30),
                           c->form == RVO_FORM_AUTO ? "" : ", or use --form auto");
    }
    if (!(c->init_w > 0 && c->init_w < 1e6) || !(c->init_v > 0 && c->init_v < 1e6))
        return rv_fail(err, RV_ERR_OPTS, "init scales %g, %g must be in (0, 1e6)", c->init_w,
                       c->init_v);
    return rvo_train_cfg_validate(&c->train, err);
}

void rvo_sweep_free(rvo_sweep *sw)
{
    if (!sw)
        return;
    for (size_t i = 0; i < sw->ncells; i++)
        free(sw->cells[i].runs);
    free(sw->cells);
    free(sw);
}

size_t rvo_sweep_cells(const rvo_sweep_cfg *cfg, rvo_cell *out, size_t cap)
{
    size_t count = 0, d_high = cfg->d[cfg->nd - 1];
#define CELL(...) \
    do { \
        if (count < cap) { \
            out[count] = (rvo_cell){__VA_ARGS__}; \
            out[count].form = rvo_run_form(cfg, out[count].n, out[count].d); \
        } \
        count++; \
    } while (0)
    /* A readable order: d = 1 at the smaller n, the curve, the ablation. */
    for (size_t i = 0; i < cfg->np; i++)
        CELL(.kind = RVO_CELL_SMALL_N, .d = 1, .n = cfg->n_small, .p = cfg->p[i], .bias = 1);
    for (size_t k = 0; k < cfg->nd; k++)
        for (size_t i = 0; i < cfg->np; i++)
            CELL(.kind = RVO_CELL_CURVE, .d = cfg->d[k], .n = cfg->n, .p = cfg->p[i], .bias = 1);
    for (size_t i = 0; i < cfg->np; i++)
        CELL(.kind = RVO_CELL_NOBIAS, .d = d_high, .n = cfg->n, .p = cfg->p[i], .bias = 0);
#undef CELL
    return count;
}

size_t rvo_sweep_problems(const rvo_sweep_cfg *cfg, rv_problem *out, size_t count)
{
    rvo_cell cells[RVO_MAX_CELLS];
    size_t ncells = rvo_sweep_cells(cfg, cells, RVO_MAX_CELLS);
    for (size_t c = 0; c < ncells; c++) {
        rv_problem p[RVO_NET_TRAINING_PROBLEMS];
        rvo_net_training_problems(cells[c].n, cells[c].d, cfg->width, cells[c].bias,
                                  cells[c].form, p);
        for (size_t k = 0; k < RVO_NET_TRAINING_PROBLEMS; k++) {
            size_t j = 0;
            while (j < count && !rv_problem_equal(&out[j], &p[k]))
                j++;
            if (j == count)
                out[count++] = p[k];
        }
    }
    return count;
}

int rvo_threads_per_run(int jobs)
{
    return jobs > 1 ? 1 : 0;
}

rv_status rvo_sweep_create(rvo_sweep **out, const rvo_sweep_cfg *cfg, rv_error *err)
{
    *out = NULL;
    rv_status s = rvo_sweep_cfg_validate(cfg, err);
    if (s != RV_OK)
        return s;
    rvo_sweep *sw = calloc(1, sizeof *sw);
    if (sw)
        sw->cells = calloc(RVO_MAX_CELLS, sizeof *sw->cells);
    if (!sw || !sw->cells) {
        rvo_sweep_free(sw);
        return rv_fail(err, RV_ERR_NOMEM, "out of memory for the sweep");
    }
    sw->cfg = *cfg;
    sw->ncells = rvo_sweep_cells(cfg, sw->cells, RVO_MAX_CELLS);
    for (size_t c = 0; c < sw->ncells; c++) {
        sw->cells[c].seeds = cfg->seeds;
        sw->cells[c].runs = calloc(cfg->seeds, sizeof(rvo_run_result));
        if (!sw->cells[c].runs) {
            rvo_sweep_free(sw);
            return rv_fail(err, RV_ERR_NOMEM, "out of memory for the sweep's runs");
        }
    }
    *out = sw;
    return RV_OK;
}

const rvo_cell *rvo_sweep_find(const rvo_sweep *sw, size_t d, size_t n, double p, int bias)
{
    for (size_t c = 0; c < sw->ncells; c++) {
        const rvo_cell *x = &sw->cells[c];
        if (x->d == d && x->n == n && x->p == p && x->bias == (bias != 0))
            return x;
    }
    return NULL;
}

/* Stream tags: what a stream is for. */
enum { TAG_DATA = 1, TAG_INIT = 2, TAG_TEST = 3 };

static uint64_t stream(const rvo_sweep_cfg *cfg, uint64_t tag, size_t d, size_t s)
{
    uint64_t w[4] = {cfg->master_seed, tag, d, s};
    return rvo_seed_hash(w, 4);
}

void rvo_run_streams(const rvo_sweep_cfg *cfg, size_t d, size_t s, uint64_t out[3])
{
    out[0] = stream(cfg, TAG_DATA, d, s);
    out[1] = stream(cfg, TAG_INIT, d, s);
    out[2] = stream(cfg, TAG_TEST, d, s);
}

rv_status rvo_run_one(const rvo_sweep_cfg *cfg, const rvo_cell *c, size_t s, rvo_kernel_cfg k,
                      rvo_run_result *out, rv_error *err)
{
    *out = (rvo_run_result){.seed = s, .nn_error = NAN};
    uint64_t streams[3];
    rvo_run_streams(cfg, c->d, s, streams);
    out->data_stream = streams[0];
    out->init_stream = streams[1];
    out->test_stream = streams[2];
    rvo_data data;
    rv_status st = rvo_data_make(&data, c->n, c->d, c->p, out->data_stream,
                                 c->form == RVO_FORM_REDUCED, err);
    if (st != RV_OK)
        return st;
    out->flips = data.flips;
    rvo_net *net = NULL;
    st = rvo_net_create(&net, c->n, c->d, cfg->width, c->bias, c->form, cfg->test_n,
                        k.threads, k.wisdom, err);
    if (st == RV_OK) {
        rvo_net_init(net, cfg->init_w, cfg->init_v, out->init_stream);
        rvo_net_describe(net, out->plan, sizeof out->plan);
        st = rvo_train(net, &data, &cfg->train, &out->train, err);
    }
    if (st == RV_OK)
        st = rvo_net_clean_error(net, out->test_stream, &out->clean_error, err);
    if (st == RV_OK && c->d == 1)
        st = rvo_nn_clean_error(&data, out->test_stream, cfg->test_n, &out->nn_error, err);
    rvo_net_destroy(net);
    rvo_data_free(&data);
    return st;
}

/* The job's context: the sweep, where checkpoints go, and the progress. */
typedef struct job_ctx {
    rvo_sweep *sw;
    const char *ckpt;
    rvo_kernel_cfg kernels;
    rvo_progress prog;
    double t0;
    rvo_progress_fn cb;
    void *cbctx;
} job_ctx;

/* dist work: task = cell * seeds + seed; the result is the run's struct. */
static int work(size_t task, void *ctx, char **out, size_t *len, char *why, size_t cap)
{
    job_ctx *j = ctx;
    size_t seeds = j->sw->cfg.seeds;
    const rvo_cell *c = &j->sw->cells[task / seeds];
    rvo_run_result *r = malloc(sizeof *r);
    rv_error e = {0};
    rv_status s = r ? rvo_run_one(&j->sw->cfg, c, task % seeds, j->kernels, r, &e)
                    : rv_fail(&e, RV_ERR_NOMEM, "out of memory");
    if (s != RV_OK) {
        snprintf(why, cap, "d=%zu n=%zu p=%g %s (%s form) seed %zu: %s", c->d, c->n, c->p,
                 c->bias ? "biased" : "bias-free", rvo_form_name(c->form), task % seeds, e.msg);
        free(r);
        return 1;
    }
    *out = (char *)r;
    *len = sizeof *r;
    return 0;
}

/* dist collect (one at a time): store the run, checkpoint a finished cell. */
static int collect(size_t task, const char *result, size_t len, void *ctx, char *why,
                   size_t cap)
{
    job_ctx *j = ctx;
    size_t seeds = j->sw->cfg.seeds;
    rvo_cell *c = &j->sw->cells[task / seeds];
    if (len != sizeof(rvo_run_result)) {
        snprintf(why, cap, "a run result of %zu bytes, expected %zu", len,
                 sizeof(rvo_run_result));
        return 1;
    }
    memcpy(&c->runs[task % seeds], result, len);
    j->prog.runs_done++;
    if (++c->done == c->seeds) {
        j->prog.cells_done++;
        rv_error e = {0};
        if (j->ckpt && rvo_checkpoint_save(j->ckpt, &j->sw->cfg, c, &e) != RV_OK) {
            snprintf(why, cap, "%s", e.msg);
            return 1;
        }
    }
    j->prog.elapsed = rvo_now() - j->t0;
    if (j->cb)
        j->cb(&j->prog, j->cbctx);
    return 0;
}

/* The dealing order's cost model (largest first): work per step, n d m
 * direct and 3 n^2 m in the subspace forms (forward at (n, 2n, m), backward
 * at (n, n, m)), times the steps a run is expected to take, plus the test
 * set's test_n dc m. Low d needs many hinge steps (up to the budget); high
 * d a few thousand. A heuristic for ordering only. */
static double run_cost(const rvo_sweep_cfg *cfg, const rvo_cell *c)
{
    double n = (double)c->n, m = (double)cfg->width;
    double steps = c->d <= 2 ? (double)cfg->train.hinge_steps / 4 : 3000;
    double dc = (double)rvo_form_coords(c->form, c->n, c->d, cfg->width);
    double step = c->form == RVO_FORM_DIRECT ? n * ((double)c->d + 3) * m : 3 * n * n * m;
    return steps * step + (double)cfg->test_n * dc * m;
}

/* Whether files can be created in dir: creates one (O_EXCL, a name no one
 * else uses) and removes it. access(W_OK) would not do: it says yes to root
 * on a read-only mount, /proc or a folder whose files cannot be made. */
static rv_status check_writable(const char *dir, rv_error *err)
{
    char probe[4096];
    int n = snprintf(probe, sizeof probe, "%s/.write-test-%ld-XXXXXX", dir, (long)getpid());
    if (n < 0 || (size_t)n >= sizeof probe)
        return rv_fail(err, RV_ERR_IO, "checkpoint folder path too long: %.100s...", dir);
    int fd = mkstemp(probe);
    if (fd < 0)
        return rv_fail(err, RV_ERR_IO, "checkpoint folder %s is not writable: cannot create a "
                       "file in it: %s", dir, strerror(errno));
    close(fd);
    unlink(probe);
    return RV_OK;
}

/* Takes part in the ranks' dealing of job without dealing anything (rank
 * 0) or computing what rank 0 deals (the others): see rvo_sweep_run. */
static void join_idle(const rv_dist_job *job, int jobs)
{
    rv_dist_job idle = *job;
    idle.cost = NULL;
    idle.done = NULL;
    if (rv_dist_rank() == 0)
        idle.ntasks = 0;
    rv_error ignored;
    rv_dist_run(&idle, jobs, NULL, &ignored);
}

void rvo_sweep_stand_down(rvo_sweep *sw)
{
    if (rv_dist_size() <= 1)
        return;
    job_ctx j = {.sw = sw};
    rv_dist_job job = {.ntasks = 0, .work = work, .collect = collect, .ctx = &j};
    join_idle(&job, 1);
}

rv_status rvo_sweep_run(rvo_sweep *sw, int jobs, rvo_kernel_cfg k, const char *ckpt_dir,
                        rvo_progress_fn progress, void *ctx, rv_error *err)
{
    if (jobs < 1 || jobs > RV_DIST_MAX_WORKERS || k.threads < 0 || k.threads > RV_MAX_THREADS)
        return rv_fail(err, RV_ERR_OPTS, "jobs = %d, threads per run = %d: need 1..%d, 0..%d",
                       jobs, k.threads, RV_DIST_MAX_WORKERS, RV_MAX_THREADS);
    /* Rank 0 alone collects and saves cells, so it alone reads them: the
     * other ranks compute what it deals and need no checkpoint (nor touch
     * a results folder that another run may hold). */
    if (rv_dist_rank() != 0)
        ckpt_dir = NULL;
    job_ctx j = {.sw = sw, .ckpt = ckpt_dir, .kernels = k, .cb = progress,
                 .cbctx = ctx, .t0 = rvo_now()};
    size_t seeds = sw->cfg.seeds, ntasks = sw->ncells * seeds;
    double *cost = malloc(ntasks * sizeof *cost);
    unsigned char *done = calloc(ntasks, 1);
    rv_status s = RV_OK;
    if (!cost || !done)
        s = rv_fail(err, RV_ERR_NOMEM, "out of memory for the run list");
    else if (ckpt_dir) /* an unusable results folder fails now, not after the first cell */
        s = rv_make_dirs(ckpt_dir, err);
    if (s == RV_OK && ckpt_dir)
        s = check_writable(ckpt_dir, err);
    j.prog.cells_total = sw->ncells;
    j.prog.runs_total = ntasks;
    for (size_t c = 0; c < sw->ncells && s == RV_OK; c++) {
        rvo_cell *cell = &sw->cells[c];
        int loaded = 0;
        if (ckpt_dir)
            s = rvo_checkpoint_load(ckpt_dir, &sw->cfg, cell, &loaded, err);
        if (!loaded)
            cell->done = 0;
        for (size_t r = 0; r < seeds && s == RV_OK; r++) {
            cost[c * seeds + r] = run_cost(&sw->cfg, cell);
            done[c * seeds + r] = (unsigned char)loaded;
        }
        if (loaded) {
            j.prog.cells_done++;
            j.prog.cells_loaded++;
            j.prog.runs_done += seeds;
            j.prog.runs_loaded += seeds;
        }
    }
    rv_dist_job job = {.ntasks = ntasks, .cost = cost, .done = done, .work = work,
                       .collect = collect, .ctx = &j};
    if (s == RV_OK) {
        if (progress)
            progress(&j.prog, ctx);
        s = rv_dist_run(&job, jobs, &sw->dist, err);
    } else if (rv_dist_size() > 1) {
        join_idle(&job, jobs); /* the other ranks must not wait for this one forever */
    }
    free(cost);
    free(done);
    sw->seconds = rvo_now() - j.t0;
    sw->jobs = jobs;
    sw->threads_per_run = k.threads;
    return s;
}
