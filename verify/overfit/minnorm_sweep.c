/* minnorm_sweep.c - the min-norm interpolator over (n, p) x seeds and its
 * verdict (see minnorm_sweep.h). */
#include "minnorm_sweep.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "minnorm.h"
#include "stats.h"
#include "sweep.h"

rv_status rvo_mn_cfg_validate(const rvo_mn_cfg *c, rv_error *err)
{
    if (c->nn < 2 || c->nn > RVO_MN_MAX_GRID)
        return rv_fail(err, RV_ERR_OPTS, "the n grid has %zu values: need 2..%d", c->nn,
                       RVO_MN_MAX_GRID);
    for (size_t i = 0; i < c->nn; i++)
        if (c->n[i] < 2 || c->n[i] > 1000000 || (i && c->n[i] <= c->n[i - 1]))
            return rv_fail(err, RV_ERR_OPTS, "the n grid must increase strictly within "
                           "2..10^6 (n=%zu)", c->n[i]);
    if (c->np < 2 || c->np > RVO_MN_MAX_GRID)
        return rv_fail(err, RV_ERR_OPTS, "the p grid has %zu values: need 2..%d", c->np,
                       RVO_MN_MAX_GRID);
    for (size_t j = 0; j < c->np; j++)
        if (!(c->p[j] > 0 && c->p[j] < 0.5) || (j && c->p[j] <= c->p[j - 1]))
            return rv_fail(err, RV_ERR_OPTS, "the p grid must increase strictly within (0, 0.5) "
                           "(p=%g)", c->p[j]);
    if (c->seeds < 2 || c->seeds > 1000)
        return rv_fail(err, RV_ERR_OPTS, "seeds = %zu: must be 2..1000", c->seeds);
    if (c->test_n < 1000 || c->test_n > 10000000)
        return rv_fail(err, RV_ERR_OPTS, "test points = %zu: must be 10^3..10^7", c->test_n);
    if (!(c->alpha > 0 && c->alpha < 0.5))
        return rv_fail(err, RV_ERR_OPTS, "alpha = %g: must be in (0, 0.5)", c->alpha);
    return RV_OK;
}

const rvo_mn_run *rvo_mn_at(const rvo_mn_sweep *sw, size_t i, size_t j, size_t s)
{
    const rvo_mn_cfg *c = &sw->cfg;
    return &sw->runs[(i * c->np + j) * c->seeds + s];
}

void rvo_mn_sweep_free(rvo_mn_sweep *sw)
{
    if (!sw)
        return;
    free(sw->runs);
    free(sw);
}

static rv_status one_run(const rvo_mn_cfg *c, size_t n, double p, size_t s, rvo_mn_run *r,
                         rv_error *err)
{
    rvo_sweep_cfg streams_of = {.master_seed = c->master_seed};
    uint64_t st[3];
    rvo_run_streams(&streams_of, 1, s, st);
    *r = (rvo_mn_run){.n = n, .seed = s, .p = p, .data_stream = st[0], .test_stream = st[2]};
    double t0 = rvo_now();
    rvo_data d;
    rv_status e = rvo_data_make(&d, n, 1, p, st[0], 0, err);
    if (e != RV_OK)
        return e;
    r->flips = d.flips;
    rvo_minnorm m;
    e = rvo_minnorm_solve(d.X, d.y, n, &m, err);
    if (e == RV_OK) {
        r->lower = m.lower;
        r->upper = m.upper;
        r->gap = m.gap;
        r->kinks = m.nkinks;
        r->rounds = m.rounds;
        r->clean_error = rvo_minnorm_clean_error(&m);
        rvo_minnorm_free(&m);
        e = rvo_nn_clean_error(&d, st[2], c->test_n, &r->nn_error, err);
    }
    rvo_data_free(&d);
    r->seconds = rvo_now() - t0;
    return e;
}

rv_status rvo_mn_sweep_run(const rvo_mn_cfg *cfg, void (*progress)(size_t, size_t, void *),
                           void *ctx, rvo_mn_sweep **out, rv_error *err)
{
    *out = NULL;
    rv_status s = rvo_mn_cfg_validate(cfg, err);
    if (s != RV_OK)
        return s;
    size_t total = cfg->nn * cfg->np * cfg->seeds;
    rvo_mn_sweep *sw = calloc(1, sizeof *sw);
    if (sw)
        sw->runs = calloc(total, sizeof *sw->runs);
    if (!sw || !sw->runs) {
        rvo_mn_sweep_free(sw);
        return rv_fail(err, RV_ERR_NOMEM, "out of memory for %zu runs", total);
    }
    sw->cfg = *cfg;
    double t0 = rvo_now();
    size_t k = 0;
    for (size_t i = 0; i < cfg->nn; i++)
        for (size_t j = 0; j < cfg->np; j++)
            for (size_t q = 0; q < cfg->seeds; q++, k++) {
                rv_error e = {0};
                if (one_run(cfg, cfg->n[i], cfg->p[j], q, &sw->runs[k], &e) != RV_OK) {
                    rvo_mn_sweep_free(sw);
                    return rv_fail(err, e.code, "n=%zu p=%g seed %zu: %s", cfg->n[i],
                                   cfg->p[j], q, e.msg);
                }
                if (progress)
                    progress(k + 1, total, ctx);
            }
    sw->seconds = rvo_now() - t0;
    *out = sw;
    return RV_OK;
}

void rvo_mn_judge(const rvo_mn_sweep *sw, rvo_mn_verdict *v)
{
    const rvo_mn_cfg *c = &sw->cfg;
    size_t S = c->seeds, last = c->nn - 1, K = c->nn * S;
    double *e = malloc(K * sizeof *e), *logn = malloc(K * sizeof *logn);
    double *blocks = malloc(S * c->np * sizeof *blocks);
    size_t at = 0;
    v->passed = 1;
    v->text[0] = 0;
    if (!e || !logn || !blocks) {
        v->passed = 0;
        snprintf(v->text, sizeof v->text, "out of memory judging the verdict\n");
        goto done;
    }
    for (size_t j = 0; j < c->np; j++) {
        double p = c->p[j];
        for (size_t i = 0, k = 0; i < c->nn; i++)
            for (size_t s = 0; s < S; s++, k++) {
                e[k] = rvo_mn_at(sw, i, j, s)->clean_error;
                logn[k] = log((double)c->n[i]);
            }
        rvo_interval ci = rvo_ci_t(e + last * S, S, c->alpha);
        double rho, p_fall;
        for (size_t k = 0; k < K; k++)
            e[k] = -e[k]; /* a fall in E is a rise in -E */
        rvo_spearman(logn, e, K, &rho, &p_fall);
        int ok = ci.lo > p / 10 && p_fall >= c->alpha;
        v->passed &= ok;
        at += (size_t)snprintf(v->text + at, sizeof v->text - at,
                               "p=%g: E(n=%zu)=%.4f CI [%.4f, %.4f] (need lo > p/10 = %.4f); "
                               "Spearman rho(log n, E)=%.3f over %zu runs, one-sided p of a "
                               "fall %.3g (need >= %g) -> %s\n",
                               p, c->n[last], ci.mean, ci.lo, ci.hi, p / 10, -rho, K, p_fall,
                               c->alpha, ok ? "ok" : "FAIL");
        if (at >= sizeof v->text)
            at = sizeof v->text - 1;
    }
    for (size_t s = 0; s < S; s++)
        for (size_t j = 0; j < c->np; j++)
            blocks[s * c->np + j] = rvo_mn_at(sw, last, j, s)->clean_error;
    double mean_rho, p_up = rvo_page_trend(blocks, S, c->np, &mean_rho);
    int ok = p_up < c->alpha;
    v->passed &= ok;
    snprintf(v->text + at, sizeof v->text - at,
             "increase with p at n=%zu: Page trend test within %zu seeds (mean rank correlation "
             "%.3f), one-sided p=%.3g (need < %g) -> %s\n",
             c->n[last], S, mean_rho, p_up, c->alpha, ok ? "ok" : "FAIL");
done:
    free(e);
    free(logn);
    free(blocks);
}

rv_status rvo_mn_cell_check(const struct rvo_cell *c, rvo_mn_cell *out, rv_error *err)
{
    *out = (rvo_mn_cell){.runs = c->seeds, .gd_error = NAN, .ratio_min = NAN,
                         .ratio_median = NAN, .ratio_max = NAN};
    if (c->d != 1)
        return rv_fail(err, RV_ERR_OPTS, "the min-norm check needs a cell at d = 1 (d=%zu)",
                       c->d);
    double *ratio = malloc((c->seeds ? c->seeds : 1) * sizeof *ratio), gd = 0;
    if (!ratio)
        return rv_fail(err, RV_ERR_NOMEM, "out of memory checking a cell");
    size_t gd_k = 0;
    rv_status s = RV_OK;
    for (size_t r = 0; r < c->seeds && s == RV_OK; r++) {
        const rvo_run_result *run = &c->runs[r];
        rvo_data d;
        if ((s = rvo_data_make(&d, c->n, 1, c->p, run->data_stream, 0, err)) != RV_OK)
            break;
        rvo_minnorm m;
        rv_error e = {0};
        s = rvo_minnorm_solve(d.X, d.y, d.n, &m, &e);
        rvo_data_free(&d);
        if (s != RV_OK) {
            s = rv_fail(err, s, "min-norm at n=%zu p=%g seed %zu: %s", c->n, c->p, r, e.msg);
            break;
        }
        out->mn_error += rvo_minnorm_clean_error(&m) / (double)c->seeds;
        out->nn_error += run->nn_error / (double)c->seeds;
        out->gap_max = fmax(out->gap_max, m.gap);
        if (run->train.interpolated) {
            gd += run->clean_error;
            gd_k++;
            double nm = run->train.norm_margin;
            if (nm > 0 && isfinite(nm)) {
                double cost = 1 / (2 * nm);
                ratio[out->compared++] = cost / m.upper;
                out->below += cost < m.lower * (1 - 1e-9);
            }
        }
        rvo_minnorm_free(&m);
    }
    if (s == RV_OK) {
        if (gd_k)
            out->gd_error = gd / (double)gd_k;
        if (out->compared) {
            rvo_sort(ratio, out->compared);
            size_t k = out->compared;
            out->ratio_min = ratio[0];
            out->ratio_max = ratio[k - 1];
            out->ratio_median = k % 2 ? ratio[k / 2] : (ratio[k / 2 - 1] + ratio[k / 2]) / 2;
        }
    }
    free(ratio);
    return s;
}
