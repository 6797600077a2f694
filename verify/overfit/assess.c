/* assess.c - the verdicts of a sweep. */
#include "assess.h"

#include <math.h>
#include <stdlib.h>

rvo_cell_errors rvo_cell_errors_of(const rvo_sweep *sw, const rvo_cell *c, double *err)
{
    for (size_t s = 0; s < c->seeds; s++)
        err[s] = c->runs[s].train.interpolated ? c->runs[s].clean_error : NAN;
    return (rvo_cell_errors){.d = c->d, .n = c->n, .p = c->p, .bias = c->bias,
                             .seeds = c->seeds, .err = err, .test_n = sw->cfg.test_n};
}

rv_status rvo_assess(const rvo_sweep *sw, double alpha, rvo_verdict v[RVO_VERDICTS],
                     rv_error *err)
{
    const rvo_sweep_cfg *cfg = &sw->cfg;
    size_t np = cfg->np, nd = cfg->nd, S = cfg->seeds, dh = cfg->d[nd - 1];
    /* one error buffer per cell, in a fixed layout: curve (np x nd), the
     * smaller n (np), bias-free (np) */
    size_t ncells = np * (nd + 2);
    double *buf = malloc(ncells * S * sizeof *buf);
    rvo_cell_errors *ce = malloc(ncells * sizeof *ce);
    if (!buf || !ce) {
        free(buf);
        free(ce);
        return rv_fail(err, RV_ERR_NOMEM, "out of memory assessing the sweep");
    }
    rvo_cell_errors *curve = ce, *small = ce + np * nd, *nobias = small + np;
    size_t used = 0;
    for (size_t i = 0; i < np; i++) {
        for (size_t k = 0; k < nd; k++, used++)
            curve[i * nd + k] = rvo_cell_errors_of(
                sw, rvo_sweep_find(sw, cfg->d[k], cfg->n, cfg->p[i], 1), buf + used * S);
        small[i] = rvo_cell_errors_of(sw, rvo_sweep_find(sw, 1, cfg->n_small, cfg->p[i], 1),
                                      buf + used++ * S);
        nobias[i] = rvo_cell_errors_of(sw, rvo_sweep_find(sw, dh, cfg->n, cfg->p[i], 0),
                                       buf + used++ * S);
    }
    rvo_cell_errors *at1 = malloc(np * sizeof *at1), *high = malloc(np * sizeof *high);
    if (!at1 || !high) {
        free(at1);
        free(high);
        free(buf);
        free(ce);
        return rv_fail(err, RV_ERR_NOMEM, "out of memory assessing the sweep");
    }
    for (size_t i = 0; i < np; i++) {
        at1[i] = curve[i * nd];
        high[i] = curve[i * nd + nd - 1];
    }
    rvo_verdict_tempered(small, at1, np, alpha, &v[0]);
    rvo_verdict_benign(high, np, alpha, &v[1]);
    rvo_verdict_transition(curve, np, nd, alpha, &v[2]);
    rvo_verdict_biases(high, nobias, np, alpha, &v[3]);
    free(at1);
    free(high);
    free(buf);
    free(ce);
    return RV_OK;
}
