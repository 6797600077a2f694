/* compare.c - elementwise comparison with first-mismatch reporting. */
#include "check/compare.h"

#include <math.h>
#include <stdio.h>

#include "check/buffer.h"

const char *rvc_why_name(rvc_why why)
{
    static const char *const names[RVC_WHY_COUNT] = {
        [RVC_WHY_UNWRITTEN] = "unwritten (still the NaN canary)",
        [RVC_WHY_BOUND] = "outside the bound",
        [RVC_WHY_IDENTICAL] = "not identical",
        [RVC_WHY_DAMAGE] = "written outside the matrix",
        [RVC_WHY_INPUT] = "input modified",
        [RVC_WHY_KERNEL] = "kernel returned an error",
    };
    return (unsigned)why < RVC_WHY_COUNT ? names[why] : "?";
}

void rvc_tally_init(rvc_tally *t)
{
    *t = (rvc_tally){.worst_ratio = 0};
}

void rvc_tally_add(rvc_tally *t, const char *what, rvc_why why, long i, long j, double got,
                   double want, double bound)
{
    t->bad++;
    if (t->nreport == RVC_MAX_REPORT)
        return;
    rvc_mismatch *m = &t->report[t->nreport++];
    *m = (rvc_mismatch){.why = why, .i = i, .j = j, .got = got, .want = want, .bound = bound};
    snprintf(m->what, sizeof m->what, "%s", what);
}

void rvc_tally_merge(rvc_tally *dst, const rvc_tally *src)
{
    dst->compared += src->compared;
    dst->flips += src->flips;
    dst->bad += src->bad;
    for (int i = 0; i < src->nreport && dst->nreport < RVC_MAX_REPORT; i++)
        dst->report[dst->nreport++] = src->report[i];
}

static int identical(double got, double want)
{
    if (isnan(got) || isnan(want))
        return isnan(got) && isnan(want);
    return got == want && signbit(got) == signbit(want);
}

void rvc_compare(rvc_tally *t, const rvc_cmp_spec *s)
{
    for (size_t i = 0; i < s->rows; i++)
        for (size_t j = 0; j < s->cols; j++) {
            size_t gi = i * s->got.ld + j;
            double got = rvc_load(s->got.dt, s->got.p, gi);
            double want = rvc_load(s->want.dt, s->want.p, i * s->want.ld + j);
            double bound = s->bound ? s->bound[i * s->cols + j] + s->slack : 0;
            if (s->nan_want_skips && isnan(want))
                continue;
            t->compared++;
            if (rvc_is_canary(s->got.dt, s->got.p, gi)) {
                rvc_tally_add(t, s->what, RVC_WHY_UNWRITTEN, (long)i, (long)j, got, want,
                              bound);
                continue;
            }
            if (!s->bound) {
                if (!identical(got, want))
                    rvc_tally_add(t, s->what, RVC_WHY_IDENTICAL, (long)i, (long)j, got, want,
                                  0);
                continue;
            }
            if (got == want || (isnan(got) && isnan(want)))
                continue;
            double err = (double)fabsl((long double)got - want);
            if (!(err <= bound)) {
                rvc_tally_add(t, s->what, RVC_WHY_BOUND, (long)i, (long)j, got, want, bound);
                continue;
            }
            if (bound > 0 && err / bound > t->worst_ratio)
                t->worst_ratio = err / bound;
            if (s->count_flips && (got > 0) != (want > 0))
                t->flips++;
        }
}
