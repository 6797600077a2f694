/* fd.c - finite differences through the oracle's forward pass in f64. */
#include "check/fd.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check/buffer.h"
#include "check/kernel.h"

/* The net in f64: dense copies of the parameters and the forward's work. */
typedef struct net {
    size_t n, d, m;
    rv_variant oracle;
    double *X, *W, *b, *v, *g, *Z, *o, *Zlo; /* Zlo: Z at p - h */
    double *S;                               /* S_ij = |b_j| + sum_k |X_ik W_jk| */
} net;

static rv_status forward(const net *t, double *Z, long double *L, rv_error *err)
{
    rv_layer_fwd_args a = {.n = t->n, .d = t->d, .m = t->m, .X = t->X, .ldx = t->d,
                           .W = t->W, .ldw = t->d, .b = t->b, .v = t->v, .Z = Z,
                           .ldz = t->m, .o = t->o};
    rv_status s = rv_run_ex(RV_OP_LAYER_FWD, t->oracle, RV_F64, NULL, &a, err);
    *L = 0;
    for (size_t i = 0; i < t->n; i++)
        *L += (long double)t->g[i] * t->o[i];
    return s;
}

/* Does some Z_ij change sign across the step, or come too close to 0 for
 * its computed sign to be trusted (2^-30 S_ij, far above the rounding)? */
static int kink(const net *t, const double *Zhi)
{
    for (size_t e = 0; e < t->n * t->m; e++) {
        double lo = t->Zlo[e], hi = Zhi[e], tau = 0x1p-30 * t->S[e];
        if ((lo > 0) != (hi > 0) || fabs(lo) <= tau || fabs(hi) <= tau)
            return 1;
    }
    return 0;
}

/* Central difference of L in parameter *p; NaN at a kink. */
static rv_status diff(net *t, double *p, double *out, size_t *skipped, rv_error *err)
{
    double p0 = *p, hi = p0 + RVC_FD_STEP, lo = p0 - RVC_FD_STEP;
    long double Lhi, Llo;
    *p = lo;
    rv_status s = forward(t, t->Zlo, &Llo, err);
    *p = hi;
    if (s == RV_OK)
        s = forward(t, t->Z, &Lhi, err);
    *p = p0;
    if (kink(t, t->Z)) {
        *out = NAN;
        ++*skipped;
    } else {
        *out = (double)((Lhi - Llo) / ((long double)hi - lo));
    }
    return s;
}

static double *to_f64(rv_dtype dt, const void *p, size_t rows, size_t cols, size_t ld)
{
    double *q = malloc(rows * cols * sizeof *q);
    for (size_t i = 0; q && i < rows; i++)
        for (size_t j = 0; j < cols; j++)
            q[i * cols + j] = rvc_load(dt, p, i * ld + j);
    return q;
}

rv_status rvc_fd_layer(rv_dtype dt, const rv_layer_fwd_args *fwd, const void *g, rvc_fd *f,
                       rv_error *err)
{
    size_t n = fwd->n, d = fwd->d, m = fwd->m;
    net t = {.n = n, .d = d, .m = m};
    memset(f, 0, sizeof *f);
    if (rvc_oracle(&t.oracle) != 0)
        return rv_fail(err, RV_ERR_VARIANT, "variants.def has no oracle (RV_VF_ORACLE)");
    t.X = to_f64(dt, fwd->X, n, d, fwd->ldx);
    t.W = to_f64(dt, fwd->W, m, d, fwd->ldw);
    t.b = fwd->b ? to_f64(dt, fwd->b, 1, m, m) : NULL;
    t.v = to_f64(dt, fwd->v, 1, m, m);
    t.g = to_f64(dt, g, 1, n, n);
    t.Z = malloc(n * m * sizeof *t.Z);
    t.Zlo = malloc(n * m * sizeof *t.Zlo);
    t.S = malloc(n * m * sizeof *t.S);
    t.o = malloc(n * sizeof *t.o);
    f->dv = malloc(m * sizeof *f->dv);
    f->db = fwd->b ? malloc(m * sizeof *f->db) : NULL;
    f->dW = malloc(m * d * sizeof *f->dW);
    f->dX = malloc(n * d * sizeof *f->dX);
    rv_status s = RV_OK;
    if (!t.X || !t.W || (fwd->b && !t.b) || !t.v || !t.g || !t.Z || !t.Zlo || !t.S || !t.o ||
        !f->dv || (fwd->b && !f->db) || !f->dW || !f->dX)
        s = rv_fail(err, RV_ERR_NOMEM, "out of memory for finite differences");
    long double mag = 0;
    for (size_t i = 0; s == RV_OK && i < n; i++) {
        long double row = 0;
        for (size_t j = 0; j < m; j++) {
            long double sij = t.b ? fabs(t.b[j]) : 0;
            for (size_t k = 0; k < d; k++)
                sij += fabs(t.X[i * d + k] * t.W[j * d + k]);
            t.S[i * m + j] = (double)sij;
            row += fabs(t.v[j]) * sij;
        }
        mag += fabs(t.g[i]) * row;
    }
    f->tol = 4 * DBL_EPSILON / 2 * (double)mag / RVC_FD_STEP;
    f->params = 2 * m + m * d + n * d - (t.b ? 0 : m);
    for (size_t j = 0; s == RV_OK && j < m; j++) {
        s = diff(&t, &t.v[j], &f->dv[j], &f->skipped, err);
        if (s == RV_OK && t.b)
            s = diff(&t, &t.b[j], &f->db[j], &f->skipped, err);
        for (size_t k = 0; s == RV_OK && k < d; k++)
            s = diff(&t, &t.W[j * d + k], &f->dW[j * d + k], &f->skipped, err);
    }
    for (size_t e = 0; s == RV_OK && e < n * d; e++)
        s = diff(&t, &t.X[e], &f->dX[e], &f->skipped, err);
    free(t.X), free(t.W), free(t.b), free(t.v), free(t.g);
    free(t.Z), free(t.Zlo), free(t.S), free(t.o);
    if (s != RV_OK)
        rvc_fd_free(f);
    return s;
}

void rvc_fd_free(rvc_fd *f)
{
    free(f->dv), free(f->db), free(f->dW), free(f->dX);
    memset(f, 0, sizeof *f);
}
