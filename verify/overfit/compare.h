/* compare.h - two results of `reluvet overfit`, cell by cell.
 *
 * Cells match by (d, n, p, bias): the settings that say which question a
 * cell answers. Their forms (direct, subspace, reduced), seeds and budgets
 * may differ: that is what a comparison is for, e.g. the reduced sampler
 * against the direct one at a d where both run. For every matching cell and
 * metric, two two-sample tests of "the runs of A and of B come from one
 * law": Kolmogorov-Smirnov and Mann-Whitney (stats.h; both conservative on
 * tied values). The metrics are the clean test error and the normalised
 * margin over the runs that interpolated, and the number of flipped labels
 * over all runs.
 *
 * Reading is strict: results.json must hold a "cells" array whose cells
 * have key.d, key.n, key.p, key.bias, key.form and runs with interpolated,
 * clean_error, norm_margin (a number or null) and flips of the right types
 * and ranges; anything else is RV_ERR_FORMAT naming the file, the cell and
 * the field. Nothing is written. */
#ifndef RELUVET_OVERFIT_COMPARE_H
#define RELUVET_OVERFIT_COMPARE_H

#include <stddef.h>

#include "reluvet/status.h"

enum { RVO_CMP_CLEAN_ERROR, RVO_CMP_NORM_MARGIN, RVO_CMP_FLIPS, RVO_CMP_METRICS };

/* "clean_error", "norm_margin", "flips". */
const char *rvo_cmp_metric_name(int metric);

typedef struct rvo_cmp_metric {
    size_t na, nb;          /* values on each side */
    double mean_a, mean_b;  /* their means (NaN when none) */
    double p_ks, p_mw;      /* two-sided p-values (NaN when a side has none) */
} rvo_cmp_metric;

typedef struct rvo_cmp_cell {
    size_t d, n;
    double p;
    int bias;
    char form_a[12], form_b[12];  /* each side's form */
    size_t runs_a, runs_b;        /* runs on each side */
    rvo_cmp_metric m[RVO_CMP_METRICS];
} rvo_cmp_cell;

typedef struct rvo_cmp {
    rvo_cmp_cell *cells;    /* the matching cells, in A's order */
    size_t ncells;
    size_t only_a, only_b;  /* cells found on one side only */
} rvo_cmp;

/* Compares the texts of two results.json files (name_a / name_b name them
 * in messages). On success *out owns its cells (rvo_cmp_free).
 * RV_ERR_FORMAT (not JSON, or a field missing, mistyped or out of range),
 * RV_ERR_NOMEM. */
rv_status rvo_compare(const char *name_a, const char *text_a, size_t len_a, const char *name_b,
                      const char *text_b, size_t len_b, rvo_cmp *out, rv_error *err);

/* Frees what rvo_compare allocated; a zeroed one is a no-op. */
void rvo_cmp_free(rvo_cmp *c);

/* The smallest p-value of the comparison (1 when there is none). */
double rvo_cmp_min_p(const rvo_cmp *c);

#endif
