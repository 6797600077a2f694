/* wisdom.c - wisdom in memory: a small table keyed by (problem, thread cap).
 * Linear lookups: it holds at most RV_WISDOM_MAX_ENTRIES entries. */
#include <stdlib.h>
#include <string.h>

#include "reluvet/wisdom.h"

struct rv_wisdom {
    size_t count, cap;
    rv_wisdom_entry *e;
};

rv_status rv_wisdom_create(rv_wisdom **out, rv_error *err)
{
    if (!out)
        return rv_fail(err, RV_ERR_NULL, "wisdom output pointer is NULL");
    *out = calloc(1, sizeof **out);
    return *out ? RV_OK : rv_fail(err, RV_ERR_NOMEM, "out of memory creating wisdom");
}

void rv_wisdom_destroy(rv_wisdom *w)
{
    if (!w)
        return;
    free(w->e);
    free(w);
}

size_t rv_wisdom_count(const rv_wisdom *w)
{
    return w->count;
}

const rv_wisdom_entry *rv_wisdom_at(const rv_wisdom *w, size_t i)
{
    return i < w->count ? &w->e[i] : NULL;
}

static int same_key(const rv_wisdom_entry *e, const rv_problem *p, int max_threads)
{
    return rv_problem_equal(&e->problem, p) && e->max_threads == max_threads;
}

const rv_wisdom_entry *rv_wisdom_find(const rv_wisdom *w, const rv_problem *p, int max_threads)
{
    for (size_t i = 0; i < w->count; i++)
        if (same_key(&w->e[i], p, max_threads))
            return &w->e[i];
    return NULL;
}

rv_status rv_wisdom_entry_validate(const rv_wisdom_entry *e, rv_error *err)
{
    rv_status s = rv_problem_validate(&e->problem, err);
    if (s != RV_OK)
        return s;
    if (e->max_threads < 1 || e->max_threads > RV_MAX_THREADS)
        return rv_fail(err, RV_ERR_OPTS, "thread cap %d is not in 1..%d", e->max_threads,
                       RV_MAX_THREADS);
    const rv_candidate *c = &e->choice;
    unsigned f = rv_variant_flags(c->variant);
    if (!rv_variant_name(c->variant) || (f & RV_VF_ORACLE))
        return rv_fail(err, RV_ERR_VARIANT, "variant %d is not a contender", (int)c->variant);
    if ((s = rv_opts_validate(&c->opts, err)) != RV_OK)
        return s;
    int threads_ok = (f & RV_VF_THREADS) ? c->opts.threads >= 1 && c->opts.threads <= e->max_threads
                                         : c->opts.threads == 0;
    int blocks_ok = (f & RV_VF_BLOCKS) || (c->opts.block_rows == 0 && c->opts.block_cols == 0);
    if (!threads_ok || !blocks_ok)
        return rv_fail(err, RV_ERR_OPTS, "options threads=%d block=%dx%d do not fit variant %s "
                       "under a cap of %d threads", c->opts.threads, c->opts.block_rows,
                       c->opts.block_cols, rv_variant_name(c->variant), e->max_threads);
    if (e->effort != RV_EFFORT_MEASURE && e->effort != RV_EFFORT_EXHAUSTIVE)
        return rv_fail(err, RV_ERR_OPTS, "effort %d is not a timed effort", e->effort);
    if (!(e->seconds >= 0 && e->seconds <= RV_WISDOM_MAX_SECONDS)) /* NaN fails too */
        return rv_fail(err, RV_ERR_OPTS, "seconds %g is not in 0..%.0f", e->seconds,
                       RV_WISDOM_MAX_SECONDS);
    if (e->candidates < 1 || e->failed < 0 || e->failed > e->candidates)
        return rv_fail(err, RV_ERR_OPTS, "candidates %d, failed %d are inconsistent",
                       e->candidates, e->failed);
    return RV_OK;
}

rv_status rv_wisdom_put(rv_wisdom *w, const rv_wisdom_entry *e, rv_error *err)
{
    rv_status s = rv_wisdom_entry_validate(e, err);
    if (s != RV_OK)
        return s;
    rv_wisdom_entry *old = (rv_wisdom_entry *)rv_wisdom_find(w, &e->problem, e->max_threads);
    if (old) {
        *old = *e;
        return RV_OK;
    }
    if (w->count == RV_WISDOM_MAX_ENTRIES)
        return rv_fail(err, RV_ERR_NOMEM, "wisdom is full (%d entries)", RV_WISDOM_MAX_ENTRIES);
    if (w->count == w->cap) {
        size_t cap = w->cap ? 2 * w->cap : 64;
        rv_wisdom_entry *grown = realloc(w->e, cap * sizeof *grown);
        if (!grown)
            return rv_fail(err, RV_ERR_NOMEM, "out of memory growing wisdom");
        w->e = grown;
        w->cap = cap;
    }
    w->e[w->count++] = *e;
    return RV_OK;
}

void rv_wisdom_forget(rv_wisdom *w, const rv_problem *p, int max_threads)
{
    const rv_wisdom_entry *e = rv_wisdom_find(w, p, max_threads);
    if (!e)
        return;
    size_t i = (size_t)(e - w->e);
    memmove(&w->e[i], &w->e[i + 1], (w->count - i - 1) * sizeof *w->e);
    w->count--;
}

rv_status rv_wisdom_merge(rv_wisdom *dst, const rv_wisdom *src, rv_error *err)
{
    for (size_t i = 0; i < src->count; i++) {
        const rv_wisdom_entry *e = &src->e[i];
        const rv_wisdom_entry *have = rv_wisdom_find(dst, &e->problem, e->max_threads);
        if (have && have->effort >= e->effort)
            continue;
        rv_status s = rv_wisdom_put(dst, e, err);
        if (s != RV_OK)
            return s;
    }
    return RV_OK;
}

void rv_wisdom_clear(rv_wisdom *w)
{
    w->count = 0;
}
