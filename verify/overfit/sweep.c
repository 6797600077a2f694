/* sweep.c - cells, seeds, streams, the worker pool and checkpoints. */
#include "sweep.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "checkpoint.h"

rv_status rvo_sweep_cfg_validate(const rvo_sweep_cfg *c, rv_error *err)
{
    if (c->n < 2 || c->n > 100000)
        return rv_fail(err, RV_ERR_OPTS, "n = %zu: must be 2..100000", c->n);
    if (c->n2 < 2 * c->n || c->n2 > 100000)
        return rv_fail(err, RV_ERR_OPTS, "n2 = %zu: must be at least 2n = %zu and <= 100000",
                       c->n2, 2 * c->n);
    if (c->nd < 3 || c->nd > RVO_MAX_GRID)
        return rv_fail(err, RV_ERR_OPTS, "the d grid has %zu values: need 3..%d (1, some "
                       "intermediate d, d_high)", c->nd, RVO_MAX_GRID);
    if (c->d[0] != 1)
        return rv_fail(err, RV_ERR_OPTS, "the d grid must start at 1 (got %zu)", c->d[0]);
    for (size_t i = 1; i < c->nd; i++)
        if (c->d[i] <= c->d[i - 1] || c->d[i] > 1000000)
            return rv_fail(err, RV_ERR_OPTS, "the d grid must increase strictly and stay <= "
                           "10^6 (d=%zu after %zu)", c->d[i], c->d[i - 1]);
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

rv_status rvo_sweep_create(rvo_sweep **out, const rvo_sweep_cfg *cfg, rv_error *err)
{
    *out = NULL;
    rv_status s = rvo_sweep_cfg_validate(cfg, err);
    if (s != RV_OK)
        return s;
    rvo_sweep *sw = calloc(1, sizeof *sw);
    size_t max = cfg->np * (cfg->nd + 2);
    if (sw)
        sw->cells = calloc(max, sizeof *sw->cells);
    if (!sw || !sw->cells) {
        rvo_sweep_free(sw);
        return rv_fail(err, RV_ERR_NOMEM, "out of memory for the sweep");
    }
    sw->cfg = *cfg;
    size_t d_high = cfg->d[cfg->nd - 1];
    /* The slow cells first (d = 1 at both n), so the pool's tail is short. */
    for (size_t i = 0; i < cfg->np; i++)
        sw->cells[sw->ncells++] =
            (rvo_cell){.kind = RVO_CELL_LARGE_N, .d = 1, .n = cfg->n2, .p = cfg->p[i], .bias = 1};
    for (size_t k = 0; k < cfg->nd; k++)
        for (size_t i = 0; i < cfg->np; i++)
            sw->cells[sw->ncells++] = (rvo_cell){.kind = RVO_CELL_CURVE, .d = cfg->d[k],
                                                 .n = cfg->n, .p = cfg->p[i], .bias = 1};
    for (size_t i = 0; i < cfg->np; i++)
        sw->cells[sw->ncells++] = (rvo_cell){.kind = RVO_CELL_NOBIAS, .d = d_high, .n = cfg->n,
                                             .p = cfg->p[i], .bias = 0};
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
        if (x->d == d && x->n == n && fabs(x->p - p) < 1e-12 && x->bias == (bias != 0))
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

rv_status rvo_run_one(const rvo_sweep_cfg *cfg, const rvo_cell *c, size_t s, int threads,
                      rvo_run_result *out, rv_error *err)
{
    *out = (rvo_run_result){.seed = s, .nn_error = NAN};
    out->data_stream = stream(cfg, TAG_DATA, c->d, s);
    out->init_stream = stream(cfg, TAG_INIT, c->d, s);
    out->test_stream = stream(cfg, TAG_TEST, c->d, s);
    rvo_data data;
    rv_status st = rvo_data_make(&data, c->n, c->d, c->p, out->data_stream, err);
    if (st != RV_OK)
        return st;
    out->flips = data.flips;
    rvo_net *net = NULL;
    st = rvo_net_create(&net, c->n, c->d, cfg->width, c->bias, cfg->test_n, threads,
                        RV_EFFORT_ESTIMATE, err);
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

/* The pool's shared state. */
typedef struct pool {
    rvo_sweep *sw;
    const char *ckpt;
    int threads;
    size_t *todo;        /* cell index * seeds + seed, in order */
    size_t ntodo, next;
    rvo_progress prog;
    double t0;
    rv_status status;
    rv_error error;
    rvo_progress_fn cb;
    void *ctx;
    pthread_mutex_t lock;
} pool;

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static void *worker(void *arg)
{
    pool *pl = arg;
    size_t seeds = pl->sw->cfg.seeds;
    for (;;) {
        pthread_mutex_lock(&pl->lock);
        int stop = pl->status != RV_OK || pl->next == pl->ntodo;
        size_t job = stop ? 0 : pl->todo[pl->next++];
        pthread_mutex_unlock(&pl->lock);
        if (stop)
            return NULL;
        rvo_cell *c = &pl->sw->cells[job / seeds];
        rvo_run_result r;
        rv_error e = {0};
        rv_status s = rvo_run_one(&pl->sw->cfg, c, job % seeds, pl->threads, &r, &e);
        pthread_mutex_lock(&pl->lock);
        if (s == RV_OK) {
            c->runs[job % seeds] = r;
            pl->prog.runs_done++;
            if (++c->done == c->seeds) {
                pl->prog.cells_done++;
                if (pl->ckpt)
                    s = rvo_checkpoint_save(pl->ckpt, &pl->sw->cfg, c, &e);
            }
        }
        if (s != RV_OK && pl->status == RV_OK) {
            pl->status = s;
            pl->error = e;
            rv_fail(&pl->error, s, "d=%zu n=%zu p=%g %s seed %zu: %s", c->d, c->n, c->p,
                    c->bias ? "biased" : "bias-free", job % seeds, e.msg);
        }
        pl->prog.elapsed = now_s() - pl->t0;
        if (pl->cb && s == RV_OK)
            pl->cb(&pl->prog, pl->ctx);
        pthread_mutex_unlock(&pl->lock);
    }
}

rv_status rvo_sweep_run(rvo_sweep *sw, int jobs, int threads_per_run, const char *ckpt_dir,
                        rvo_progress_fn progress, void *ctx, rv_error *err)
{
    if (jobs < 1 || jobs > 1024 || threads_per_run < 0 || threads_per_run > RV_MAX_THREADS)
        return rv_fail(err, RV_ERR_OPTS, "jobs = %d, threads per run = %d: need 1..1024, "
                       "0..%d", jobs, threads_per_run, RV_MAX_THREADS);
    pool pl = {.sw = sw, .ckpt = ckpt_dir, .threads = threads_per_run, .cb = progress,
               .ctx = ctx, .t0 = now_s()};
    size_t seeds = sw->cfg.seeds;
    pl.todo = malloc(sw->ncells * seeds * sizeof *pl.todo);
    if (!pl.todo)
        return rv_fail(err, RV_ERR_NOMEM, "out of memory for the run list");
    pl.prog.cells_total = sw->ncells;
    pl.prog.runs_total = sw->ncells * seeds;
    rv_status s = RV_OK;
    for (size_t c = 0; c < sw->ncells && s == RV_OK; c++) {
        rvo_cell *cell = &sw->cells[c];
        int loaded = 0;
        if (ckpt_dir)
            s = rvo_checkpoint_load(ckpt_dir, &sw->cfg, cell, &loaded, err);
        if (loaded) {
            pl.prog.cells_done++;
            pl.prog.cells_loaded++;
            pl.prog.runs_done += seeds;
            pl.prog.runs_loaded += seeds;
            continue;
        }
        cell->done = 0;
        for (size_t r = 0; r < seeds; r++)
            pl.todo[pl.ntodo++] = c * seeds + r;
    }
    if (s != RV_OK) {
        free(pl.todo);
        return s;
    }
    if (progress)
        progress(&pl.prog, ctx);
    pthread_mutex_init(&pl.lock, NULL);
    int nthreads = (size_t)jobs < pl.ntodo ? jobs : (int)pl.ntodo;
    pthread_t *tids = calloc((size_t)(nthreads ? nthreads : 1), sizeof *tids);
    int started = 0;
    if (!tids) {
        s = rv_fail(err, RV_ERR_NOMEM, "out of memory for the worker threads");
    } else {
        for (; started < nthreads; started++)
            if (pthread_create(&tids[started], NULL, worker, &pl) != 0)
                break;
        if (started == 0 && nthreads > 0)
            worker(&pl); /* no thread could start: run them here */
        for (int i = 0; i < started; i++)
            pthread_join(tids[i], NULL);
    }
    free(tids);
    pthread_mutex_destroy(&pl.lock);
    free(pl.todo);
    sw->seconds = now_s() - pl.t0;
    sw->jobs = jobs;
    sw->threads_per_run = threads_per_run;
    if (s == RV_OK && pl.status != RV_OK) {
        if (err)
            *err = pl.error;
        s = pl.status;
    }
    return s;
}
