/* fill.c - exact and random fills. */
#include "check/fill.h"

#include <float.h>
#include <math.h>
#include <string.h>

static const char *const mode_names[RVC_MODE_COUNT] = {"exact", "random"};

const char *rvc_mode_name(rvc_mode mode)
{
    return (unsigned)mode < RVC_MODE_COUNT ? mode_names[mode] : NULL;
}

int rvc_mode_from_name(const char *name, rvc_mode *mode)
{
    for (int i = 0; name && i < RVC_MODE_COUNT; i++)
        if (strcmp(name, mode_names[i]) == 0) {
            *mode = (rvc_mode)i;
            return 0;
        }
    return -1;
}

long rvc_exact_range(rv_dtype dt, double terms, int degree)
{
    double limit = ldexp(1.0, dt == RV_F32 ? FLT_MANT_DIG : DBL_MANT_DIG);
    for (long r = RVC_EXACT_MAX_RANGE; r >= 1; r--)
        if (terms * pow((double)r, degree) <= limit)
            return r;
    return 0;
}

void rvc_fill_exact(rvc_rng *r, rvc_mat *m, long range, int exp2, int signed_zeros)
{
    for (size_t i = 0; i < m->rows; i++)
        for (size_t j = 0; j < m->cols; j++) {
            long k = rvc_rng_int(r, -range, range);
            double x = ldexp((double)k, exp2);
            if (k == 0 && signed_zeros && (rvc_rng_next(r) & 1))
                x = -0.0;
            rvc_mat_set(m, i, j, x);
        }
}

void rvc_fill_uniform(rvc_rng *r, rvc_mat *m, double lo, double hi)
{
    for (size_t i = 0; i < m->rows; i++)
        for (size_t j = 0; j < m->cols; j++)
            rvc_mat_set(m, i, j, lo + (hi - lo) * rvc_rng_unit(r));
}

size_t rvc_special_values(rv_dtype dt, double *out, size_t cap)
{
    double tiny = dt == RV_F32 ? FLT_TRUE_MIN : DBL_TRUE_MIN;
    double small = dt == RV_F32 ? FLT_MIN : DBL_MIN;
    double big = dt == RV_F32 ? FLT_MAX : DBL_MAX;
    const double v[RVC_SPECIAL_COUNT] = {0.0, -0.0, NAN, INFINITY, -INFINITY, tiny, -tiny,
                                         small, -small, big, -big};
    size_t n = cap < RVC_SPECIAL_COUNT ? cap : RVC_SPECIAL_COUNT;
    memcpy(out, v, n * sizeof *out);
    return n;
}

void rvc_fill_sprinkle(rvc_rng *r, rvc_mat *m, double p, const double *values, size_t count)
{
    for (size_t i = 0; i < m->rows; i++)
        for (size_t j = 0; j < m->cols; j++)
            if (rvc_rng_unit(r) < p)
                rvc_mat_set(m, i, j, values[rvc_rng_int(r, 0, (long)count - 1)]);
}
