/* tune_choose.c - the deterministic choice among timed candidates. */
#include "tune_internal.h"

static int threads_of(const rv_candidate *c)
{
    return c->opts.threads > 1 ? c->opts.threads : 1;
}

/* Is a preferred to b when both are within the tolerance? */
static int preferred(const rv_cand_result *a, size_t rank_a, const rv_cand_result *b,
                     size_t rank_b)
{
    int ta = threads_of(&a->cand), tb = threads_of(&b->cand);
    if (ta != tb)
        return ta < tb;
    if (a->cand.variant != b->cand.variant)
        return a->cand.variant < b->cand.variant;
    return rank_a < rank_b;
}

static double tolerance(double spread)
{
    return spread < RV_TUNE_NOISE_MIN ? RV_TUNE_NOISE_MIN
           : spread > RV_TUNE_NOISE_MAX ? RV_TUNE_NOISE_MAX : spread;
}

size_t rv_tune_choose(const rv_cand_result *results, const size_t *rank, size_t count)
{
    size_t fastest = count;
    for (size_t i = 0; i < count; i++)
        if (results[i].status == RV_CAND_TIMED &&
            (fastest == count || results[i].median_s < results[fastest].median_s))
            fastest = i;
    if (fastest == count)
        return count;
    size_t best = fastest;
    for (size_t i = 0; i < count; i++)
        if (results[i].status == RV_CAND_TIMED &&
            results[i].median_s <= results[fastest].median_s * (1 + tolerance(results[i].spread)) &&
            preferred(&results[i], rank[i], &results[best], rank[best]))
            best = i;
    return best;
}
