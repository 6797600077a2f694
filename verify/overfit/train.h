/* train.h - full-batch training of a net to interpolation and beyond.
 *
 * The reference procedure (trainer "gd"), one and the same for every d:
 *   phase 1: gradient descent with a fixed step on the mean hinge loss
 *            (1/n) sum_i max(0, t - y_i N(x_i)) until every margin
 *            y_i N(x_i) >= t (the hinge target) or hinge_steps steps are
 *            spent. Only points with margin < t pull, so the hard (flipped,
 *            crowded) points are not starved by the easy ones as under the
 *            logistic loss. The net is 2-homogeneous, so GD to target t from
 *            an init theta_0 is GD to target 1 from theta_0 / sqrt(t) with
 *            the same step: t sets how far phase 1 must grow the weights
 *            from the init, and a small t makes phase 1 a short path to
 *            zero training error after which phase 2 does the rest.
 *   phase 2: gradient descent with a fixed step on the mean logistic loss
 *            (1/n) sum_i log(1 + exp(-y_i N(x_i))), towards the KKT points
 *            of margin maximisation, until the normalised margin
 *            min_i y_i N(x_i) / ||theta||^2 (the net is 2-homogeneous),
 *            checked every check_every steps, gains less than a relative
 *            margin_rtol on the best so far, or logistic_steps steps are
 *            spent. The parameters of the best check with training error 0
 *            are the result: in 1-D the logistic loss can un-fit a crowded
 *            flipped point it was given fitted, and phase 2 must not turn an
 *            interpolating net into one that is not.
 * No per-parameter adaptive steps. Trainer "adam" (a contrast, never the
 * reference) runs the same two phases with Adam's update instead of GD's,
 * in the direct form only. GD runs the same steps in every form (form.h).
 *
 * A run interpolates when its final training error is 0; one that does not
 * is reported as such and never averaged with those that do. */
#ifndef RELUVET_OVERFIT_TRAIN_H
#define RELUVET_OVERFIT_TRAIN_H

#include "data.h"
#include "net.h"

typedef enum rvo_trainer { RVO_TRAIN_GD = 0, RVO_TRAIN_ADAM = 1 } rvo_trainer;

const char *rvo_trainer_name(rvo_trainer t);           /* "gd" / "adam"; NULL if unknown */
int rvo_trainer_from_name(const char *name, rvo_trainer *t); /* 0 ok, -1 unknown */

typedef struct rvo_train_cfg {
    rvo_trainer trainer;
    double lr_hinge;       /* phase-1 step (GD) or Adam's step size */
    double lr_logistic;    /* phase-2 step (GD) or Adam's step size */
    long hinge_steps;      /* phase-1 budget, >= 1 */
    long logistic_steps;   /* phase-2 budget, >= 0 */
    long check_every;      /* steps between normalised-margin checks, >= 1 */
    double hinge_target;   /* phase 1 ends when every margin >= this, > 0 */
    double margin_rtol;    /* relative gain below which phase 2 stops, >= 0 */
} rvo_train_cfg;

/* Checks a configuration (positive steps, budgets in range); RV_ERR_OPTS. */
rv_status rvo_train_cfg_validate(const rvo_train_cfg *cfg, rv_error *err);

typedef struct rvo_train_result {
    int interpolated;      /* final training error is 0 */
    int margin_reached;    /* phase 1 ended with every margin >= the target */
    long hinge_steps;      /* steps taken in each phase */
    long logistic_steps;
    long best_step;        /* the phase-2 step whose parameters were kept */
    double train_error;    /* fraction of training points with y N(x) <= 0 */
    double logistic_loss;  /* final mean logistic loss */
    double norm_margin;    /* final min_i y_i N(x_i) / ||theta||^2 */
    double seconds;        /* wall time of the training steps */
    double steps_per_s;    /* (hinge + logistic steps) / seconds */
} rvo_train_result;

typedef enum rvo_loss { RVO_LOSS_HINGE, RVO_LOSS_LOGISTIC } rvo_loss;

typedef struct rvo_margins {
    double min_margin;     /* min_i y_i N(x_i) */
    size_t errors;         /* points with y_i N(x_i) <= 0 */
    double loss;           /* mean loss */
} rvo_margins;

/* After rvo_net_forward: the margins of the n outputs against labels y, the
 * mean loss of kind k, and g = dL/do (n values) for rvo_net_backward. */
rvo_margins rvo_loss_grad(const rvo_net *net, const double *y, rvo_loss k, double target,
                          double *g);

/* Seconds on the monotonic clock: the harness's one clock for run times. */
double rvo_now(void);

/* One GD update theta -= lr grad (after rvo_net_backward). */
void rvo_gd_update(rvo_net *net, double lr);

/* Trains net (already initialised) on data (same n and d, data drawn by
 * the sampler of the net's form: data->dc == net->dx), binding it to
 * data->X. RV_ERR_SIZE on a mismatch, RV_ERR_OPTS when the form cannot
 * take the trainer (rvo_form_check). Allocates only Adam's moments, once. */
rv_status rvo_train(rvo_net *net, const rvo_data *data, const rvo_train_cfg *cfg,
                    rvo_train_result *res, rv_error *err);

#endif
