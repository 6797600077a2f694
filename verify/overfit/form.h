/* form.h - how a run is carried out in dimension d: the form of training.
 *
 * Three forms compute one and the same procedure (see net.h):
 *   direct:   W (m x d) is trained as is; a step costs O(n d m) and W0
 *             takes m d doubles. The only form for Adam and for d <= 2n.
 *   subspace: GD keeps W_t = W0 + A_t X (every gradient dZ^T X lies in the
 *             row space of X), so the step trains A (m x n) on the inputs
 *             [G | I_n], G = X X^T, with P = X W0^T in a frozen block; a
 *             step costs O(n^2 m) whatever d is. Same data and init as the
 *             direct form: the same run to rounding.
 *   reduced:  for d > n + m, data, init and test points are drawn exactly
 *             in law in k = n + m coordinates (an orthonormal basis of the
 *             span of the inputs and of W0's rows; Bartlett decomposition,
 *             see data.h), then trained in the subspace form. Memory and
 *             time do not grow with d. Same law as the direct sampler, not
 *             the same draws.
 * The science notes ("Reaching large d and n") derive both identities. */
#ifndef RELUVET_OVERFIT_FORM_H
#define RELUVET_OVERFIT_FORM_H

#include <stddef.h>

#include "reluvet/status.h"

typedef enum rvo_form {
    RVO_FORM_AUTO = 0,  /* a request only: rvo_form_choose picks */
    RVO_FORM_DIRECT,
    RVO_FORM_SUBSPACE,
    RVO_FORM_REDUCED,
} rvo_form;

/* "auto", "direct", "subspace", "reduced"; NULL if f is none of them. */
const char *rvo_form_name(rvo_form f);

/* The form named `name`; -1 if it names none. */
int rvo_form_from_name(const char *name, rvo_form *f);

/* The form a run (n, d, m) takes when `requested` is asked for, gd != 0
 * when the trainer is GD: a requested form other than auto is kept (check
 * it with rvo_form_check); auto takes direct when !gd or d <= 2n (there the
 * direct step is no dearer: measured, harness_step benchmark), subspace
 * up to d = n + m, reduced above. */
rvo_form rvo_form_choose(rvo_form requested, size_t n, size_t d, size_t m, int gd);

/* Whether a run (n, d, m) can take form f (not auto): subspace and reduced
 * need GD (Adam's per-coordinate steps leave the subspace), reduced needs
 * d > n + m. RV_ERR_OPTS naming the reason. */
rv_status rvo_form_check(rvo_form f, size_t n, size_t d, size_t m, int gd, rv_error *err);

/* The coordinates a run of form f keeps per input, weight row and test
 * point: n + m when reduced, else d. */
size_t rvo_form_coords(rvo_form f, size_t n, size_t d, size_t m);

#endif
