/* reluvet/ops.h - the operations: element types, argument blocks, validation
 * and the cost model (flop and byte counts) that every report quotes.
 *
 * All matrices are row-major with an explicit leading dimension (the distance
 * in elements between the starts of two consecutive rows, >= the row width).
 * Vectors are contiguous. Pointers are `void *` so that one argument block
 * serves both element types; the dtype passed next to it says what they hold.
 *
 * Policy at the kink and on special values (all variants alike):
 *   relu(x)  = (x <= 0) ? +0 : x      NaN propagates, relu(-0.0) = +0.0
 *   mask(z)  = z > 0                  strict: the gradient at z == 0 is 0,
 *                                      and a NaN pre-activation is masked out
 *   relu'(x, dy) = mask(x) ? dy : 0   a select, not a product: a NaN or Inf
 *                                      in dy where x <= 0 yields 0
 */
#ifndef RELUVET_OPS_H
#define RELUVET_OPS_H

#include <stddef.h>

#include "reluvet/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum rv_dtype { RV_F32 = 0, RV_F64 = 1, RV_DTYPE_COUNT } rv_dtype;

/* Elementwise ReLU forward on rows x cols: y = relu(x). In place (x == y)
 * is allowed when ldx == ldy; any other overlap is RV_ERR_ALIAS. */
typedef struct rv_relu_fwd_args {
    size_t rows, cols;
    const void *x; size_t ldx;
    void *y; size_t ldy;
} rv_relu_fwd_args;

/* Elementwise ReLU backward: dx = mask(x) ? dy : 0. dx may be dy (in place,
 * lddx == lddy) but must not overlap x. */
typedef struct rv_relu_bwd_args {
    size_t rows, cols;
    const void *x; size_t ldx;     /* forward input */
    const void *dy; size_t lddy;   /* incoming gradient */
    void *dx; size_t lddx;         /* outgoing gradient */
} rv_relu_bwd_args;

/* Fused forward of the 2-layer net N(x) = sum_j v_j relu(w_j . x + b_j):
 *   Z = X W^T + b  (n x m),  H = relu(Z),  o = H v  (n).
 * Z is always written (backward needs it); H only when not NULL. Outputs
 * must not overlap inputs or each other. */
typedef struct rv_layer_fwd_args {
    size_t n, d, m;
    const void *X; size_t ldx;     /* n x d inputs */
    const void *W; size_t ldw;     /* m x d first-layer weights */
    const void *b;                 /* m biases, or NULL for the bias-free net */
    const void *v;                 /* m output weights */
    void *Z; size_t ldz;           /* n x m pre-activations (written) */
    void *H; size_t ldh;           /* n x m activations, or NULL */
    void *o;                       /* n outputs (written) */
} rv_layer_fwd_args;

/* Fused backward, given g = dL/do (n) and Z from the forward pass:
 *   dv = relu(Z)^T g,  dZ = (g v^T) . mask(Z),  dW = dZ^T X,
 *   db = column sums of dZ,  dX = dZ W (only when dX is not NULL).
 * dZ is always written (it is the workspace); db may be NULL (bias-free). */
typedef struct rv_layer_bwd_args {
    size_t n, d, m;
    const void *X; size_t ldx;     /* n x d */
    const void *W; size_t ldw;     /* m x d */
    const void *v;                 /* m */
    const void *Z; size_t ldz;     /* n x m, from the forward pass */
    const void *g;                 /* n */
    void *dZ; size_t lddz;         /* n x m (written) */
    void *dv;                      /* m (written) */
    void *dW; size_t lddw;         /* m x d (written) */
    void *db;                      /* m, or NULL */
    void *dX; size_t lddx;         /* n x d, or NULL */
} rv_layer_bwd_args;

typedef enum rv_op {
#define RV_OP(ID, name, args) RV_OP_##ID,
#include "reluvet/variants.def"
#undef RV_OP
    RV_OP_COUNT
} rv_op;

/* Room for the argument block of any operation (its member is named after
 * the op), for code that builds blocks for ops chosen at run time. */
typedef union rv_any_args {
#define RV_OP(ID, name, args) args name;
#include "reluvet/variants.def"
#undef RV_OP
} rv_any_args;

/* The problem size of an operation, one struct for all of them: the layer
 * ops use n, d, m; the elementwise ops use n = rows, m = cols (d ignored). */
typedef struct rv_shape {
    size_t n, d, m;
} rv_shape;

const char *rv_op_name(rv_op op);               /* "layer_fwd"; NULL if unknown */
int rv_op_from_name(const char *name, rv_op *op); /* 0 on success, -1 if unknown */
const char *rv_dtype_name(rv_dtype dt);          /* "f32" / "f64"; NULL if unknown */
int rv_dtype_from_name(const char *name, rv_dtype *dt);
size_t rv_dtype_size(rv_dtype dt);               /* 4 / 8; 0 if unknown */

/* The shape an argument block describes. args must point to the op's block. */
rv_shape rv_args_shape(rv_op op, const void *args);

/* Checks an argument block without touching the data: NULL pointers where
 * not allowed, zero sizes, leading dimensions, size_t overflow of the
 * extents, forbidden overlaps. Returns RV_OK or the first problem found
 * (also reported in err). */
rv_status rv_args_validate(rv_op op, rv_dtype dt, const void *args, rv_error *err);

/* The cost model, the one source of truth for every rate the project prints.
 * Flops count a multiply-add as 2 and a compare/select as 0:
 *   relu_fwd, relu_bwd: 0 flops (rates are in bytes)
 *   layer_fwd: 2ndm (XW^T) + nm (bias) + 2nm (Hv)
 *   layer_bwd: 2nm (dv) + nm (dZ) + nm (db) + 2ndm (dW) [+ 2ndm (dX)]
 * Bytes count each array read once and each written once, in the dtype:
 *   relu_fwd: 2 rows cols; relu_bwd: 3 rows cols; layer ops: their inputs
 *   and outputs as listed in the argument blocks. with_dx says whether the
 *   backward computes dX, with_h whether the forward stores H. */
double rv_op_flops(rv_op op, rv_shape s, int with_dx);
double rv_op_bytes(rv_op op, rv_dtype dt, rv_shape s, int with_dx_or_h);

#ifdef __cplusplus
}
#endif
#endif
