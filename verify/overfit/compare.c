/* compare.c - two results.json files, cell by cell (see compare.h). */
#include "compare.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "stats.h"

const char *rvo_cmp_metric_name(int metric)
{
    static const char *const names[RVO_CMP_METRICS] = {"clean_error", "norm_margin", "flips"};
    return metric >= 0 && metric < RVO_CMP_METRICS ? names[metric] : NULL;
}

/* One side's cell: its identity and its values per metric. */
typedef struct side_cell {
    size_t d, n;
    double p;
    int bias;
    char form[12];
    size_t runs;
    double *v[RVO_CMP_METRICS];
    size_t nv[RVO_CMP_METRICS];
} side_cell;

typedef struct side {
    side_cell *cells;
    size_t ncells;
} side;

static void side_free(side *s)
{
    for (size_t c = 0; c < s->ncells; c++)
        for (int q = 0; q < RVO_CMP_METRICS; q++)
            free(s->cells[c].v[q]);
    free(s->cells);
    *s = (side){0};
}

/* A number member of o in [lo, hi] (whole when whole != 0). */
static int get_num(const cJSON *o, const char *field, double lo, double hi, int whole,
                   double *out)
{
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, field);
    if (!cJSON_IsNumber(x) || !(x->valuedouble >= lo && x->valuedouble <= hi) ||
        (whole && x->valuedouble != floor(x->valuedouble)))
        return -1;
    *out = x->valuedouble;
    return 0;
}

static rv_status bad(rv_error *err, const char *name, size_t cell, const char *what)
{
    return rv_fail(err, RV_ERR_FORMAT, "%s: cell %zu: %s", name, cell, what);
}

static rv_status parse_cell(const char *name, size_t ci, const cJSON *cell, side_cell *out,
                            rv_error *err)
{
    const cJSON *key = cJSON_GetObjectItemCaseSensitive(cell, "key");
    const cJSON *runs = cJSON_GetObjectItemCaseSensitive(cell, "runs");
    if (!cJSON_IsObject(key) || !cJSON_IsArray(runs))
        return bad(err, name, ci, "needs an object 'key' and an array 'runs'");
    double d, n;
    if (get_num(key, "d", 1, 1e15, 1, &d) || get_num(key, "n", 1, 1e9, 1, &n) ||
        get_num(key, "p", 0, 1, 0, &out->p))
        return bad(err, name, ci, "key.d, key.n (whole numbers >= 1) and key.p (in [0, 1]) "
                                  "are needed");
    out->d = (size_t)d;
    out->n = (size_t)n;
    const cJSON *bias = cJSON_GetObjectItemCaseSensitive(key, "bias");
    const cJSON *form = cJSON_GetObjectItemCaseSensitive(key, "form");
    if (!cJSON_IsBool(bias))
        return bad(err, name, ci, "key.bias must be true or false");
    out->bias = cJSON_IsTrue(bias);
    if (!cJSON_IsString(form) || strlen(form->valuestring) >= sizeof out->form)
        return bad(err, name, ci, "key.form must be a short string");
    for (const char *s = form->valuestring; *s; s++)
        if (*s < 'a' || *s > 'z')
            return bad(err, name, ci, "key.form must be lower-case letters");
    strcpy(out->form, form->valuestring);
    size_t k = (size_t)cJSON_GetArraySize(runs);
    out->runs = k;
    for (int q = 0; q < RVO_CMP_METRICS; q++) {
        out->v[q] = malloc((k ? k : 1) * sizeof(double));
        if (!out->v[q])
            return rv_fail(err, RV_ERR_NOMEM, "out of memory reading %s", name);
    }
    const cJSON *run;
    cJSON_ArrayForEach(run, runs) {
        const cJSON *interp = cJSON_GetObjectItemCaseSensitive(run, "interpolated");
        const cJSON *nm = cJSON_GetObjectItemCaseSensitive(run, "norm_margin");
        double ce, flips;
        if (!cJSON_IsBool(interp) || get_num(run, "clean_error", 0, 1, 0, &ce) ||
            get_num(run, "flips", 0, n, 1, &flips) ||
            !(cJSON_IsNull(nm) || (cJSON_IsNumber(nm) && isfinite(nm->valuedouble))))
            return bad(err, name, ci, "each run needs interpolated (a boolean), clean_error "
                                      "(in [0, 1]), flips (0..n) and norm_margin (a number or "
                                      "null)");
        out->v[RVO_CMP_FLIPS][out->nv[RVO_CMP_FLIPS]++] = flips;
        if (!cJSON_IsTrue(interp))
            continue;
        out->v[RVO_CMP_CLEAN_ERROR][out->nv[RVO_CMP_CLEAN_ERROR]++] = ce;
        if (cJSON_IsNumber(nm))
            out->v[RVO_CMP_NORM_MARGIN][out->nv[RVO_CMP_NORM_MARGIN]++] = nm->valuedouble;
    }
    return RV_OK;
}

static rv_status parse_side(const char *name, const char *text, size_t len, side *out,
                            rv_error *err)
{
    *out = (side){0};
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    if (!root)
        return rv_fail(err, RV_ERR_FORMAT, "%s is not JSON (near byte %zu)", name,
                       end ? (size_t)(end - text) : (size_t)0);
    const cJSON *cells = cJSON_GetObjectItemCaseSensitive(root, "cells");
    rv_status s = RV_OK;
    if (!cJSON_IsArray(cells)) {
        s = rv_fail(err, RV_ERR_FORMAT, "%s has no 'cells' array: is it the results.json of "
                    "reluvet overfit?", name);
    } else {
        size_t k = (size_t)cJSON_GetArraySize(cells);
        out->cells = calloc(k ? k : 1, sizeof *out->cells);
        if (!out->cells)
            s = rv_fail(err, RV_ERR_NOMEM, "out of memory reading %s", name);
        const cJSON *c;
        cJSON_ArrayForEach(c, cells) {
            if (s != RV_OK)
                break;
            s = parse_cell(name, out->ncells, c, &out->cells[out->ncells], err);
            out->ncells++;
        }
    }
    cJSON_Delete(root);
    if (s != RV_OK)
        side_free(out);
    return s;
}

static int same_cell(const side_cell *a, const side_cell *b)
{
    return a->d == b->d && a->n == b->n && a->p == b->p && a->bias == b->bias;
}

static double mean_of(const double *x, size_t k)
{
    double s = 0;
    for (size_t i = 0; i < k; i++)
        s += x[i];
    return k ? s / (double)k : NAN;
}

static void compare_metric(side_cell *a, side_cell *b, int q, rvo_cmp_metric *m)
{
    m->na = a->nv[q];
    m->nb = b->nv[q];
    m->mean_a = mean_of(a->v[q], m->na);
    m->mean_b = mean_of(b->v[q], m->nb);
    m->p_ks = m->p_mw = NAN;
    if (!m->na || !m->nb)
        return;
    double D, auc;
    m->p_mw = rvo_mann_whitney(a->v[q], m->na, b->v[q], m->nb, &auc);
    m->p_ks = rvo_ks_two(a->v[q], m->na, b->v[q], m->nb, &D); /* sorts in place: last */
}

rv_status rvo_compare(const char *name_a, const char *text_a, size_t len_a, const char *name_b,
                      const char *text_b, size_t len_b, rvo_cmp *out, rv_error *err)
{
    *out = (rvo_cmp){0};
    side a, b;
    rv_status s = parse_side(name_a, text_a, len_a, &a, err);
    if (s != RV_OK)
        return s;
    if ((s = parse_side(name_b, text_b, len_b, &b, err)) != RV_OK) {
        side_free(&a);
        return s;
    }
    out->cells = calloc(a.ncells ? a.ncells : 1, sizeof *out->cells);
    if (!out->cells) {
        s = rv_fail(err, RV_ERR_NOMEM, "out of memory comparing %s and %s", name_a, name_b);
        goto done;
    }
    for (size_t i = 0; i < a.ncells; i++) {
        side_cell *x = &a.cells[i], *y = NULL;
        for (size_t j = 0; j < b.ncells && !y; j++)
            if (same_cell(x, &b.cells[j]))
                y = &b.cells[j];
        if (!y) {
            out->only_a++;
            continue;
        }
        rvo_cmp_cell *c = &out->cells[out->ncells++];
        *c = (rvo_cmp_cell){.d = x->d, .n = x->n, .p = x->p, .bias = x->bias,
                            .runs_a = x->runs, .runs_b = y->runs};
        strcpy(c->form_a, x->form);
        strcpy(c->form_b, y->form);
        for (int q = 0; q < RVO_CMP_METRICS; q++)
            compare_metric(x, y, q, &c->m[q]);
    }
    for (size_t j = 0; j < b.ncells; j++) {
        size_t i = 0;
        while (i < a.ncells && !same_cell(&a.cells[i], &b.cells[j]))
            i++;
        out->only_b += i == a.ncells;
    }
done:
    side_free(&a);
    side_free(&b);
    return s;
}

void rvo_cmp_free(rvo_cmp *c)
{
    free(c->cells);
    *c = (rvo_cmp){0};
}

double rvo_cmp_min_p(const rvo_cmp *c)
{
    double lo = 1;
    for (size_t i = 0; i < c->ncells; i++)
        for (int q = 0; q < RVO_CMP_METRICS; q++) {
            const rvo_cmp_metric *m = &c->cells[i].m[q];
            if (m->p_ks < lo)
                lo = m->p_ks;
            if (m->p_mw < lo)
                lo = m->p_mw;
        }
    return lo;
}
