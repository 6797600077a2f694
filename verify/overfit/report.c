/* report.c - results.json, report.md and the figures. */
#include "report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "checkpoint.h"
#include "minnorm_sweep.h"
#include "gnuplot.h"
#include "profiles.h"
#include "reluvet/fileio.h"
#include "stats.h"
#include "text.h"

static rv_status save(const char *dir, const char *name, rv_text *t, rv_error *err)
{
    if (t->oom || !t->s)
        return rv_fail(err, RV_ERR_NOMEM, "out of memory writing %s", name);
    char path[4200];
    if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path)
        return rv_fail(err, RV_ERR_IO, "path too long: %s/%s", dir, name);
    return rv_write_file_atomic(path, t->s, t->len, err);
}

static void put_list_z(rv_text *t, const size_t *x, size_t k)
{
    for (size_t i = 0; i < k; i++)
        rv_text_printf(t, "%s%zu", i ? "," : "", x[i]);
}

static void put_list_g(rv_text *t, const double *x, size_t k)
{
    for (size_t i = 0; i < k; i++)
        rv_text_printf(t, "%s%g", i ? "," : "", x[i]);
}

char *rvo_settings_line(const rvo_sweep_cfg *c, char *buf, size_t cap)
{
    rv_text t = {0};
    rv_text_printf(&t, "n=%zu (and n=%zu at d=1), d=", c->n, c->n_small);
    put_list_z(&t, c->d, c->nd);
    rv_text_printf(&t, ", p=");
    put_list_g(&t, c->p, c->np);
    rv_text_printf(&t, ", %zu seeds, width m=%zu, %zu test points, trainer %s (hinge to margin %g, "
                       "step %g, <= %ld steps, then logistic step %g for <= %ld steps, margin "
                       "checked every %ld, rtol %g), init w=%g v=%g/sqrt(m), master seed %llu, f64, "
                       "form %s",
                   c->seeds, c->width, c->test_n, rvo_trainer_name(c->train.trainer),
                   c->train.hinge_target, c->train.lr_hinge,
                   c->train.hinge_steps, c->train.lr_logistic, c->train.logistic_steps,
                   c->train.check_every, c->train.margin_rtol, c->init_w, c->init_v,
                   (unsigned long long)c->master_seed, rvo_form_name(c->form));
    snprintf(buf, cap, "%s", t.s ? t.s : "(out of memory)");
    rv_text_free(&t);
    return buf;
}

/* The threads each run's plans could use (0 in the sweep means all). */
static int run_threads(const rvo_sweep *sw)
{
    return sw->threads_per_run ? sw->threads_per_run : rv_usable_cores();
}

/* Summary of one cell over its interpolating runs. */
typedef struct summary {
    size_t interp;
    rvo_interval ci;
    double nn, flips, hinge, logistic, steps, seconds;
} summary;

static summary summarise(const rvo_sweep *sw, const rvo_cell *c, double alpha)
{
    summary s = {0};
    double *e = malloc(c->seeds * sizeof *e);
    size_t k = 0;
    for (size_t r = 0; r < c->seeds; r++) {
        const rvo_run_result *x = &c->runs[r];
        s.flips += (double)x->flips / (double)c->seeds;
        s.nn += x->nn_error / (double)c->seeds;
        s.steps += (double)(x->train.hinge_steps + x->train.logistic_steps);
        s.seconds += x->train.seconds;
        if (!x->train.interpolated)
            continue;
        s.hinge += (double)x->train.hinge_steps;
        s.logistic += (double)x->train.logistic_steps;
        if (e)
            e[k++] = x->clean_error;
    }
    s.interp = k;
    s.ci = k ? rvo_ci_error(e, k, sw->cfg.test_n, alpha) : (rvo_interval){NAN, NAN, NAN};
    if (k) {
        s.hinge /= (double)k;
        s.logistic /= (double)k;
    }
    free(e);
    return s;
}

/* ---- the d = 1 cells against the min-norm optimum, computed once ---- */

typedef struct mn_check {
    int done;          /* a d = 1 cell, checked */
    rv_status status;
    rvo_mn_cell m;
    char msg[200];     /* the solver's error when status != RV_OK */
} mn_check;

/* One entry per cell (zeroed for cells not at d = 1); NULL if out of memory. */
static mn_check *check_d1_cells(const rvo_sweep *sw)
{
    mn_check *mc = calloc(sw->ncells ? sw->ncells : 1, sizeof *mc);
    for (size_t c = 0; mc && c < sw->ncells; c++) {
        if (sw->cells[c].d != 1)
            continue;
        rv_error err = {0};
        mc[c].done = 1;
        mc[c].status = rvo_mn_cell_check(&sw->cells[c], &mc[c].m, &err);
        snprintf(mc[c].msg, sizeof mc[c].msg, "%s", err.msg);
    }
    return mc;
}

/* ---- results.json: provenance, config, per-cell summaries ---- */

static const char *or_unknown(const char *s)
{
    return s && *s ? s : "unknown";
}

/* Who made the results, with what, where and when (schema 2). */
static cJSON *provenance_json(const rvo_report_meta *meta)
{
    cJSON *p = cJSON_CreateObject();
    char host[256] = "", date[32] = "";
    if (gethostname(host, sizeof host) != 0)
        host[0] = 0;
    host[sizeof host - 1] = 0;
    time_t now = time(NULL);
    struct tm tm;
    if (gmtime_r(&now, &tm))
        strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", &tm);
    const rv_fingerprint *fp = meta->fp;
    cJSON_AddStringToObject(p, "reluvet_version", or_unknown(meta->version));
    cJSON_AddStringToObject(p, "git_commit", or_unknown(meta->commit));
    cJSON_AddStringToObject(p, "kernel_set", or_unknown(fp ? fp->kernel_set : NULL));
    cJSON_AddStringToObject(p, "date_utc", or_unknown(date));
    cJSON_AddStringToObject(p, "host", or_unknown(host));
    cJSON_AddStringToObject(p, "cpu_model", or_unknown(fp ? fp->cpu_model : NULL));
    cJSON_AddNumberToObject(p, "usable_cores", fp ? fp->usable_cores : 0);
    cJSON_AddStringToObject(p, "blis_version", or_unknown(fp ? fp->blis_version : NULL));
    cJSON_AddStringToObject(p, "blis_kernel_set", or_unknown(fp ? fp->blis_kernel_set : NULL));
    cJSON_AddStringToObject(p, "compiler", or_unknown(fp ? fp->compiler : NULL));
    cJSON_AddStringToObject(p, "cflags", or_unknown(fp ? fp->cflags : NULL));
    cJSON_AddStringToObject(p, "cjson_version", cJSON_Version());
    return p;
}

static cJSON *doubles_json(const double *x, size_t k)
{
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; i < k; i++)
        cJSON_AddItemToArray(a, cJSON_CreateNumber(x[i]));
    return a;
}

/* The settings as fields (settings holds the same as one line of prose). */
static cJSON *config_json(const rvo_sweep_cfg *c)
{
    cJSON *o = cJSON_CreateObject(), *d = cJSON_CreateArray();
    char seed[24];
    cJSON_AddNumberToObject(o, "n", (double)c->n);
    cJSON_AddNumberToObject(o, "n_small", (double)c->n_small);
    for (size_t i = 0; i < c->nd; i++)
        cJSON_AddItemToArray(d, cJSON_CreateNumber((double)c->d[i]));
    cJSON_AddItemToObject(o, "d", d);
    cJSON_AddItemToObject(o, "p", doubles_json(c->p, c->np));
    cJSON_AddNumberToObject(o, "seeds", (double)c->seeds);
    cJSON_AddNumberToObject(o, "width", (double)c->width);
    cJSON_AddNumberToObject(o, "test_points", (double)c->test_n);
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)c->master_seed);
    cJSON_AddStringToObject(o, "master_seed", seed); /* a string: 64 bits exceed a double */
    rvo_train_settings_json(o, c);
    cJSON_AddStringToObject(o, "form", rvo_form_name(c->form));
    return o;
}

/* A cell's numbers as the report's table of all cells prints them. */
static cJSON *summary_json(const rvo_sweep *sw, const rvo_cell *c, double alpha,
                           const mn_check *mc)
{
    summary s = summarise(sw, c, alpha);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "runs", (double)c->seeds);
    cJSON_AddNumberToObject(o, "interpolated", (double)s.interp);
    if (s.interp) {
        cJSON_AddNumberToObject(o, "clean_error_mean", s.ci.mean);
        cJSON_AddNumberToObject(o, "clean_error_ci_lo", s.ci.lo);
        cJSON_AddNumberToObject(o, "clean_error_ci_hi", s.ci.hi);
        cJSON_AddNumberToObject(o, "ci_level", 1 - alpha);
        cJSON_AddNumberToObject(o, "noisy_error_mean", c->p + (1 - 2 * c->p) * s.ci.mean);
    } else {
        cJSON_AddNullToObject(o, "clean_error_mean");
    }
    cJSON_AddNumberToObject(o, "flips_mean", s.flips);
    if (mc->done && mc->status == RV_OK) {
        const rvo_mn_cell m = mc->m;
        cJSON *x = cJSON_AddObjectToObject(o, "minnorm");
        cJSON_AddNumberToObject(x, "clean_error_mean", m.mn_error);
        cJSON_AddNumberToObject(x, "nn_error_mean", m.nn_error);
        cJSON_AddNumberToObject(x, "gd_nets_compared", (double)m.compared);
        if (m.compared) {
            cJSON_AddNumberToObject(x, "gd_cost_over_opt_min", m.ratio_min);
            cJSON_AddNumberToObject(x, "gd_cost_over_opt_median", m.ratio_median);
            cJSON_AddNumberToObject(x, "gd_cost_over_opt_max", m.ratio_max);
        }
        cJSON_AddNumberToObject(x, "gd_nets_below_opt", (double)m.below);
        cJSON_AddNumberToObject(x, "duality_gap_max", m.gap_max);
    } else if (mc->done) {
        cJSON_AddStringToObject(o, "minnorm_error", mc->msg);
    }
    return o;
}

static rv_status write_json(const char *dir, const rvo_sweep *sw,
                            const rvo_verdict v[RVO_VERDICTS], const rvo_report_meta *meta,
                            const mn_check *mc, rv_error *err)
{
    cJSON *o = cJSON_CreateObject();
    char line[1024];
    cJSON_AddNumberToObject(o, "schema_version", RVO_RESULTS_SCHEMA);
    cJSON_AddStringToObject(o, "tool", "reluvet overfit");
    cJSON_AddItemToObject(o, "provenance", provenance_json(meta));
    cJSON_AddItemToObject(o, "config", config_json(&sw->cfg));
    cJSON_AddStringToObject(o, "profile", meta->profile);
    cJSON_AddStringToObject(o, "command", meta->command);
    cJSON_AddStringToObject(o, "settings", rvo_settings_line(&sw->cfg, line, sizeof line));
    cJSON_AddNumberToObject(o, "alpha", meta->alpha);
    cJSON_AddNumberToObject(o, "jobs", sw->jobs);
    cJSON_AddNumberToObject(o, "threads_per_run", sw->threads_per_run);
    cJSON_AddStringToObject(o, "kernels", meta->kernels ? meta->kernels : "");
    cJSON_AddNumberToObject(o, "wall_seconds", sw->seconds);
    cJSON *vs = cJSON_AddArrayToObject(o, "verdicts");
    int all = 1;
    for (int i = 0; i < RVO_VERDICTS; i++) {
        cJSON *x = cJSON_CreateObject();
        cJSON_AddStringToObject(x, "name", v[i].name);
        cJSON_AddBoolToObject(x, "passed", v[i].passed);
        cJSON_AddStringToObject(x, "status", rvo_verdict_status(&v[i]));
        cJSON_AddStringToObject(x, "numbers", v[i].text);
        cJSON_AddItemToArray(vs, x);
        all &= v[i].passed;
    }
    cJSON_AddBoolToObject(o, "passed", all);
    cJSON *cells = cJSON_AddArrayToObject(o, "cells");
    for (size_t c = 0; c < sw->ncells; c++) {
        cJSON *x = rvo_cell_json(&sw->cfg, &sw->cells[c]);
        cJSON_AddBoolToObject(x, "from_checkpoint", sw->cells[c].from_checkpoint);
        cJSON_AddItemToObject(x, "summary", summary_json(sw, &sw->cells[c], meta->alpha, &mc[c]));
        cJSON_AddItemToArray(cells, x);
    }
    char *s = cJSON_Print(o);
    cJSON_Delete(o);
    if (!s)
        return rv_fail(err, RV_ERR_NOMEM, "out of memory writing results.json");
    rv_text t = {.s = s, .len = strlen(s), .cap = strlen(s) + 1};
    rv_status st = save(dir, "results.json", &t, err);
    cJSON_free(s);
    return st;
}

/* The verdicts' own one-line statements, for the "asserted" section. */
static const char *const asserted[RVO_VERDICTS] = {
    "d = 1, every p: all runs at n_small and n >= 2 n_small interpolate; 95% CI of the mean "
    "clean error at n (the sharper estimate) above p/10 and below 1/2; mean at n >= half the "
    "mean at n_small; and the error at n increases with p (Page's trend test within seeds at level alpha: a seed has the same inputs at "
    "every p and its flips are nested in p; or disjoint CIs at the smallest and largest p).",
    "d_high (the last d, chosen >= n^2 log n), every p <= 0.3: all runs interpolate and the "
    "upper 95% CI bound of the mean clean error is <= 0.01.",
    "every p: the error at d_high is below the error at d = 1 and below the peak over the "
    "intermediate d (Welch one-sided tests), and it falls from the peak to d_high (Spearman "
    "rho(log d, error) < 0 over the runs from d_peak to d_high). The curve over d is not "
    "assumed monotone: at small n it rises from d = 1 to a peak before it falls.",
    "d_high, same data and seeds, every p: bias-free error above the biased error (paired "
    "t-test), and bias-free mean error >= 0.1 for p >= 0.1. Whether it looks catastrophic or "
    "tempered is reported, not asserted.",
};

static void md_cell_row(rv_text *t, const rvo_sweep *sw, const rvo_cell *c, double alpha)
{
    summary s = summarise(sw, c, alpha);
    rv_text_printf(t, "| %zu | %zu | %s | %s | %.3g | %zu/%zu |", c->d, c->n,
                   c->bias ? "yes" : "no", rvo_form_name(c->form), c->p, s.interp, c->seeds);
    if (s.interp)
        rv_text_printf(t, " %.4f | [%.4f, %.4f] | %.4f |", s.ci.mean, s.ci.lo, s.ci.hi,
                       c->p + (1 - 2 * c->p) * s.ci.mean);
    else
        rv_text_printf(t, " did not interpolate | | |");
    if (c->d == 1)
        rv_text_printf(t, " %.4f |", s.nn);
    else
        rv_text_printf(t, " |");
    rv_text_printf(t, " %.2f | %.0f | %.0f | %.3g |%s\n", s.flips, s.hinge, s.logistic,
                   s.seconds > 0 ? s.steps / s.seconds : 0, c->from_checkpoint ? " resumed" : "");
}

/* d = 1: the GD nets against the exact min-norm interpolator on the same
 * draws (minnorm_sweep.h). */
static void md_minnorm(rv_text *t, const rvo_sweep *sw, const mn_check *mc)
{
    rv_text_printf(t, "\n## d = 1: GD nets against the exact min-norm interpolator\n\n"
                      "On each run's own draw: the global minimiser of ||theta||^2 / 2 subject to "
                      "y_i N(x_i) >= 1 (any width, free biases; COIN-OR CLP, certified by its "
                      "duality gap), its exact clean error, and each GD net's cost "
                      "||theta||^2 / (2 min margin) = 1 / (2 normalised margin) over that "
                      "optimum, which 2-homogeneity keeps >= 1 (1: the GD net is a global "
                      "min-norm solution). `reluvet minnorm` runs it at n = 100 .. 10^4.\n\n"
                      "| n | p | E (GD) | E (min-norm) | 1-NN | GD cost / OPT (min / median / "
                      "max) | GD nets below OPT | duality gap (max) |\n"
                      "|---|---|---|---|---|---|---|---|\n");
    for (size_t c = 0; c < sw->ncells; c++) {
        const rvo_cell *x = &sw->cells[c];
        if (!mc[c].done)
            continue;
        if (mc[c].status != RV_OK) {
            rv_text_printf(t, "| %zu | %.3g | %s |\n", x->n, x->p, mc[c].msg);
            continue;
        }
        const rvo_mn_cell m = mc[c].m;
        rv_text_printf(t, "| %zu | %.3g | %.4f | %.4f | %.4f | %.3g / %.3g / %.3g | %zu of %zu%s "
                          "| %.1e |\n",
                       x->n, x->p, m.gd_error, m.mn_error, m.nn_error, m.ratio_min,
                       m.ratio_median, m.ratio_max, m.below, m.compared,
                       m.below ? " (**a wrong solver or net**)" : "", m.gap_max);
    }
}

static rv_status write_md(const char *dir, const rvo_sweep *sw, const rvo_verdict v[RVO_VERDICTS],
                          const rvo_report_meta *meta, const char *figures, const mn_check *mc,
                          rv_error *err)
{
    const rvo_sweep_cfg *cfg = &sw->cfg;
    double alpha = meta->alpha;
    rv_text t = {0};
    char line[1024];
    int all = 1;
    for (int i = 0; i < RVO_VERDICTS; i++)
        all &= v[i].passed;
    rv_text_printf(&t, "# Overfitting of 2-layer ReLU nets: tempered to benign\n\n");
    rv_text_printf(&t, "Reproduces Kornowski, Yehudai, Shamir (NeurIPS 2023) as pass/fail "
                       "verdicts.\n\n");
    rv_text_printf(&t, "- command: `%s`\n- profile: %s\n- settings: %s\n", meta->command,
                   meta->profile, rvo_settings_line(cfg, line, sizeof line));
    rv_text_printf(&t, "- schedule: %d concurrent runs, %d thread(s) per run; wall time %.1f s\n",
                   sw->jobs, run_threads(sw), sw->seconds);
    if (meta->kernels)
        rv_text_printf(&t, "- kernels: %s\n", meta->kernels);
    rv_text_printf(&t, "- tests one-sided at alpha = %g; intervals 95%% (hull of Student t over "
                       "seeds and Clopper-Pearson on the pooled test points)\n\n", alpha);
    rv_text_printf(&t, "## Verdicts: %s\n\n| verdict | result |\n|---|---|\n",
                   all ? "all PASSED" : "not all PASSED");
    for (int i = 0; i < RVO_VERDICTS; i++)
        rv_text_printf(&t, "| %s | %s |\n", v[i].name, rvo_verdict_status(&v[i]));
    rv_text_printf(&t, "\n### The numbers that decided them\n\n");
    for (int i = 0; i < RVO_VERDICTS; i++)
        rv_text_printf(&t, "**%s: %s**\n\nAsserted: %s\n\n```\n%s```\n\n", v[i].name,
                       rvo_verdict_status(&v[i]), asserted[i], v[i].text);

    rv_text_printf(&t, "## Procedure\n\nData: d = 1 uniform on [-1, 1], d > 1 uniform on the unit "
                       "sphere; clean label +1, each training label flipped with probability p "
                       "(flips nested in p, points nested in n: paired draws). Net N(x) = sum_j "
                       "v_j relu(w_j.x + b_j), all parameters trained (bias-free: b = 0, not "
                       "trained); init |w_j| = %g in a uniform direction, kinks through fresh data "
                       "points (b_j = -w_j.u_j), v_j = +-%g/sqrt(m). Training, the same for every "
                       "d: full-batch %s on the hinge loss until every margin >= %g, then on the "
                       "logistic loss until the normalised margin min y N(x) / ||theta||^2 stops "
                       "improving (relative gain < %g over %ld steps) or the budget ends. A run "
                       "whose training error is not 0 at the end did not interpolate: it is listed "
                       "below and never averaged in.\n\n",
                   cfg->init_w, cfg->init_v,
                   cfg->train.trainer == RVO_TRAIN_GD ? "gradient descent with a fixed step"
                                                      : "Adam (a contrast, not the reference)",
                   cfg->train.hinge_target, cfg->train.margin_rtol, cfg->train.check_every);
    rv_text_printf(&t, "Phase 2 returns the parameters of its best check with zero "
                       "training error.\n\n"
                       "Forms (requested: %s; each cell's is in the table of all cells): direct "
                       "trains W (m x d); subspace trains A in W = W0 + A X on the inputs "
                       "[X X^T | I_n], the same GD steps at O(n^2 m) a step, the same run to "
                       "rounding; reduced draws the data, W0, the kinks and the test points "
                       "exactly in law in n + m coordinates (Bartlett decomposition, a "
                       "chi-square for test points, a Beta law for the kinks) and trains in the "
                       "subspace form, so its cost does not grow with d. Reduced runs have the "
                       "same labels (flips) as direct ones of the same seed, and other "
                       "inputs. Every run's data, init and test streams are in results.json.\n\n"
                       "Why these settings (measured on this project's machine):\n\n%s\n",
                   rvo_form_name(cfg->form), rvo_design_notes);

    rv_text_printf(&t, "## Clean error over d (biased nets, n = %zu; * marks the peak over the "
                       "intermediate d)\n\n| d |", cfg->n);
    for (size_t i = 0; i < cfg->np; i++)
        rv_text_printf(&t, " p=%.3g |", cfg->p[i]);
    rv_text_printf(&t, "\n|---|");
    for (size_t i = 0; i < cfg->np; i++)
        rv_text_printf(&t, "---|");
    rv_text_printf(&t, "\n");
    for (size_t k = 0; k < cfg->nd; k++) {
        rv_text_printf(&t, "| %zu |", cfg->d[k]);
        for (size_t i = 0; i < cfg->np; i++) {
            double peak = -1;
            size_t kp = 1;
            for (size_t q = 1; q + 1 < cfg->nd; q++) {
                summary s = summarise(sw, rvo_sweep_find(sw, cfg->d[q], cfg->n, cfg->p[i], 1),
                                      alpha);
                if (s.interp && s.ci.mean > peak) {
                    peak = s.ci.mean;
                    kp = q;
                }
            }
            summary s = summarise(sw, rvo_sweep_find(sw, cfg->d[k], cfg->n, cfg->p[i], 1), alpha);
            rv_text_printf(&t, " %.4f [%.4f, %.4f]%s |", s.ci.mean, s.ci.lo, s.ci.hi,
                           k == kp ? " *" : "");
        }
        rv_text_printf(&t, "\n");
    }
    rv_text_printf(&t, "\n## All cells\n\nE: mean clean test error over the runs that "
                       "interpolated, with its 95%% CI; noisy: p + (1 - 2p) E; 1-NN: clean error "
                       "of the 1-nearest-neighbour rule on the same data (d = 1); steps: mean over "
                       "the interpolating runs; steps/s per run (1 thread each, f64).\n\n"
                       "| d | n | bias | form | p | interpolated | E | 95%% CI | noisy | 1-NN | "
                       "flips | hinge steps | logistic steps | steps/s |\n"
                       "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (size_t c = 0; c < sw->ncells; c++)
        md_cell_row(&t, sw, &sw->cells[c], alpha);

    md_minnorm(&t, sw, mc);

    rv_text_printf(&t, "\n## Runs that did not interpolate\n\n");
    size_t failed = 0, total = 0;
    for (size_t c = 0; c < sw->ncells; c++)
        for (size_t r = 0; r < sw->cells[c].seeds; r++) {
            const rvo_cell *x = &sw->cells[c];
            const rvo_run_result *run = &x->runs[r];
            total++;
            if (run->train.interpolated)
                continue;
            failed++;
            rv_text_printf(&t, "- d=%zu n=%zu p=%.3g %s (%s form) seed %zu: training error %.4f "
                               "after %ld hinge + %ld logistic steps (%zu flips)\n",
                           x->d, x->n, x->p, x->bias ? "biased" : "bias-free",
                           rvo_form_name(x->form), r,
                           run->train.train_error, run->train.hinge_steps,
                           run->train.logistic_steps, run->flips);
        }
    rv_text_printf(&t, "%s%zu of %zu runs interpolated.\n", failed ? "\n" : "", total - failed,
                   total);

    rv_text_printf(&t, "\n## Steps per second per shape (one run, %d thread(s), f64)\n\n"
                       "| n | d | m | bias | form | steps | seconds | steps/s | plan |\n"
                       "|---|---|---|---|---|---|---|---|---|\n",
                   run_threads(sw));
    for (size_t c = 0; c < sw->ncells; c++) {
        const rvo_cell *x = &sw->cells[c];
        int seen = 0; /* one row per shape: skip shapes of earlier cells */
        for (size_t e = 0; e < c && !seen; e++)
            seen = sw->cells[e].d == x->d && sw->cells[e].n == x->n &&
                   sw->cells[e].bias == x->bias;
        if (seen)
            continue;
        double steps = 0, secs = 0;
        for (size_t e = c; e < sw->ncells; e++) {
            const rvo_cell *y = &sw->cells[e];
            if (y->d != x->d || y->n != x->n || y->bias != x->bias)
                continue;
            for (size_t r = 0; r < y->seeds; r++) {
                steps += (double)(y->runs[r].train.hinge_steps + y->runs[r].train.logistic_steps);
                secs += y->runs[r].train.seconds;
            }
        }
        rv_text_printf(&t, "| %zu | %zu | %zu | %s | %s | %.0f | %.2f | %.3g | %s |\n", x->n,
                       x->d, cfg->width, x->bias ? "yes" : "no", rvo_form_name(x->form), steps,
                       secs,
                       secs > 0 ? steps / secs : 0, x->runs[0].plan);
    }
    rv_text_printf(&t, "\n## Figures\n\n%s\n\n![clean error vs p](fig/error_vs_p.png)\n\n"
                       "![clean error vs d](fig/error_vs_d.png)\n", figures);
    rv_status s = save(dir, "report.md", &t, err);
    rv_text_free(&t);
    return s;
}

/* Runs gnuplot on fig/figures.gp in fig, its messages in fig/gnuplot.log;
 * note says what became of the figures. */
static void draw(const char *fig, char *note, size_t cap)
{
    char log[4200];
    if (snprintf(log, sizeof log, "%s/gnuplot.log", fig) >= (int)sizeof log) {
        snprintf(note, cap, "figures skipped: the path of fig/gnuplot.log is too long");
        return; /* cannot happen below RVO_OUT_MAX; never run with a cut path */
    }
    rv_gnuplot_result r;
    rv_gnuplot("figures.gp", fig, NULL, log, &r);
    switch (r.outcome) {
    case RV_GNUPLOT_DRAWN: {
        /* gnuplot drew into .tmp files (the results folder's lock makes the
         * names ours): published whole, or not at all */
        static const char *const names[] = {"error_vs_p.png", "error_vs_d.png"};
        rv_error e = {0}, one;
        for (size_t k = 0; k < 2; k++) {
            char tmp[4300], png[4300];
            snprintf(tmp, sizeof tmp, "%s/%s.tmp", fig, names[k]);
            snprintf(png, sizeof png, "%s/%s", fig, names[k]);
            if (rv_gnuplot_publish(tmp, png, &one) != RV_OK && e.code == RV_OK)
                e = one;
        }
        if (e.code != RV_OK)
            snprintf(note, cap, "figures failed: %s", e.msg);
        else
            snprintf(note, cap, "figures: fig/error_vs_p.png, fig/error_vs_d.png (gnuplot)");
        break;
    }
    case RV_GNUPLOT_MISSING:
        snprintf(note, cap, "figures skipped: gnuplot is not installed (data and script are in "
                 "fig/error_vs_*.dat, fig/figures.gp)");
        break;
    case RV_GNUPLOT_FAILED:
        snprintf(note, cap, "figures failed: gnuplot exited with %d, see fig/gnuplot.log",
                 r.status);
        for (int k = 0; k < 2; k++) { /* what it had begun is not a figure */
            char tmp[4300];
            snprintf(tmp, sizeof tmp, "%s/error_vs_%c.png.tmp", fig, "pd"[k]);
            unlink(tmp);
        }
        break;
    case RV_GNUPLOT_UNRUN:
        snprintf(note, cap, "figures skipped: cannot start gnuplot (%s)", strerror(r.err));
        break;
    case RV_GNUPLOT_REFUSED:
        snprintf(note, cap, "figures skipped: %s", r.why);
        break;
    }
}

/* Figure data: blocks for gnuplot's `index`, each headed by its title. */
static rv_status write_figures(const char *dir, const rvo_sweep *sw, double alpha, char *note,
                               size_t cap, rv_error *err)
{
    const rvo_sweep_cfg *cfg = &sw->cfg;
    int threads = run_threads(sw);
    rv_text p = {0}, d = {0}, gp = {0};
    size_t blocks_p = 0;
    for (size_t c = 0; c < sw->ncells; c++) {
        const rvo_cell *x = &sw->cells[c];
        if (x->p != cfg->p[0]) /* one block per (d, n, bias): start at its first p */
            continue;
        rv_text_printf(&p, "\"d=%zu n=%zu%s\"\n", x->d, x->n, x->bias ? "" : " bias-free");
        for (size_t i = 0; i < cfg->np; i++) {
            summary s = summarise(sw, rvo_sweep_find(sw, x->d, x->n, cfg->p[i], x->bias), alpha);
            if (s.interp)
                rv_text_printf(&p, "%g %g %g %g\n", cfg->p[i], s.ci.mean, s.ci.lo, s.ci.hi);
        }
        rv_text_printf(&p, "\n\n");
        blocks_p++;
    }
    for (size_t i = 0; i < cfg->np; i++) {
        rv_text_printf(&d, "\"p=%g\"\n", cfg->p[i]);
        for (size_t k = 0; k < cfg->nd; k++) {
            summary s = summarise(sw, rvo_sweep_find(sw, cfg->d[k], cfg->n, cfg->p[i], 1), alpha);
            if (s.interp)
                rv_text_printf(&d, "%zu %g %g %g\n", cfg->d[k], s.ci.mean, s.ci.lo, s.ci.hi);
        }
        rv_text_printf(&d, "\n\n");
    }
    rv_text_printf(&gp, "set terminal pngcairo size 1000,650\nset key outside right\nset grid\n"
                        "set ylabel 'clean test error (mean, 95%% CI over %zu seeds)'\n"
                        "set output 'error_vs_p.png.tmp'\nset xlabel 'noise rate p'\n"
                        "set title 'Clean error vs p (width %zu, f64, %d thread(s) per run, %zu "
                        "test points per run)'\n"
                        "plot for [i=0:%zu] 'error_vs_p.dat' index i using 1:2:3:4 with "
                        "yerrorlines title columnheader(1)\n"
                        "set output 'error_vs_d.png.tmp'\nset logscale x\n"
                        "set xlabel 'input dimension d'\n"
                        "set title 'Clean error vs d (n=%zu, biased, width %zu, f64, %d thread(s) "
                        "per run)'\n"
                        "plot for [i=0:%zu] 'error_vs_d.dat' index i using 1:2:3:4 with "
                        "yerrorlines title columnheader(1)\n",
                   cfg->seeds, cfg->width, threads, cfg->test_n, blocks_p - 1, cfg->n, cfg->width,
                   threads, cfg->np - 1);
    char fig[4096];
    if (snprintf(fig, sizeof fig, "%s/fig", dir) >= (int)sizeof fig)
        return rv_fail(err, RV_ERR_IO, "path too long: %s/fig", dir);
    rv_status s = rv_make_dirs(fig, err);
    if (s == RV_OK)
        s = save(fig, "error_vs_p.dat", &p, err);
    if (s == RV_OK)
        s = save(fig, "error_vs_d.dat", &d, err);
    if (s == RV_OK)
        s = save(fig, "figures.gp", &gp, err);
    rv_text_free(&p);
    rv_text_free(&d);
    rv_text_free(&gp);
    if (s != RV_OK)
        return s;
    draw(fig, note, cap);
    return RV_OK;
}

rv_status rvo_report_write(const char *dir, const rvo_sweep *sw,
                           const rvo_verdict v[RVO_VERDICTS], const rvo_report_meta *meta,
                           char *figures, size_t cap, rv_error *err)
{
    mn_check *mc = check_d1_cells(sw);
    if (!mc)
        return rv_fail(err, RV_ERR_NOMEM, "out of memory writing the report");
    rv_status s = rv_make_dirs(dir, err);
    if (s == RV_OK)
        s = write_json(dir, sw, v, meta, mc, err);
    if (s == RV_OK)
        s = write_figures(dir, sw, meta->alpha, figures, cap, err);
    if (s == RV_OK)
        s = write_md(dir, sw, v, meta, figures, mc, err);
    free(mc);
    return s;
}
