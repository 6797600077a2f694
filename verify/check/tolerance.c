/* tolerance.c - the tolerance model (see tolerance.h for the derivation). */
#include "check/tolerance.h"

#include <float.h>
#include <math.h>

#include "check/buffer.h"

_Static_assert(LDBL_MANT_DIG >= DBL_MANT_DIG + 11,
               "the f64 reference needs a long double at least 11 bits wider than double");

double rvc_unit_roundoff(rv_dtype dt)
{
    return ldexp(1.0, -(dt == RV_F32 ? FLT_MANT_DIG : DBL_MANT_DIG));
}

double rvc_tol_bound(rv_dtype dt, double k, double mag)
{
    return RVC_TOL_C * k * rvc_unit_roundoff(dt) * mag;
}

/* Whether the mask lets a gradient through: z > 0, false for NaN (ops.h),
 * and the magnitude relu(z) contributes. */
static int active(double z)
{
    return z > 0;
}

static double positive_part(double z)
{
    return active(z) ? z : 0;
}

void rvc_bounds_layer_fwd(rv_dtype dt, const rv_layer_fwd_args *a, double *bZ, double *bo)
{
    double kz = (double)a->d + (a->b ? 1 : 0);
    for (size_t i = 0; i < a->n; i++) {
        long double carried = 0, dot = 0;
        for (size_t j = 0; j < a->m; j++) {
            long double s = a->b ? fabs(rvc_load(dt, a->b, j)) : 0;
            for (size_t k = 0; k < a->d; k++)
                s += fabsl((long double)rvc_load(dt, a->X, i * a->ldx + k) *
                           rvc_load(dt, a->W, j * a->ldw + k));
            double bz = rvc_tol_bound(dt, kz, (double)s);
            double z = rvc_load(dt, a->Z, i * a->ldz + j), v = fabs(rvc_load(dt, a->v, j));
            bZ[i * a->m + j] = bz;
            if (z + bz > 0)
                carried += v * s;
            dot += positive_part(z) * v;
        }
        bo[i] = rvc_tol_bound(dt, kz, (double)carried) +
                rvc_tol_bound(dt, (double)a->m, (double)dot);
    }
}

/* |g_i v_j| where Z_ij lets the gradient through, else 0: the magnitude
 * of dZ_ij. */
static double dz_mag(rv_dtype dt, const rv_layer_bwd_args *a, size_t i, size_t j)
{
    if (!active(rvc_load(dt, a->Z, i * a->ldz + j)))
        return 0;
    return fabs(rvc_load(dt, a->g, i) * rvc_load(dt, a->v, j));
}

void rvc_bounds_layer_bwd(rv_dtype dt, const rv_layer_bwd_args *a, int extra, double *bdZ,
                          double *bdv, double *bdW, double *bdb, double *bdX)
{
    size_t n = a->n, d = a->d, m = a->m;
    for (size_t j = 0; j < m; j++) {
        long double sv = 0, sb = 0;
        for (size_t i = 0; i < n; i++) {
            double z = rvc_load(dt, a->Z, i * a->ldz + j), dz = dz_mag(dt, a, i, j);
            sv += positive_part(z) * fabs(rvc_load(dt, a->g, i));
            sb += dz;
            if (bdZ)
                bdZ[i * m + j] = rvc_tol_bound(dt, 1, dz);
        }
        if (bdv)
            bdv[j] = rvc_tol_bound(dt, (double)(n + (size_t)extra), (double)sv);
        if (bdb)
            bdb[j] = rvc_tol_bound(dt, (double)(n + 1), (double)sb);
        for (size_t k = 0; bdW && k < d; k++) {
            long double s = 0;
            for (size_t i = 0; i < n; i++)
                s += dz_mag(dt, a, i, j) * fabs(rvc_load(dt, a->X, i * a->ldx + k));
            bdW[j * d + k] = rvc_tol_bound(dt, (double)(n + 1), (double)s);
        }
    }
    for (size_t i = 0; bdX && i < n; i++)
        for (size_t k = 0; k < d; k++) {
            long double s = 0;
            for (size_t j = 0; j < m; j++)
                s += dz_mag(dt, a, i, j) * fabs(rvc_load(dt, a->W, j * a->ldw + k));
            bdX[i * d + k] = rvc_tol_bound(dt, (double)(m + 1), (double)s);
        }
}
