/* tune_grid.c - the candidate grid, generated from the RV_VF_* flags of
 * variants.def: no variant is named here. */
#include <string.h>

#include "tune_internal.h"

/* 0 is the variant's own default; the others span the useful range. */
static const int block_rows[] = {0, 16, 32, 128, 256};
static const int block_cols[] = {0, 32, 128, 512};
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

size_t rv_tune_block_rows(const int **vals)
{
    *vals = block_rows;
    return COUNT(block_rows);
}

size_t rv_tune_block_cols(const int **vals)
{
    *vals = block_cols;
    return COUNT(block_cols);
}

size_t rv_tune_grid(int only_variant, int max_threads, rv_candidate *out, size_t cap)
{
    size_t n = 0;
    for (int v = 0; v < RV_VARIANT_COUNT; v++) {
        unsigned f = rv_variant_flags((rv_variant)v);
        if ((f & RV_VF_ORACLE) || (only_variant >= 0 && v != only_variant))
            continue;
        int threads = (f & RV_VF_THREADS) ? max_threads : 1;
        size_t nr = (f & RV_VF_BLOCKS) ? COUNT(block_rows) : 1;
        size_t nc = (f & RV_VF_BLOCKS) ? COUNT(block_cols) : 1;
        for (int t = 1; t <= threads; t++)
            for (size_t r = 0; r < nr; r++)
                for (size_t c = 0; c < nc; c++, n++)
                    if (n < cap)
                        out[n] = rv_candidate_normalize((rv_candidate){
                            (rv_variant)v, {t, block_rows[r], block_cols[c]}});
    }
    return n;
}

rv_candidate rv_candidate_normalize(rv_candidate c)
{
    unsigned f = rv_variant_flags(c.variant);
    if (!(f & RV_VF_THREADS))
        c.opts.threads = 0;
    else if (c.opts.threads < 1)
        c.opts.threads = 1;
    if (!(f & RV_VF_BLOCKS))
        c.opts.block_rows = c.opts.block_cols = 0;
    return c;
}

int rv_candidate_equal(const rv_candidate *a, const rv_candidate *b)
{
    return a->variant == b->variant && a->opts.threads == b->opts.threads &&
           a->opts.block_rows == b->opts.block_rows && a->opts.block_cols == b->opts.block_cols;
}
