/* check.c - the check driver: ops x kernels x dtypes x shape classes. */
#include "check/check.h"

#include <stdlib.h>
#include <string.h>

#include "check/shapes.h"
#include "reluvet/plan.h"

#define SELECTED(mask, value) ((mask) == 0 || ((mask) >> (unsigned)(value)) & 1u)

/* Tile shapes tried on kernels that read blocks: the variant's default,
 * and an odd tile that divides no width of the corpus, so that every tile
 * has a remainder edge. */
static const int tiles[][2] = {{0, 0}, {7, 13}};

int rvc_default_threads(int *threads, int cap)
{
    int cores = rv_usable_cores(), count = 0;
    for (int t = 1; t <= 2 && count < cap; t++)
        threads[count++] = t;
    if (cores > 2 && count < cap)
        threads[count++] = cores;
    return count;
}

/* A class of cases as the driver runs it. */
typedef struct run_class {
    const char *name;
    size_t count;
    const rvc_shape_case *cases;
} run_class;

static int same_case(rv_op op, const rvc_shape_case *a, const rvc_shape_case *b)
{
    int elementwise = op == RV_OP_RELU_FWD || op == RV_OP_RELU_BWD;
    unsigned layouts = rvc_layouts(op);
    return a->s.n == b->s.n && a->s.m == b->s.m && (elementwise || a->s.d == b->s.d) &&
           (a->layout & layouts) == (b->layout & layouts);
}

static void record(rvc_line *l, const rvc_case *c, const rv_opts *o, const rvc_result *r)
{
    l->runs++;
    l->passed += r->verdict == RVC_PASSED;
    l->failed += r->verdict == RVC_FAILED;
    l->mistrusted += r->verdict == RVC_MISTRUSTED;
    l->compared += r->tally.compared;
    l->fd_compared += r->fd_compared;
    l->flips += r->tally.flips;
    if (r->tally.worst_ratio > l->worst_ratio)
        l->worst_ratio = r->tally.worst_ratio;
    if (r->fd_worst_ratio > l->fd_worst_ratio)
        l->fd_worst_ratio = r->fd_worst_ratio;
    if (r->verdict == RVC_MISTRUSTED && !l->mistrust)
        l->mistrust = c->mistrust;
    if (r->verdict == RVC_FAILED && !l->has_failure) {
        l->has_failure = 1;
        l->failure = (rvc_failure){.shape = c->shape, .layout = c->layout, .mode = c->mode,
                                   .opts = *o, .tally = r->tally, .error = r->error};
    }
}

/* Verifies one kernel on one case at every thread count and tile. */
static rv_status verify_kernel(const rvc_config *cfg, const rvc_case *c, const rvc_kernel *k,
                               rvc_line *l, rv_error *err)
{
    int nt = k->flags & RV_VF_THREADS ? cfg->nthreads : 1;
    int nb = k->flags & RV_VF_BLOCKS ? (int)(sizeof tiles / sizeof tiles[0]) : 1;
    l->cases++;
    l->redraws += (size_t)c->redraws;
    l->fd_params += c->has_fd ? c->fd.params : 0;
    l->fd_skipped += c->has_fd ? c->fd.skipped : 0;
    for (int t = 0; t < nt; t++)
        for (int b = 0; b < nb; b++) {
            rv_opts o = {.threads = k->flags & RV_VF_THREADS ? cfg->threads[t] : 0,
                         .block_rows = tiles[b][0], .block_cols = tiles[b][1]};
            rvc_result r;
            rv_status s = rvc_case_verify(c, k, &o, &r, err);
            if (s != RV_OK)
                return s;
            record(l, c, &o, &r);
        }
    return RV_OK;
}

static rv_status check_class(const rvc_config *cfg, rv_op op, rv_dtype dt,
                             const run_class *cls, const rvc_kernel *kernels, int nk,
                             rvc_line *lines, rv_error *err)
{
    for (int q = 0; q < nk; q++)
        lines[q] = (rvc_line){.op = op, .dt = dt, .cls = cls->name,
                              .kernel = kernels[q].name, .seed = cfg->seed};
    for (size_t i = 0; i < cls->count; i++) {
        int seen = 0;
        for (size_t p = 0; p < i && !seen; p++)
            seen = same_case(op, &cls->cases[p], &cls->cases[i]);
        for (int mode = 0; mode < RVC_MODE_COUNT && !seen; mode++) {
            if (!SELECTED(cfg->modes, mode))
                continue;
            rvc_case c;
            rv_status s = rvc_case_prepare(&c, op, dt, cls->cases[i].s, cls->cases[i].layout,
                                           (rvc_mode)mode, cfg->seed, err);
            for (int q = 0; s == RV_OK && q < nk; q++)
                s = verify_kernel(cfg, &c, &kernels[q], &lines[q], err);
            rvc_case_free(&c);
            if (s != RV_OK)
                return s;
        }
    }
    for (int q = 0; q < nk; q++) {
        rvc_line *l = &lines[q];
        l->verdict = l->failed ? RVC_FAILED : l->passed ? RVC_PASSED : RVC_MISTRUSTED;
    }
    return RV_OK;
}

/* Room for the cases of the generated classes (every subset of the four
 * layout bits, or the random shapes) and for the classes of one op. */
#define CASES_CAP (RVC_RANDOM_SHAPES > 16 ? RVC_RANDOM_SHAPES : 16)
#define CLASSES_CAP 32

/* The classes of op: the corpus and the random shapes, or the one given
 * shape in every layout. Returns how many classes it wrote. */
static size_t classes_of(const rvc_config *cfg, rv_op op, run_class *out,
                         rvc_shape_case *cases)
{
    if (cfg->has_shape) {
        size_t count = 0;
        unsigned all = rvc_layouts(op);
        for (unsigned layout = 0; layout <= all; layout++)
            if ((layout & all) == layout)
                cases[count++] = (rvc_shape_case){cfg->shape, layout};
        out[0] = (run_class){"given", count, cases};
        return 1;
    }
    const rvc_shape_class *corpus;
    size_t count = rvc_shape_classes(&corpus), used = 0;
    for (size_t i = 0; i < count && used + 1 < CLASSES_CAP; i++)
        if ((corpus[i].ops >> (unsigned)op) & 1u)
            out[used++] = (run_class){corpus[i].name, corpus[i].count, corpus[i].cases};
    rvc_random_shapes(cfg->seed, op, cases, RVC_RANDOM_SHAPES);
    out[used++] = (run_class){RVC_RANDOM_CLASS, RVC_RANDOM_SHAPES, cases};
    return used;
}

rv_status rvc_check_kernels(const rvc_config *cfg_in, const rvc_kernel *kernels, int nkernels,
                            rvc_emit_fn emit, void *ctx, rvc_totals *tot, rv_error *err)
{
    rvc_config cfg = *cfg_in;
    if (cfg.nthreads == 0)
        cfg.nthreads = rvc_default_threads(cfg.threads, RVC_MAX_THREAD_COUNTS);
    if (cfg.nthreads < 0 || cfg.nthreads > RVC_MAX_THREAD_COUNTS)
        return rv_fail(err, RV_ERR_OPTS, "%d thread counts: must be 1..%d", cfg.nthreads,
                       RVC_MAX_THREAD_COUNTS);
    if (cfg.has_shape && (cfg.shape.n == 0 || cfg.shape.d == 0 || cfg.shape.m == 0))
        return rv_fail(err, RV_ERR_SIZE, "shape %zu,%zu,%zu has a zero size", cfg.shape.n,
                       cfg.shape.d, cfg.shape.m);
    rvc_line *lines = calloc((size_t)(nkernels > 0 ? nkernels : 1), sizeof *lines);
    if (!lines)
        return rv_fail(err, RV_ERR_NOMEM, "out of memory for %d report lines", nkernels);
    rvc_totals sum;
    memset(&sum, 0, sizeof sum);
    rv_status s = RV_OK;
    rvc_shape_case cases[CASES_CAP];
    run_class classes[CLASSES_CAP];
    for (int op = 0; s == RV_OK && op < RV_OP_COUNT; op++) {
        if (!SELECTED(cfg.ops, op))
            continue;
        size_t ncls = classes_of(&cfg, (rv_op)op, classes, cases);
        for (int dt = 0; s == RV_OK && dt < RV_DTYPE_COUNT; dt++) {
            if (!SELECTED(cfg.dtypes, dt))
                continue;
            for (size_t i = 0; s == RV_OK && i < ncls; i++) {
                s = check_class(&cfg, (rv_op)op, (rv_dtype)dt, &classes[i], kernels,
                                nkernels, lines, err);
                for (int q = 0; s == RV_OK && q < nkernels; q++) {
                    sum.lines[lines[q].verdict]++;
                    sum.runs += lines[q].runs;
                    sum.compared += lines[q].compared;
                    emit(ctx, &lines[q]);
                }
            }
        }
    }
    free(lines);
    if (tot)
        *tot = sum;
    return s;
}

rv_status rvc_check_variants(const rvc_config *cfg, rvc_emit_fn emit, void *ctx,
                             rvc_totals *tot, rv_error *err)
{
    rvc_kernel kernels[RV_VARIANT_COUNT];
    int nk = 0;
    for (int v = 0; v < RV_VARIANT_COUNT; v++)
        if (SELECTED(cfg->variants, v))
            kernels[nk++] = rvc_variant_kernel((rv_variant)v);
    return rvc_check_kernels(cfg, kernels, nk, emit, ctx, tot, err);
}
