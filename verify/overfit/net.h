/* net.h - the 2-layer ReLU net N(x) = sum_j v_j relu(w_j . x + b_j) on the
 * project's plans, in one of three forms (form.h).
 *
 * Parameters live in one array theta and the step in grad with the same
 * layout, so a trainer updates them with one loop:
 *   direct:          theta = [W (m x d) | b (m, only with biases) | v (m)],
 *                    grad = d/dtheta;
 *   subspace forms:  theta = [Wt (m x 2n) | b | v], Wt row j = (A_j, P_.j):
 *                    A (m x n) the coefficients of W = W0 + A X, and in a
 *                    frozen block column j of P = X W0^T. grad's A block is
 *                    dZ^T, so that theta - lr grad is the direct GD step on
 *                    W (dL/dW = dZ^T X); its P block stays 0.
 * Why inputs [G | I_n] rather than an operation of their own: with inputs
 * Xt = [G | I_n] (G = X X^T), Xt Wt^T = G A^T + P = X W^T, so the forward
 * pass is the layer_fwd op at (n, 2n, m), and the backward pass is layer_bwd
 * at (n, n, m) on the inputs I_n (its dW is dZ^T I_n = dZ^T). The step then
 * runs the same tuned, verified kernels as the direct form, the tuner and
 * wisdom cover its two shapes, and no new op, checker or benchmark case is
 * needed; the price is a forward product over the identity block (n^2 m
 * flops of 2 n^2 m + n^2 m) that an op of its own could skip.
 * The bias-free ablation has no b at all (b = 0, not trained); the layer
 * ops then get b = db = NULL.
 *
 * Every pass goes through plans made once in rvo_net_create (training
 * shapes, G and P, evaluation chunks of the test set), with at most
 * `threads` threads each, in double precision: the tuner's choice where a
 * wisdom holds one for the shape at that thread cap, else the estimate
 * (never a search: nets train concurrently, and timing one while others
 * run would measure them too). Nothing is allocated after rvo_net_create.
 * One net is used by one thread at a time; several nets may run
 * concurrently and share one wisdom, which they only read. */
#ifndef RELUVET_OVERFIT_NET_H
#define RELUVET_OVERFIT_NET_H

#include <stddef.h>
#include <stdint.h>

#include "form.h"
#include "reluvet/reluvet.h"

typedef struct rvo_net {
    size_t n, d, m;   /* training points, input dimension, width */
    int bias;         /* 1: biases trained; 0: bias-free */
    rvo_form form;    /* direct, subspace or reduced (never auto) */
    size_t dc;        /* coordinates of a weight row and a test point: d, or n + m reduced */
    size_t dx;        /* coordinates of a training input: d, or n reduced */
    size_t nparams;   /* m (d or 2n) + (bias ? m : 0) + m */
    double *theta;    /* parameters, layout above */
    double *grad;     /* the step of the last rvo_net_backward */
    double *W, *b, *v;      /* views into theta: W is W or Wt (b NULL when bias-free) */
    double *dW, *db, *dv;   /* views into grad */
    size_t ldw;       /* d, or 2n */
    double *o;        /* n outputs of the last rvo_net_forward */
    double *Z, *dZ;   /* n x m workspaces */
    const double *X;  /* the bound inputs, n x dx (rvo_net_bind) */
    double *W0;       /* subspace forms: m x dc initial weights */
    double *Xt;       /* subspace forms: n x 2n inputs [G | I_n] */
    double *We;       /* subspace forms: m x dc, W0 + A X, made for evaluation */
    double *zv;       /* subspace forms: max(n, m) zeros (v of the G and P products) */
    double w0sq;      /* subspace forms: ||W0||^2 */
    size_t test_n, chunk;   /* test points; rows per evaluation chunk */
    double *eX, *eZ, *eo;   /* chunk x dc, chunk x m, chunk */
    rv_plan *fwd, *bwd;     /* training shapes */
    rv_plan *gram, *proj;   /* subspace forms: G = X X^T, P^T = W0 X^T */
    rv_plan *efwd, *etail;  /* evaluation: full chunks, the last partial one */
} rvo_net;

/* The problems of the training steps of a net (n, d, m, bias, form):
 * layer_fwd and layer_bwd, f64, no H, no dX, RV_PLAN_NO_BIAS when
 * bias-free, at (n, d, m) direct and at (n, 2n, m) and (n, n, m) in the
 * subspace forms; written to out[0..RVO_NET_TRAINING_PROBLEMS). */
#define RVO_NET_TRAINING_PROBLEMS 2
void rvo_net_training_problems(size_t n, size_t d, size_t m, int bias, rvo_form form,
                               rv_problem *out);

/* Makes a net of form `form` (not auto) for n training points of dimension
 * d, width m, with or without biases, evaluated on test_n points, its plans
 * limited to `threads` threads (0 = all usable cores; use 1 when nets run
 * concurrently) and taken from `wisdom` where it has them (NULL:
 * estimated; only read). Parameters are zero until rvo_net_init.
 * RV_ERR_SIZE, RV_ERR_OPTS (auto, or reduced with d <= n + m),
 * RV_ERR_OVERFLOW, RV_ERR_NOMEM, or a plan's error. */
rv_status rvo_net_create(rvo_net **out, size_t n, size_t d, size_t m, int bias, rvo_form form,
                         size_t test_n, int threads, rv_wisdom *wisdom, rv_error *err);

/* Bytes rvo_net_create allocates for (n, d, m, form, test_n), biases
 * included; a double, so that absurd sizes do not overflow. */
double rvo_net_bytes(size_t n, size_t d, size_t m, rvo_form form, size_t test_n);

/* Frees the net and its plans; NULL is a no-op. */
void rvo_net_destroy(rvo_net *net);

/* Initialisation, a function of (init_w, init_v, stream) only, so biased and
 * bias-free nets of one stream share W and v, and the direct and subspace
 * forms share all of it:
 *   w_j = init_w * a uniform random unit direction (d = 1: a random sign;
 *         reduced: row n + j of the Bartlett matrix, see data.h),
 *   b_j = -w_j . u_j with u_j a fresh input from the data distribution, so
 *         the kinks (hyperplanes) pass through points spread over the data
 *         (reduced: -init_w times a draw of the cosine's law, the same
 *         law without the vector),
 *   v_j = +-init_v / sqrt(m), random signs.
 * In the subspace forms A = 0; rvo_net_bind must follow. */
void rvo_net_init(rvo_net *net, double init_w, double init_v, uint64_t stream);

/* Binds the n training inputs X (n x dx, ld = dx), kept by pointer (the
 * caller keeps them alive) for the passes below; in the subspace forms
 * also computes G and P (so: after rvo_net_init). */
rv_status rvo_net_bind(rvo_net *net, const double *X, rv_error *err);

/* o = N(X) for the bound inputs; keeps Z for backward. */
rv_status rvo_net_forward(rvo_net *net, rv_error *err);

/* grad = the GD step direction of sum_i g_i N(x_i) (see the layout above),
 * after rvo_net_forward. */
rv_status rvo_net_backward(rvo_net *net, const double *g, rv_error *err);

/* Writes N(x) for the test_n fresh inputs, the first points of the input
 * sequence test_stream (see data.h; reduced: rvo_inputs_draw_reduced), to
 * out[0..test_n). Drawn chunk by chunk, so a large d never needs a
 * test_n x d array. */
rv_status rvo_net_test_outputs(rvo_net *net, uint64_t test_stream, double *out, rv_error *err);

/* The clean test error against the clean label +1: the fraction of those
 * test_n inputs with N(x) <= 0. */
rv_status rvo_net_clean_error(rvo_net *net, uint64_t test_stream, double *error,
                              rv_error *err);

/* ||theta||^2 of the net's (W, b, v) (the net is 2-homogeneous in them, with
 * or without biases); in the subspace forms ||W||^2 = ||W0||^2 +
 * 2 sum A.P^T + tr(A G A^T), after rvo_net_bind. */
double rvo_net_sqnorm(const rvo_net *net);

/* "layer_fwd ...; layer_bwd ..." : the plans the training steps run. */
char *rvo_net_describe(const rvo_net *net, char *buf, size_t cap);

#endif
