/* check/fd.h - central finite differences of the net's loss in double: an
 * oracle for layer_bwd that shares no code with any backward kernel.
 *
 * L(X, W, b, v) = sum_i g_i o_i with o = relu(X W^T + b) v from the
 * oracle's layer_fwd in f64. L is piecewise linear in each single parameter
 * (Z is linear in each of X, W, b; L is linear in v), so the central
 * difference (L(p + h) - L(p - h)) / 2h is the derivative up to rounding
 * whenever no element of Z changes sign between p - h and p + h; where one
 * does (a kink), the parameter is skipped. */
#ifndef RVC_FD_H
#define RVC_FD_H

#include <stddef.h>

#include "reluvet/ops.h"

#define RVC_FD_STEP 0x1p-7

typedef struct rvc_fd {
    /* dense gradients; NaN where a kink lies within the step */
    double *dv;   /* m */
    double *db;   /* m, or NULL for the bias-free net */
    double *dW;   /* m x d */
    double *dX;   /* n x d */
    double tol;   /* bound on the error of every finite difference:
                   * 4 u_f64 sum_i |g_i| sum_j |v_j| S_ij / h, where S_ij =
                   * |b_j| + sum_k |X_ik W_jk| bounds |Z_ij|: L is computed
                   * to within 2 u_f64 sum_i |g_i| sum_j |v_j| S_ij (o
                   * rounded once from long double, summed in long double),
                   * twice that for the two evaluations, over 2h */
    size_t params, skipped;
} rvc_fd;

/* Computes the finite-difference gradients of L at fwd's inputs X, W, b
 * (may be NULL), v (dtype dt; fwd's Z, H, o are not used) with g (n values
 * in dtype dt). Allocates f's arrays (free with rvc_fd_free). Returns
 * RV_OK, or RV_ERR_NOMEM / RV_ERR_VARIANT (no oracle). */
rv_status rvc_fd_layer(rv_dtype dt, const rv_layer_fwd_args *fwd, const void *g, rvc_fd *f,
                       rv_error *err);

/* Frees f's arrays and zeroes it; a zeroed rvc_fd is a no-op. */
void rvc_fd_free(rvc_fd *f);

#endif
