/* net.h - the 2-layer ReLU net N(x) = sum_j v_j relu(w_j . x + b_j) on the
 * project's plans.
 *
 * Parameters live in one array theta = [W (m x d, row-major) | b (m, only
 * with biases) | v (m)], and the gradient in grad with the same layout, so
 * a trainer updates them with one loop. The bias-free ablation has no b at
 * all (b = 0, not trained); the layer ops then get b = db = NULL.
 *
 * Every forward and backward pass goes through plans made once in
 * rvo_net_create (training shape n x d x m, and evaluation chunks of the
 * test set), with at most `threads` threads each, in double precision:
 * the tuner's choice where a wisdom holds one for the shape at that thread
 * cap, else the estimate (never a search: nets train concurrently, and
 * timing one while others run would measure them too). Nothing is
 * allocated after rvo_net_create. One net is used by one thread at a time;
 * several nets may run concurrently and share one wisdom, which they only
 * read. */
#ifndef RELUVET_OVERFIT_NET_H
#define RELUVET_OVERFIT_NET_H

#include <stddef.h>
#include <stdint.h>

#include "reluvet/reluvet.h"

typedef struct rvo_net {
    size_t n, d, m;   /* training points, input dimension, width */
    int bias;         /* 1: biases trained; 0: bias-free */
    size_t nparams;   /* m d + (bias ? m : 0) + m */
    double *theta;    /* parameters, layout above */
    double *grad;     /* gradient of the last rvo_net_backward */
    double *W, *b, *v;      /* views into theta (b NULL when bias-free) */
    double *dW, *db, *dv;   /* views into grad */
    double *o;        /* n outputs of the last rvo_net_forward */
    double *Z, *dZ;   /* n x m workspaces */
    size_t test_n, chunk;   /* test points; rows per evaluation chunk */
    double *eX, *eZ, *eo;   /* chunk x d, chunk x m, chunk */
    rv_plan *fwd, *bwd;     /* training shape */
    rv_plan *efwd, *etail;  /* evaluation: full chunks, the last partial one */
} rvo_net;

/* The problems of the training steps of a net (n, d, m, bias): layer_fwd
 * and layer_bwd, f64, no H, no dX, RV_PLAN_NO_BIAS when bias-free; written
 * to out[0..RVO_NET_TRAINING_PROBLEMS). */
#define RVO_NET_TRAINING_PROBLEMS 2
void rvo_net_training_problems(size_t n, size_t d, size_t m, int bias, rv_problem *out);

/* Makes a net for n training points of dimension d, width m, with or
 * without biases, evaluated on test_n points, its plans limited to
 * `threads` threads (0 = all usable cores; use 1 when nets run concurrently)
 * and taken from `wisdom` where it has them (NULL: estimated; only read).
 * Parameters are zero until rvo_net_init. */
rv_status rvo_net_create(rvo_net **out, size_t n, size_t d, size_t m, int bias, size_t test_n,
                         int threads, rv_wisdom *wisdom, rv_error *err);

/* Bytes rvo_net_create allocates for (n, d, m, test_n), biases included;
 * a double, so that absurd sizes do not overflow. */
double rvo_net_bytes(size_t n, size_t d, size_t m, size_t test_n);

/* Frees the net and its plans; NULL is a no-op. */
void rvo_net_destroy(rvo_net *net);

/* Initialisation, a function of (init_w, init_v, stream) only, so biased and
 * bias-free nets of one stream share W and v:
 *   w_j = init_w * a uniform random unit direction (d = 1: a random sign),
 *   b_j = -w_j . u_j with u_j a fresh input from the data distribution, so
 *         the kinks (hyperplanes) pass through points spread over the data,
 *   v_j = +-init_v / sqrt(m), random signs. */
void rvo_net_init(rvo_net *net, double init_w, double init_v, uint64_t stream);

/* o = N(X) for the n training inputs X (n x d, ld = d); keeps Z for backward. */
rv_status rvo_net_forward(rvo_net *net, const double *X, rv_error *err);

/* grad = d/dtheta of sum_i g_i N(x_i), after rvo_net_forward on the same X. */
rv_status rvo_net_backward(rvo_net *net, const double *X, const double *g, rv_error *err);

/* The clean test error against the clean label +1: the fraction of test_n
 * fresh inputs, the first points of the input sequence test_stream (see
 * data.h), with N(x) <= 0. The inputs are drawn chunk by chunk, so a large
 * d never needs a test_n x d array. */
rv_status rvo_net_clean_error(rvo_net *net, uint64_t test_stream, double *error,
                              rv_error *err);

/* ||theta||^2 (the net is 2-homogeneous in theta, with or without biases). */
double rvo_net_sqnorm(const rvo_net *net);

/* "layer_fwd ...; layer_bwd ..." : the plans the training steps run. */
char *rvo_net_describe(const rvo_net *net, char *buf, size_t cap);

#endif
