/* check/tolerance.h - the tolerance model of the random mode, in one place.
 *
 * An output that is a sum of K rounded terms, computed in dtype dt in any
 * order (blocked, vectorised, threaded, with or without FMA), is accepted
 * when
 *
 *     |got - want| <= c * K * u * mag
 *
 * where want is the reference (accumulated in double for f32, long double
 * for f64, rounded once to dt), u is the unit roundoff of dt, mag the sum of
 * the magnitudes of the terms (sum_k |a_k| |b_k|) and c = RVC_TOL_C.
 *
 * Why c = 2. A sum of K terms, each a rounded product, computed in any
 * order, is within gamma_K * mag of the exact value, gamma_K = K u / (1 -
 * K u) (Higham, Accuracy and Stability of Numerical Algorithms, 2nd ed.,
 * section 3.1: the bound holds for every summation order; FMA only removes
 * roundings). The reference adds its final rounding, at most u * |exact| <=
 * u * mag, and its wide accumulation error, at most K * u_wide * mag with
 * u_wide <= 2^-11 u (double for f32, 64-bit long double for f64). The total,
 * (K + 1 + K 2^-11) u mag to first order, is below 2 K u mag for K >= 2;
 * for K = 1 both sides round one product to nearest, so they differ by at
 * most one ulp, which is <= 2 u |value|. Nothing here is tuned to make a
 * variant pass: the bound is a proof, so a result outside it is a bug.
 *
 * K counts the roundings on a term's way into the sum: a dot product of
 * length L is K = L; one more when its terms are themselves rounded
 * products (dZ = g v in the backward) or when a bias is added. */
#ifndef RVC_TOLERANCE_H
#define RVC_TOLERANCE_H

#include "reluvet/ops.h"

#define RVC_TOL_C 2.0

/* Unit roundoff of dt: 2^-24 (f32), 2^-53 (f64). */
double rvc_unit_roundoff(rv_dtype dt);

/* The model: RVC_TOL_C * k * u(dt) * mag. */
double rvc_tol_bound(rv_dtype dt, double k, double mag);

/* Bounds of layer_fwd's outputs against the reference. a holds the inputs
 * (X, W, b or NULL, v) and the reference Z in a->Z; H and o are not read.
 * Writes bZ (n x m, dense) and bo (n):
 *   Z_ij: K = d (+1 with a bias), mag S_ij = |b_j| + sum_k |X_ik| |W_jk|;
 *   o_i = sum_j relu(Z_ij) v_j: each Z error, relu being 1-Lipschitz, is
 *     carried into o through |v_j| (only where z_ref + bound > 0: elsewhere
 *     both relus are 0), plus the m-term dot product with H:
 *     bound(K_Z, sum_j |v_j| S_ij) + bound(m, sum_j relu(z_ref_ij) |v_j|). */
void rvc_bounds_layer_fwd(rv_dtype dt, const rv_layer_fwd_args *a, double *bZ, double *bo);

/* Bounds of layer_bwd's outputs. a holds the inputs (X, W, v, Z, g); the
 * outputs are not read. extra counts roundings already in Z (0 when the
 * kernel and the reference see the same Z; 1 when want is the exact
 * gradient and Z was rounded to dt by a forward pass). A NULL output
 * pointer skips that output. With mask_ij = Z_ij > 0 (the ops.h policy):
 *   dZ_ij = mask g_i v_j:         K = 1, mag |g_i v_j| (0 where masked out);
 *   dv_j = sum_i relu(Z_ij) g_i:  K = n + extra, mag sum_i relu(Z_ij) |g_i|;
 *   db_j = sum_i dZ_ij:           K = n + 1, mag sum_i mask |g_i v_j|;
 *   dW_jk = sum_i dZ_ij X_ik:     K = n + 1, mag sum_i mask |g_i v_j X_ik|;
 *   dX_ik = sum_j dZ_ij W_jk:     K = m + 1, mag sum_j mask |g_i v_j W_jk|.
 * Dense layouts: bdZ n x m, bdv m, bdW m x d, bdb m, bdX n x d. */
void rvc_bounds_layer_bwd(rv_dtype dt, const rv_layer_bwd_args *a, int extra, double *bdZ,
                          double *bdv, double *bdW, double *bdb, double *bdX);

#endif
