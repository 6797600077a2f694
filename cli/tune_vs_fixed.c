/* tune_vs_fixed.c - tuned choices against the single fixed variants. */
#include "tune_vs_fixed.h"

#include <string.h>

rv_status rv_time_vs_fixed(const rv_problem *p, const rv_candidate *mine, size_t k,
                           int max_threads, int rounds, rv_vs_fixed *out, rv_error *err)
{
    if (k > RV_VS_MAX_MINE)
        return rv_fail(err, RV_ERR_OPTS, "at most %d tuned candidates", RV_VS_MAX_MINE);
    rv_candidate all[RV_VS_MAX_MINE + RV_VARIANT_COUNT];
    int slot[RV_VARIANT_COUNT];
    size_t n = 0;
    for (; n < k; n++)
        all[n] = mine[n];
    for (int v = 0; v < RV_VARIANT_COUNT; v++) {
        slot[v] = -1;
        if (rv_variant_flags((rv_variant)v) & RV_VF_ORACLE)
            continue;
        rv_candidate fixed = rv_fixed_candidate((rv_variant)v, max_threads);
        for (size_t i = 0; i < k && slot[v] < 0; i++) /* a tuned choice: timed once */
            if (rv_candidate_equal(&mine[i], &fixed))
                slot[v] = (int)i;
        if (slot[v] < 0) {
            slot[v] = (int)n;
            all[n++] = fixed;
        }
    }
    double t[RV_VS_MAX_MINE + RV_VARIANT_COUNT];
    rv_status s = rv_tune_compare(p, all, n, rounds, t, err);
    if (s != RV_OK)
        return s;
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < k; i++)
        out->mine_s[i] = t[i];
    out->best_fixed_s = 0;
    for (int v = 0; v < RV_VARIANT_COUNT; v++) {
        if (slot[v] < 0)
            continue;
        out->fixed_s[v] = t[slot[v]];
        if (out->best_fixed_s == 0 || t[slot[v]] < out->best_fixed_s) {
            out->best_fixed_s = t[slot[v]];
            out->best_fixed = (rv_variant)v;
        }
    }
    return RV_OK;
}
